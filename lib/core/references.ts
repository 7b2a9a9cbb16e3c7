/**
 * Every Secret and ConfigMap a pattern's pods refer to passes through here (internal: not re-exported): the
 * one place that checks that the pod may read it (its namespace) and, for a ConfigMap defined in this app,
 * puts a hash of its content on the pod template so that a change rolls the pods (helpers read their
 * configuration only at start).
 */
import * as kplus from 'cdk8s-plus-28';
import { checkSameNamespace } from './namespace';
import { checkDataKey } from './names';
import { PodComposer } from './pod-composer';
import { SharedVolume } from './shared-volume';

/**
 * Records that the pods of `composer`'s workload refer to a ConfigMap or Secret. Throws when an object
 * defined in this app is rendered in another namespace than the workload. For a ConfigMap defined in this
 * app, `hashName` names the pod annotation `checksum.cdk8s-pod-patterns/<hashName>` that carries a hash of
 * its content; without it no hash is added.
 *
 * @returns the annotation key, when a hash was added
 */
export function reference(
  owner: string,
  composer: PodComposer,
  resource: kplus.IConfigMap | kplus.ISecret,
  hashName?: string,
): string | undefined {
  checkSameNamespace(owner, composer.namespace, resource);
  if (hashName !== undefined && resource instanceof kplus.ConfigMap) {
    return composer.addConfigHashAnnotation(hashName, resource);
  }
  return undefined;
}

/** A Secret value (`{ secret, key }`): its key is checked and its Secret referenced. Returns it. */
export function referenceSecretValue(
  owner: string,
  composer: PodComposer,
  prop: string,
  value: kplus.SecretValue,
): kplus.SecretValue {
  checkDataKey(owner, `${prop}.key`, 'Secret', value.key);
  reference(owner, composer, value.secret);
  return value;
}

/**
 * A volume a helper mounts: the ConfigMap or Secret behind it (`SharedVolume.fromConfigMap/fromSecret`) is
 * referenced, with `hashName` for a ConfigMap's content hash.
 */
export function referenceVolume(
  owner: string,
  composer: PodComposer,
  volume: SharedVolume,
  hashName?: string,
): string | undefined {
  if (volume.configMap) return reference(owner, composer, volume.configMap, hashName);
  if (volume.secret) reference(owner, composer, volume.secret);
  return undefined;
}
