import * as kplus from 'cdk8s-plus-28';
import { HealthCheck } from './health-check';
import { HelperMount } from './shared-volume';
/** A port a helper container listens on. */
export interface HelperPort {
  /** The port number. */
  readonly number: number;

  /**
   * The port name (IANA service name: at most 15 characters).
   * @default - unnamed
   */
  readonly name?: string;
}

/**
 * A helper container: an init step or a sidecar that a pattern (or the user) adds to a pod.
 *
 * Helper containers get safe defaults: small explicit resources, a non-root user, no privilege
 * escalation, all capabilities dropped and a read-only root file system.
 */
export interface HelperContainerProps {
  /** The container name (a DNS-1123 label, unique in the pod). */
  readonly name: string;

  /** The image, with a pinned tag or digest. */
  readonly image: string;

  /**
   * When the kubelet pulls the image. An image without a tag, or tagged `latest` (or `-latest`), is refused
   * with `IF_NOT_PRESENT`: each node would keep the copy it pulled first.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];

  /**
   * The arguments, one argv element each.
   * @default - the image's CMD
   */
  readonly args?: string[];

  /**
   * Environment variables, by name. Secrets come in with `EnvValue.fromSecretValue()` so that their values
   * never appear in the manifest.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * The working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;

  /**
   * Ports the container listens on.
   * @default - none
   */
  readonly ports?: HelperPort[];

  /**
   * Shared volumes to mount.
   * @default - none
   */
  readonly mounts?: HelperMount[];

  /**
   * CPU and memory requests and limits.
   * @default - a request of 10m CPU / 16 MiB and a limit of 100m CPU / 64 MiB
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * The user id the container runs as (also used as its group id).
   * @default 65534 (nobody)
   */
  readonly runAsUser?: number;

  /**
   * Keep the root file system read-only; write only to mounted volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Startup probe. Sidecars only: a native sidecar's startup probe gates the containers after it.
   * @default - none
   */
  readonly startupProbe?: HealthCheck;

  /**
   * Liveness probe. Sidecars only.
   * @default - none
   */
  readonly livenessProbe?: HealthCheck;

  /**
   * Readiness probe. Sidecars only.
   * @default - none
   */
  readonly readinessProbe?: HealthCheck;

  /**
   * A command run before the container is stopped (for example a drain). Sidecars only.
   * @default - none
   */
  readonly preStopCommand?: string[];

  /**
   * Whether the container talks to the network before the app starts (a wait, a migration, a clone, a
   * login). A mesh whose proxy starts after the init steps (Istio's classic sidecar) redirects that traffic
   * to a proxy that is not there yet.
   * @default false
   */
  readonly usesNetwork?: boolean;
}
