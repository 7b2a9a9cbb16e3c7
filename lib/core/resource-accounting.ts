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
   * before it) or `app containers and sidecars`.
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

const BINARY: { [suffix: string]: number } = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: { [suffix: string]: number } = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Computes a pod's effective resources per the Kubernetes rule with native sidecars (KEP-753).
 *
 * Init containers run one at a time; a native sidecar (`restartPolicy: Always`) keeps running once
 * started. So the use while an init container runs is its own amount plus every sidecar started before
 * it (a sidecar's own start counts itself). The pod's effective amount is the larger of the highest of
 * those init uses and the sum of all sidecars and app containers.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
export class ResourceAccounting {
  /**
   * Parses a Kubernetes quantity ('250m', '0.5', '64Mi', '1G', '1e3') to a number of base units (cores,
   * bytes).
   */
  public static parseQuantity(quantity: string): number {
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(
      String(quantity).trim(),
    );
    if (!m) {
      throw new Error(
        `ResourceAccounting: ${JSON.stringify(quantity)} is not a Kubernetes quantity (e.g. '250m', '64Mi')`,
      );
    }
    const base = Number(m[1]);
    if (m[2]) return base * 10 ** Number(m[2].slice(1));
    const suffix = m[3] ?? '';
    return base * (BINARY[suffix] ?? DECIMAL[suffix]);
  }

  /** Computes the effective resources of a rendered pod spec (the `spec` of a Pod, or a template's spec). */
  public static ofPodSpec(podSpec: any): EffectiveResources {
    const figure = (kind: 'requests' | 'limits', resource: 'cpu' | 'memory') => computeFigure(podSpec, kind, resource);
    return {
      cpuRequest: figure('requests', 'cpu'),
      memoryRequest: figure('requests', 'memory'),
      cpuLimit: figure('limits', 'cpu'),
      memoryLimit: figure('limits', 'memory'),
    };
  }

  private constructor() {}
}

/** A container's amount in millicores or bytes, and whether it sets one at all. */
function amountOf(container: any, kind: 'requests' | 'limits', resource: 'cpu' | 'memory') {
  let raw = container.resources?.[kind]?.[resource];
  // Kubernetes defaults a missing request to the limit.
  if (raw === undefined && kind === 'requests') raw = container.resources?.limits?.[resource];
  if (raw === undefined) return { value: 0, set: false };
  const parsed = ResourceAccounting.parseQuantity(String(raw));
  return { value: Math.round(resource === 'cpu' ? parsed * 1000 : parsed), set: true };
}

function computeFigure(podSpec: any, kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): ResourceFigure {
  // A missing request counts as zero; a missing limit makes the pod's limit unbounded.
  let bounded = true;
  let sidecars = 0;
  let initMax = 0;
  let initDriver = '';
  for (const c of podSpec.initContainers ?? []) {
    const own = amountOf(c, kind, resource);
    bounded = bounded && (own.set || kind === 'requests');
    let use: number;
    if (c.restartPolicy === 'Always') {
      sidecars += own.value;
      use = sidecars;
    } else {
      use = own.value + sidecars;
    }
    if (use > initMax) {
      initMax = use;
      initDriver = `init container ${c.name}`;
    }
  }
  let regular = sidecars;
  for (const c of podSpec.containers ?? []) {
    const own = amountOf(c, kind, resource);
    bounded = bounded && (own.set || kind === 'requests');
    regular += own.value;
  }
  const initWins = initMax > regular;
  const amount = initWins ? initMax : regular;
  return {
    amount,
    quantity: resource === 'cpu' ? `${amount}m` : formatBytes(amount),
    bounded,
    drivenBy: initWins ? initDriver : 'app containers and sidecars',
  };
}

function formatBytes(bytes: number): string {
  for (const [suffix, factor] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return `${bytes}`;
}
