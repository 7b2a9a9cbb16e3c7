/**
 * The Kubernetes rule for a pod's effective requests and limits with native sidecars (KEP-753), stage by
 * stage: the one implementation that `ResourceAccounting` and the start-up plan both report.
 *
 * Init containers run one at a time; a native sidecar (`restartPolicy: Always`) keeps running once started.
 * While a regular init container runs, the pod uses its amount plus every native sidecar started before it;
 * once the app runs, the pod uses the sum of its containers plus every native sidecar. The effective amount is
 * the largest of those stages (the app stage wins a tie), plus the pod's `overhead`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
import { cpuMillis, formatCpu, formatMemory, memoryBytes, quantityValue } from './quantity';

/** 'cpu' or 'memory'. */
export type ResourceName = 'cpu' | 'memory';
/** 'requests' or 'limits'. */
export type AmountKind = 'requests' | 'limits';

/** What the pod uses of one resource during one stage. */
export interface StageUse {
  /** Millicores or bytes. */
  readonly amount: number;
  /** False when a container counted in the stage sets no limit (limits only). */
  readonly bounded: boolean;
}

/** One stage of the pod's life, as the accounting sees it. */
export interface ResourceStage {
  /** 'init' (a regular init container runs), 'sidecar' (a native sidecar starts) or 'running' (the app runs). */
  readonly kind: 'init' | 'sidecar' | 'running';
  /** The init container or native sidecar of the stage; undefined for the running stage. */
  readonly container?: string;
  /** 'init container <name>', 'native sidecar <name>' or 'app containers and sidecars'. */
  readonly label: string;
  /** The containers counted in the stage, in start-up order. */
  readonly counted: string[];
  /** The use, by amount kind and resource. */
  readonly use: { readonly [kind in AmountKind]: { readonly [resource in ResourceName]: StageUse } };
}

/** The effective figure of one resource and what drives it. */
export interface EffectiveFigure {
  readonly amount: number;
  readonly bounded: boolean;
  /** The label of the stage that drives the figure, or 'pod-level resources (spec.resources)'. */
  readonly drivenBy: string;
  /** The stage that drives the figure; undefined when pod-level resources set it. */
  readonly stage?: ResourceStage;
}

/** The stages and the effective figures of a pod spec. */
export interface ResourceAccount {
  readonly stages: ResourceStage[];
  readonly effective: { readonly [kind in AmountKind]: { readonly [resource in ResourceName]: EffectiveFigure } };
  /** The pod's overhead (RuntimeClass), in millicores and bytes, added to every figure. */
  readonly overhead: { readonly [resource in ResourceName]: number };
}

const KINDS: AmountKind[] = ['requests', 'limits'];
const RESOURCES: ResourceName[] = ['cpu', 'memory'];

/**
 * A container's amount in millicores or bytes, and whether it sets one. Kubernetes defaults a missing request
 * to the limit.
 *
 * @param owner prefixes an error, e.g. "PodPlan: Pod 'web'"
 */
export function containerAmount(
  owner: string,
  container: any,
  kind: AmountKind,
  resource: ResourceName,
): { value: number; set: boolean } {
  const value = amountOf(owner, container, kind, resource);
  return value === undefined ? { value: 0, set: false } : { value, set: true };
}

/** `containerAmount`'s value, or undefined when the container sets none (no object made: a pod has many). */
function amountOf(owner: string, container: any, kind: AmountKind, resource: ResourceName): number | undefined {
  const resources = container?.resources;
  let from = kind;
  let raw = resources?.[kind]?.[resource];
  if (raw === undefined && kind === 'requests' && resources?.limits?.[resource] !== undefined) {
    raw = resources.limits[resource];
    from = 'limits';
  }
  if (raw === undefined || raw === null) return undefined;
  return toUnits(raw, resource, () => `${owner} container '${container.name}': resources.${from}.${resource}`);
}

/**
 * A quantity in millicores or bytes.
 *
 * @param where names the field in the error ("PodPlan: Pod 'web': overhead.cpu"), built only on error
 */
function toUnits(raw: unknown, resource: ResourceName, where: () => string): number {
  const value = quantityValue(raw);
  if (value === undefined || value < 0) {
    throw new Error(`${where()} ${JSON.stringify(raw)} is not a Kubernetes quantity (e.g. '250m', '64Mi')`);
  }
  return resource === 'cpu' ? cpuMillis(value) : memoryBytes(value);
}

type MutableUse = { [kind in AmountKind]: { [resource in ResourceName]: { amount: number; bounded: boolean } } };

