import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-28';
import { memoByKey } from './memo';

/** The prefix of the pod-template annotations that carry a configuration's content hash. */
export const CHECKSUM_ANNOTATION_PREFIX = 'checksum.cdk8s-pod-patterns/';

function sorted(map: { [key: string]: string }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key];
  return out;
}

/** A hash of a ConfigMap's content (data and binaryData) as it is when called: `sha256:<hex>`. */
export function configMapHash(configMap: kplus.ConfigMap): string {
  return hashOf(JSON.stringify({ data: sorted(configMap.data), binaryData: sorted(configMap.binaryData) }));
}

/** Workloads of one app often share a configuration's content: each distinct one is hashed once. */
const hashOf = memoByKey((content: string) => `sha256:${createHash('sha256').update(content).digest('hex')}`, 256);
