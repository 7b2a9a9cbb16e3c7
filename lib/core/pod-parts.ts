import { HelperContainerProps } from './helper-container';

/** Something with a place in the pod's start-up order: an init step, a sidecar, or a pattern. */
export interface IPodPart {
  /** The container's name in the pod. */
  readonly containerName: string;
}

/** How a sidecar is rendered. */
export enum SidecarMode {
  /** Native when the target Kubernetes version has native sidecars (1.29+), classic before. */
  AUTO = 'auto',
  /** Always native: an init container with `restartPolicy: Always`. Needs Kubernetes 1.29+. */
  NATIVE = 'native',
  /** Always classic: a regular container beside the app. Not allowed in a Job or CronJob. */
  CLASSIC = 'classic',
}

/** Options for `PodComposer.addInitStep()`. */
export interface InitStepOptions {
  /**
   * Init steps and native sidecars this step must start after, wherever they were declared.
   * @default - after the steps declared before it
   */
  readonly after?: IPodPart[];
}

/** Options for `PodComposer.addSidecar()`. */
export interface SidecarOptions {
  /**
   * Native or classic rendering.
   * @default SidecarMode.AUTO
   */
  readonly mode?: SidecarMode;

  /**
   * Init steps and native sidecars this sidecar must start after.
   * @default - after the steps declared before it
   */
  readonly after?: IPodPart[];
}

/** An init step: a helper container that runs to completion before the app starts. */
export class InitStep implements IPodPart {
  /** The container's name. */
  public readonly containerName: string;

  /** @internal */
  constructor(
    /** The container. */
    public readonly container: HelperContainerProps,
    /** The parts this step starts after. */
    public readonly after: IPodPart[],
  ) {
    this.containerName = container.name;
  }
}

/** A sidecar: a helper container that runs for the pod's lifetime. */
export class Sidecar implements IPodPart {
  /** The container's name. */
  public readonly containerName: string;

  /** @internal */
  constructor(
    /** The container. */
    public readonly container: HelperContainerProps,
    /** How it is rendered. */
    public readonly mode: SidecarMode,
    /** The parts this sidecar starts after. */
    public readonly after: IPodPart[],
  ) {
    this.containerName = container.name;
  }
}

/**
 * An init container the workload already has (added with cdk8s-plus's `addInitContainer`, or present in the
 * manifest), as a part that patterns can name in `after`. Existing init containers start before every init
 * step and sidecar of this library, so such an `after` always holds.
 */
export class ExistingInitContainer implements IPodPart {
  /** @internal */
  constructor(
    /** The container's name. */
    public readonly containerName: string,
  ) {}
}