function emptyUse(): MutableUse {
  return {
    requests: { cpu: { amount: 0, bounded: true }, memory: { amount: 0, bounded: true } },
    limits: { cpu: { amount: 0, bounded: true }, memory: { amount: 0, bounded: true } },
  };
}

function copyUse(use: MutableUse): MutableUse {
  const out = emptyUse();
  for (const k of KINDS) for (const r of RESOURCES) out[k][r] = { ...use[k][r] };
  return out;
}

function addContainer(owner: string, use: MutableUse, container: any): void {
  for (const k of KINDS) {
    for (const r of RESOURCES) {
      const own = amountOf(owner, container, k, r);
      // A missing request counts as zero; a missing limit leaves the stage without a bound.
      if (own !== undefined) use[k][r].amount += own;
      else if (k === 'limits') use[k][r].bounded = false;
    }
  }
}

/**
 * Accounts a rendered pod spec's resources stage by stage.
 *
 * @param owner prefixes errors about quantities, e.g. "ResourceAccounting"
 */
export function accountResources(owner: string, podSpec: any): ResourceAccount {
  const stages: ResourceStage[] = [];
  const sidecars = emptyUse();
  const sidecarNames: string[] = [];
  for (const c of podSpec?.initContainers ?? []) {
    if (c?.restartPolicy === 'Always') {
      addContainer(owner, sidecars, c);
      sidecarNames.push(c.name);
      stages.push({
        kind: 'sidecar',
        container: c.name,
        label: `native sidecar ${c.name}`,
        counted: [...sidecarNames],
        use: copyUse(sidecars),
      });
    } else {
      const use = copyUse(sidecars);
      addContainer(owner, use, c);
      stages.push({
        kind: 'init',
        container: c.name,
        label: `init container ${c.name}`,
        counted: [...sidecarNames, c.name],
        use,
      });
    }
  }
  const running = copyUse(sidecars);
  for (const c of podSpec?.containers ?? []) addContainer(owner, running, c);
  stages.push({
    kind: 'running',
    label: 'app containers and sidecars',
    counted: [...sidecarNames, ...(podSpec?.containers ?? []).map((c: any) => c.name)],
    use: running,
  });

  const overhead = { cpu: 0, memory: 0 };
  for (const r of RESOURCES) {
    const raw = podSpec?.overhead?.[r];
    if (raw !== undefined) overhead[r] = toUnits(raw, r, () => `${owner}: overhead.${r}`);
  }

  const effective = { requests: {}, limits: {} } as {
    [kind in AmountKind]: { [resource in ResourceName]: EffectiveFigure };
  };
  for (const k of KINDS) {
    for (const r of RESOURCES) {
      const podLevel = podSpec?.resources?.[k]?.[r] ?? (k === 'requests' ? podSpec?.resources?.limits?.[r] : undefined);
      if (podLevel !== undefined) {
        effective[k][r] = {
          amount: toUnits(podLevel, r, () => `${owner}: resources.${k}.${r}`) + overhead[r],
          bounded: true,
          drivenBy: 'pod-level resources (spec.resources)',
        };
        continue;
      }
      // The running stage is last and wins a tie; an init stage must be strictly larger.
      let driver = stages[stages.length - 1];
      for (const s of stages) if (s.use[k][r].amount > driver.use[k][r].amount) driver = s;
      effective[k][r] = {
        amount: driver.use[k][r].amount + overhead[r],
        bounded: k === 'requests' || stages.every((s) => s.use[k][r].bounded),
        drivenBy: driver.label,
        stage: driver,
      };
    }
  }
  return { stages, effective, overhead };
}

/** A figure as `ResourceAccounting` reports it (the `ResourceFigure` struct). */
export interface ReportedFigure {
  readonly amount: number;
  readonly quantity: string;
  readonly bounded: boolean;
  readonly drivenBy: string;
}

/** The four figures as `ResourceAccounting` reports them (the `EffectiveResources` struct). */
export function reportedFigures(account: ResourceAccount): {
  cpuRequest: ReportedFigure;
  memoryRequest: ReportedFigure;
  cpuLimit: ReportedFigure;
  memoryLimit: ReportedFigure;
} {
  const figure = (kind: AmountKind, resource: ResourceName): ReportedFigure => {
    const f = account.effective[kind][resource];
    return {
      amount: f.amount,
      quantity: resource === 'cpu' ? formatCpu(f.amount) : formatMemory(f.amount),
      bounded: f.bounded,
      drivenBy: f.drivenBy,
    };
  };
  return {
    cpuRequest: figure('requests', 'cpu'),
    memoryRequest: figure('requests', 'memory'),
    cpuLimit: figure('limits', 'cpu'),
    memoryLimit: figure('limits', 'memory'),
  };
}
