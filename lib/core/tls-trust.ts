import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDataKey, derivedName } from './names';
import { PodComposer } from './pod-composer';
import { reference } from './references';
import { SharedVolume } from './shared-volume';

/** A CA bundle mounted into a helper: the volume, and the path of the bundle file inside the container. */
export interface MountedTlsTrust {
  /** The volume that holds the bundle. */
  readonly volume: SharedVolume;
  /** The directory the volume is mounted at. */
  readonly directory: string;
  /** The bundle file's full path. */
  readonly file: string;
}

/**
 * The CA certificates a helper trusts when it verifies a server's TLS certificate (an Elasticsearch that
 * signs its own certificates, an upstream with an internal CA), from a key of a ConfigMap or a Secret. The
 * bundle is mounted read-only into the helper only; verification stays on.
 *
 * @example
 * TlsTrust.fromSecret(kplus.Secret.fromSecretName(chart, 'es-ca', 'elasticsearch-es-http-certs-public'), 'ca.crt');
 */
export class TlsTrust {
  /** A PEM bundle in a key of a ConfigMap. */
  public static fromConfigMap(configMap: kplus.IConfigMap, key: string = 'ca.crt'): TlsTrust {
    checkDataKey('TlsTrust.fromConfigMap', 'key', 'ConfigMap', key);
    return new TlsTrust(key, configMap, undefined);
  }

  /** A PEM bundle in a key of a Secret (such as the `ca.crt` of a cert-manager or ECK certificate Secret). */
  public static fromSecret(secret: kplus.ISecret, key: string = 'ca.crt'): TlsTrust {
    checkDataKey('TlsTrust.fromSecret', 'key', 'Secret', key);
    return new TlsTrust(key, undefined, secret);
  }

  private constructor(
    /** The key that holds the bundle. */
    public readonly key: string,
    /** The ConfigMap that holds it, if it is a ConfigMap. */
    public readonly configMap?: kplus.IConfigMap,
    /** The Secret that holds it, if it is a Secret. */
    public readonly secret?: kplus.ISecret,
  ) {}

  /**
   * The bundle as a volume for one helper, mounted at `directory`; the ConfigMap or Secret is checked to be in
   * the pod's namespace (a ConfigMap of this app also rolls the pods when it changes).
   * @internal
   */
  public _mount(
    scope: Construct,
    composer: PodComposer,
    owner: string,
    volumeName: string,
    directory: string,
  ): MountedTlsTrust {
    const source = (this.configMap ?? this.secret)!;
    reference(owner, composer, source, this.configMap ? volumeName : undefined);
    const options = { name: volumeName, defaultMode: 0o444 };
    const volume = this.configMap
      ? SharedVolume.fromConfigMap(scope, this.configMap, options)
      : SharedVolume.fromSecret(scope, this.secret!, options);
    return { volume, directory, file: `${directory}/${this.key}` };
  }
}

/** The volume name of a helper's n-th CA bundle: `<containerName>-ca` or `<containerName>-ca-<n>`. */
export function trustVolumeName(containerName: string, index: number): string {
  return derivedName(containerName, index === 0 ? 'ca' : `ca-${index + 1}`);
}
