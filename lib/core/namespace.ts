/**
 * Where an object is rendered, and the rule that a pod refers only to ConfigMaps and Secrets of its own
 * namespace (internal: not re-exported).
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';

/** An object with metadata, in a chart: a workload, a ConfigMap, a Secret. */
interface Namespaced extends IConstruct {
  readonly metadata: { readonly namespace?: string };
}

/** The namespace an object is rendered in: its own, else its chart's (undefined: the default namespace). */
export function namespaceOf(resource: Namespaced): string | undefined {
  return resource.metadata.namespace ?? Chart.of(resource).namespace;
}

/**
 * Throws when a ConfigMap or Secret defined in this app is rendered in another namespace than the workload
 * whose pods refer to it. Imported ones (`fromConfigMapName`, `fromSecretName`) have no known namespace and
 * pass.
 */
export function checkSameNamespace(
  owner: string,
  workloadNamespace: string | undefined,
  resource: kplus.IConfigMap | kplus.ISecret,
): void {
  const kind = resource instanceof kplus.ConfigMap ? 'ConfigMap' : resource instanceof kplus.Secret ? 'Secret' : '';
  if (!kind) return;
  const [ours, theirs] = [workloadNamespace, namespaceOf(resource as kplus.ConfigMap | kplus.Secret)];
  if (ours === theirs) return;
  const uses = kind === 'ConfigMap' ? 'mounts ConfigMaps' : 'reads Secrets';
  throw new Error(
    `${owner}: the ${kind} '${resource.name}' is in namespace ${JSON.stringify(theirs ?? 'default')} but the ` +
      `workload is in ${JSON.stringify(ours ?? 'default')}; a pod ${uses} of its own namespace only`,
  );
}
