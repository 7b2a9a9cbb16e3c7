import { IConstruct } from 'constructs';

const CONTEXT_KEY = 'cdk8s-pod-patterns/kubernetes-version';

/**
 * The Kubernetes version a set of manifests targets. It decides how sidecars render: native sidecars
 * (`initContainers` with `restartPolicy: Always`) from 1.29, classic sidecars (`containers`) before.
 *
 * Set it once for an app or chart with `KubernetesVersion.setTarget(scope, version)`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export class KubernetesVersion {
  /** Kubernetes 1.28: no native sidecars (the feature is beta and off in many distributions). */
  public static readonly V1_28 = new KubernetesVersion(28);
  /** Kubernetes 1.29: native sidecars on by default. */
  public static readonly V1_29 = new KubernetesVersion(29);
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion(30);
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion(31);

  /** The default target when none is set: 1.29, the first with native sidecars on by default. */
  public static readonly DEFAULT = KubernetesVersion.V1_29;

  /** A 1.x version by its minor number. */
  public static of(minor: number): KubernetesVersion {
    if (!Number.isInteger(minor) || minor < 20 || minor > 99) {
      throw new Error(`KubernetesVersion.of: 'minor' must be a whole number from 20 to 99 (1.20-1.99), got ${minor}`);
    }
    return new KubernetesVersion(minor);
  }

  /**
   * Sets the target version for every workload under `scope`. Call it on the App or Chart before adding
   * constructs to it.
   */
  public static setTarget(scope: IConstruct, version: KubernetesVersion): void {
    if (scope.node.children.length > 0) {
      throw new Error(
        `KubernetesVersion.setTarget: '${scope.node.path || scope.node.id || 'the app'}' already has constructs, so ` +
          'its target can no longer change; call setTarget on the App or Chart before adding constructs to it, ' +
          'or use PodComposer.of(workload).overrideKubernetesVersion(version) for one workload',
      );
    }
    scope.node.setContext(CONTEXT_KEY, version.minor);
  }

  /** The target version in force at `scope`: the nearest `setTarget`, else `KubernetesVersion.DEFAULT`. */
  public static targetOf(scope: IConstruct): KubernetesVersion {
    const minor = scope.node.tryGetContext(CONTEXT_KEY);
    return typeof minor === 'number' ? new KubernetesVersion(minor) : KubernetesVersion.DEFAULT;
  }

  private constructor(
    /** The minor version (28 for 1.28). */
    public readonly minor: number,
  ) {}

  /** Whether native sidecar containers are available (1.29+). */
  public get supportsNativeSidecars(): boolean {
    return this.minor >= 29;
  }

  /** '1.28'. */
  public toString(): string {
    return `1.${this.minor}`;
  }
}
