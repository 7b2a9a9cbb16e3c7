import { KubernetesVersion } from './kubernetes-version';
import { InitStep, IPodPart, Sidecar, SidecarMode } from './pod-parts';

/** What the checks of a pod's parts need to know about the pod. */
export interface PartContext {
  readonly parts: Array<InitStep | Sidecar>;
  readonly workloadKind: string;
  readonly runsToCompletion: boolean;
  readonly version: KubernetesVersion;
  isNative(sidecar: Sidecar): boolean;
}

/** Problems with the sidecar modes and the start-up dependencies of a pod's parts, each with its fix. */
export function partProblems(pod: PartContext): string[] {
  const errors: string[] = [];
  for (const part of pod.parts) {
    if (part instanceof Sidecar) errors.push(...sidecarModeProblems(pod, part));
  }
  for (const part of pod.parts) {
    for (const dep of part.after) errors.push(...dependencyProblems(pod, part, dep));
  }
  return errors;
}

function sidecarModeProblems(pod: PartContext, part: Sidecar): string[] {
  const errors: string[] = [];
  const name = part.containerName;
  if (part.mode === SidecarMode.NATIVE && !pod.version.supportsNativeSidecars) {
    errors.push(
      `sidecar '${name}' is set to SidecarMode.NATIVE but the target is Kubernetes ${pod.version}; native ` +
        'sidecars need 1.29+. Target 1.29+ (KubernetesVersion.setTarget) or use SidecarMode.AUTO',
    );
  }
  if (!pod.isNative(part) && pod.runsToCompletion) {
    const explicit = part.mode === SidecarMode.CLASSIC;
    const fix = explicit
      ? "Set its 'mode' to SidecarMode.AUTO or SidecarMode.NATIVE (Kubernetes 1.29+)"
      : 'Target Kubernetes 1.29+ (KubernetesVersion.setTarget) so it renders as a native sidecar';
    errors.push(
      `sidecar '${name}' would render as a classic sidecar in a ${pod.workloadKind} (${
        explicit ? 'SidecarMode.CLASSIC' : `target Kubernetes ${pod.version}`
      }): the pod would never complete because the sidecar never exits. ${fix}, or run it outside the ` +
        `${pod.workloadKind}`,
    );
  }
  return errors;
}

function dependencyProblems(pod: PartContext, part: InitStep | Sidecar, dep: IPodPart): string[] {
  const target = pod.parts.find((p) => p.containerName === dep.containerName);
  if (part instanceof InitStep && target instanceof Sidecar && !pod.isNative(target)) {
    return [
      `init step '${part.containerName}' runs after sidecar '${target.containerName}', which renders as a ` +
        'classic sidecar and so starts only after every init step; make the sidecar native ' +
        '(Kubernetes 1.29+) or drop the dependency',
    ];
  }
  if (target instanceof Sidecar && pod.isNative(target) && !target.container.startupProbe) {
    return [
      `'${part.containerName}' runs after native sidecar '${target.containerName}', which has no startupProbe; ` +
        'only a startup probe makes Kubernetes wait for a sidecar to be ready. Give the sidecar a startupProbe',
    ];
  }
  return [];
}
