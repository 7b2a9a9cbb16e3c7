import { quantityValue } from '../plan/quantity';
import { accountResources, reportedFigures } from '../plan/resource-stages';

/** One resource of the pod's effective footprint, and what drives it. */
export interface ResourceFigure {
  /** The amount: millicores for CPU, bytes for memory. */
  readonly amount: number;

  /** The amount as a Kubernetes quantity ('750m', '320Mi'). */
  readonly quantity: string;

  /**
   * Whether the figure is bounded. A limit is unbounded when a container that counts toward it sets none;
   * `amount` is then the sum of the limits that are set.
   */
  readonly bounded: boolean;

  /**
   * What drives the figure: `init container <name>` (its own amount plus the native sidecars started
   * before it), `app containers and sidecars`, or `pod-level resources (spec.resources)`.
   */
  readonly drivenBy: string;
}

/** The pod's effective requests and limits for scheduling. */
export interface EffectiveResources {
  /** Effective CPU request. */
  readonly cpuRequest: ResourceFigure;
  /** Effective memory request. */
  readonly memoryRequest: ResourceFigure;
  /** Effective CPU limit. */
  readonly cpuLimit: ResourceFigure;
  /** Effective memory limit. */
  readonly memoryLimit: ResourceFigure;
}

/**
 * Computes a pod's effective resources per the Kubernetes rule with native sidecars (KEP-753).
 *
 * Init containers run one at a time; a native sidecar (`restartPolicy: Always`) keeps running once
 * started. So the use while an init container runs is its own amount plus every sidecar started before
 * it (a sidecar's own start counts itself). The pod's effective amount is the larger of the highest of
 * those init uses and the sum of all sidecars and app containers, plus the pod's `overhead`; pod-level
 * `spec.resources`, where set, is the figure. `PodPlan` shows the same figures stage by stage.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
export class ResourceAccounting {
  /**
   * Parses a Kubernetes quantity ('250m', '0.5', '64Mi', '1G', '1e3') to a number of base units (cores,
   * bytes).
   */
  public static parseQuantity(quantity: string): number {
    const value = quantityValue(quantity);
    if (value === undefined) {
      throw new Error(
        `ResourceAccounting: ${JSON.stringify(quantity)} is not a Kubernetes quantity (e.g. '250m', '64Mi')`,
      );
    }
    return value;
  }

  /** Computes the effective resources of a rendered pod spec (the `spec` of a Pod, or a template's spec). */
  public static ofPodSpec(podSpec: any): EffectiveResources {
    return reportedFigures(accountResources('ResourceAccounting', podSpec));
  }

  private constructor() {}
}
