/**
 * The hardening every container the library creates gets, in one place (internal: not re-exported):
 * a non-root user, no privilege escalation, every capability dropped, the runtime's default seccomp profile,
 * a read-only root file system where the image allows it, the log tail as termination message, and a pull
 * policy that suits a pinned tag.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** The user a helper container runs as when its pattern names none: `nobody`. */
export const DEFAULT_HELPER_USER = 65534;

/** How one container is hardened. */
export interface HardeningOptions {
  /** The user id (also the group id). Default: 65534. */
  readonly runAsUser?: number;
  /** Keep the root file system read-only. Default: true. */
  readonly readOnlyRootFilesystem?: boolean;
  /** The pull policy. Default: IfNotPresent, which suits a pinned tag or digest. */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
}

/**
 * The hardened fields of a container, as Kubernetes JSON: `imagePullPolicy`, `securityContext` and
 * `terminationMessagePolicy`.
 */
export function hardenedFields(options: HardeningOptions): { [field: string]: any } {
  const uid = options.runAsUser ?? DEFAULT_HELPER_USER;
  return {
    imagePullPolicy: options.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
    // the last lines of the log become the termination message, shown by `kubectl describe pod`
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
      runAsGroup: uid,
      runAsNonRoot: uid !== 0,
      runAsUser: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

/**
 * Hardens a container that a cdk8s-plus workload renders itself (the main container of a Job the library
 * creates): the same fields as every helper, applied as JSON patches so that they come out of cdk8s's own
 * rendering.
 *
 * @param containerPath the JSON pointer of the container, such as '/spec/template/spec/containers/0'
 */
export function hardenRenderedContainer(
  workload: kplus.AbstractPod,
  containerPath: string,
  options: HardeningOptions,
): void {
  const api = ApiObject.of(workload);
  for (const [field, value] of Object.entries(hardenedFields(options))) {
    api.addJsonPatch(JsonPatch.add(`${containerPath}/${field}`, value));
  }
}

/** The tag of an image reference, or undefined when it has none (a digest counts as pinned: ''). */
function tagOf(image: string): string | undefined {
  if (image.includes('@')) return '';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

/**
 * Throws when an image that floats (no tag, `latest`, or a `-latest` tag) is pulled with IfNotPresent: each
 * node would keep whatever copy it pulled first, so pods on different nodes would run different versions.
 */
export function checkPullPolicy(owner: string, image: string, policy: kplus.ImagePullPolicy | undefined): void {
  if ((policy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT) !== kplus.ImagePullPolicy.IF_NOT_PRESENT) return;
  const tag = tagOf(image);
  if (tag === undefined || tag === 'latest' || tag.endsWith('-latest')) {
    throw new Error(
      `${owner}: 'image' ${JSON.stringify(image)} ${tag === undefined ? 'has no tag' : `has the floating tag '${tag}'`} ` +
        'and is pulled IfNotPresent, so each node keeps the copy it pulled first; pin an exact tag or digest ' +
        "(such as 'busybox:1.37.0'), or set 'imagePullPolicy' to ImagePullPolicy.ALWAYS",
    );
  }
}
