import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDnsLabel, checkInteger } from './names';

/** Options for `SharedVolume.emptyDir()`. */
export interface EmptyDirOptions {
  /**
   * Back the volume with memory (tmpfs): its files never touch the node's disk. Use it for secrets.
   * @default false
   */
  readonly memory?: boolean;

  /**
   * Size limit in MiB. Memory-backed volumes count against the pod's memory limit.
   * @default - no limit for a disk-backed volume; 16 MiB for a memory-backed one
   */
  readonly sizeLimitMiB?: number;
}

/** Options for `SharedVolume.fromConfigMap()` and `SharedVolume.fromSecret()`. */
export interface ProjectedVolumeOptions {
  /**
   * The volume name in the pod spec.
   * @default - derived from the ConfigMap or Secret name
   */
  readonly name?: string;

  /**
   * File mode bits of the projected files, as a decimal number (0o444 = 292).
   * @default - 0o644 for a ConfigMap, 0o400 for a Secret
   */
  readonly defaultMode?: number;
}

/**
 * A pod volume shared by reference between the containers of one pod. Containers mount it through the
 * handle, never by a name typed twice, so a mismatched volume name cannot be written.
 *
 * Producers (an init step that writes files) mount it read-write; consumers (the app, a log shipper)
 * mount it read-only unless they ask otherwise.
 */
export class SharedVolume {
  /**
   * A volume that starts empty when the pod starts and lives as long as the pod.
   *
   * @param scope a construct to hold the volume (any construct of the chart)
   * @param name the volume name in the pod spec (a DNS-1123 label)
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  public static emptyDir(scope: Construct, name: string, options: EmptyDirOptions = {}): SharedVolume {
    checkDnsLabel(`SharedVolume '${name}'`, 'name', name);
    const memory = options.memory ?? false;
    const sizeLimitMiB = options.sizeLimitMiB ?? (memory ? 16 : undefined);
    if (sizeLimitMiB !== undefined) {
      checkInteger(`SharedVolume '${name}'`, 'sizeLimitMiB', sizeLimitMiB, 1, 1024 * 1024);
    }
    const volume = kplus.Volume.fromEmptyDir(scope, `Volume-${name}`, name, {
      medium: memory ? kplus.EmptyDirMedium.MEMORY : undefined,
      sizeLimit: sizeLimitMiB !== undefined ? Size.mebibytes(sizeLimitMiB) : undefined,
    });
    return new SharedVolume(volume, memory, sizeLimitMiB);
  }

  /**
   * The keys of a ConfigMap as files.
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#configmap
   */
  public static fromConfigMap(
    scope: Construct,
    configMap: kplus.IConfigMap,
    options: ProjectedVolumeOptions = {},
  ): SharedVolume {
    const name = options.name ?? `configmap-${configMap.name}`.slice(0, 63).replace(/-+$/, '');
    checkDnsLabel(`SharedVolume for ConfigMap '${configMap.name}'`, 'name', name);
    const volume = kplus.Volume.fromConfigMap(scope, `Volume-${name}`, configMap, {
      name,
      defaultMode: options.defaultMode,
    });
    return new SharedVolume(volume, false, undefined, { configMap });
  }

  /**
   * The keys of a Secret as files (mode 0400 by default).
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#secret
   */
  public static fromSecret(
    scope: Construct,
    secret: kplus.ISecret,
    options: ProjectedVolumeOptions = {},
  ): SharedVolume {
    const name = options.name ?? `secret-${secret.name}`.slice(0, 63).replace(/-+$/, '');
    checkDnsLabel(`SharedVolume for Secret '${secret.name}'`, 'name', name);
    const volume = kplus.Volume.fromSecret(scope, `Volume-${name}`, secret, {
      name,
      defaultMode: options.defaultMode ?? 0o400,
    });
    return new SharedVolume(volume, false, undefined, { secret });
  }

  /** Any cdk8s-plus volume, for kinds not modelled here (PVCs, CSI, ...). */
  public static fromVolume(volume: kplus.Volume): SharedVolume {
    return new SharedVolume(volume, false, undefined);
  }

  /** The volume's name in the pod spec. */
  public readonly name: string;

  /** The ConfigMap whose keys the volume holds (`fromConfigMap`). */
  public readonly configMap?: kplus.IConfigMap;

  /** The Secret whose keys the volume holds (`fromSecret`). */
  public readonly secret?: kplus.ISecret;

  private constructor(
    /** The underlying cdk8s-plus volume. */
    public readonly volume: kplus.Volume,
    /** Whether the volume is memory-backed (tmpfs). */
    public readonly memoryBacked: boolean,
    /** The size limit in MiB, if any. */
    public readonly sizeLimitMiB?: number,
    source: { configMap?: kplus.IConfigMap; secret?: kplus.ISecret } = {},
  ) {
    this.name = volume.name;
    this.configMap = source.configMap;
    this.secret = source.secret;
  }
}

/** Where and how a container mounts a `SharedVolume`. */
export interface VolumeMountOptions {
  /**
   * Mount only this path inside the volume.
   * @default - the whole volume
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#using-subpath
   */
  readonly subPath?: string;

  /**
   * Mount read-only. Consumers default to read-only; producers pass `false`.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** A mount of a shared volume into a helper container. */
export interface HelperMount extends VolumeMountOptions {
  /** The volume, by reference. */
  readonly volume: SharedVolume;

  /** The absolute mount path in the container. */
  readonly path: string;
}
