/**
 * A helper's configuration, mounted from a ConfigMap (internal: not re-exported).
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { derivedName, isDnsLabel } from './names';
import { PodComposer } from './pod-composer';
import { reference } from './references';
import { SharedVolume } from './shared-volume';

/** Who mounts a configuration ConfigMap, and under which volume name. */
export interface ConfigVolumeOptions {
  /** The owner string of error messages: `EnvoySidecar 'envoy'`. */
  readonly owner: string;

  /** The helper container's name: it names the checksum annotation. */
  readonly containerName: string;

  /** The volume name in the pod spec. */
  readonly volumeName: string;
}

/**
 * The volume of a helper's configuration ConfigMap. The ConfigMap must be in the workload's namespace (when
 * it is defined in this app). When its content is known (defined in this app, generated or yours), a hash of
 * it becomes the pod annotation `checksum.cdk8s-pod-patterns/<containerName>`: helpers read their
 * configuration only at start, so a change must roll the pods.
 */
export function configMapVolume(
  scope: Construct,
  composer: PodComposer,
  configMap: kplus.IConfigMap,
  options: ConfigVolumeOptions,
): SharedVolume {
  reference(options.owner, composer, configMap, options.containerName);
  return SharedVolume.fromConfigMap(scope, configMap, { name: options.volumeName });
}

/**
 * The volume name of a ConfigMap of the user's: the ConfigMap's own name when it can name a volume (as the
 * seed manifests do), else `<containerName>-config`.
 */
export function userConfigVolumeName(configMap: kplus.IConfigMap, containerName: string): string {
  return isDnsLabel(configMap.name) ? configMap.name : derivedName(containerName, 'config');
}
