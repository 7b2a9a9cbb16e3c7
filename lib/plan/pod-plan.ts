/**
 * The start-up plan of one workload, read from its rendered manifest (ours or anyone's): phases in order and
 * what gates each, the shutdown and who spends its grace period, every container's image, mounts, ports and
 * probes, the effective requests and limits with what drives them, and the runbook.
 */
import type { EffectiveResources } from '../core/resource-accounting';
import { PlanContainer, readContainers } from './plan-container';
import { planMarkdown } from './plan-markdown';
import { planMermaid } from './plan-mermaid';
import { derivePhases, PhaseKind, PlanPhase } from './plan-phase';
import { planRunbookText, planText } from './plan-text';
import { formatCpu, formatMemory } from './quantity';
import { accountResources, reportedFigures, ResourceName } from './resource-stages';
import { ContainerCommands, deriveRunbook, PlanStatus, PodCommands, RunbookEntry } from './runbook';
import { deriveShutdown, ShutdownPlan } from './shutdown-plan';
import { RUNS_TO_COMPLETION } from '../core/pod-template';
import { isWorkload, readWorkload } from './workload-manifest';

/** The annotation in which a workload acknowledges rules, as JSON `{"<rule-id>": "<reason>"}`. */
export const ACKNOWLEDGE_ANNOTATION = 'pod-patterns.cdk8s.io/acknowledge';

/** A rule the workload acknowledges, and why. */
export interface AcknowledgedRule {
  /** The rule's id. */
  readonly ruleId: string;
  /** The reason given. */
  readonly reason: string;
}

/** What the pod uses while one stage of its life runs (KEP-753). */
export interface PlanResourceStage {
  /** 'init container <name>', 'native sidecar <name>' or 'app containers and sidecars'. */
  readonly stage: string;
  /** The containers counted in the stage. */
  readonly counted: string[];
  /** The stage's requests by resource ('cpu', 'memory'), as Kubernetes quantities. */
  readonly requests: { [resource: string]: string };
  /** The stage's limits by resource; a resource is absent when a counted container sets no limit for it. */
  readonly limits: { [resource: string]: string };
}

/** The data a plan is made of. */
interface PlanData {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly restartPolicy: string;
  readonly podSpecPath: string;
  readonly containers: PlanContainer[];
  readonly phases: PlanPhase[];
  readonly shutdown: ShutdownPlan;
  readonly effectiveResources: EffectiveResources;
  readonly resourceStages: PlanResourceStage[];
  readonly runbook: RunbookEntry[];
  readonly podCommands: PodCommands;
  readonly statuses: PlanStatus[];
  readonly acknowledgedRules: AcknowledgedRule[];
  readonly notes: string[];
}

const RESOURCES: ResourceName[] = ['cpu', 'memory'];

function quantity(resource: ResourceName, amount: number): string {
  return resource === 'cpu' ? formatCpu(amount) : formatMemory(amount);
}

function acknowledged(annotations: { [key: string]: string }, notes: string[]): AcknowledgedRule[] {
  const raw = annotations[ACKNOWLEDGE_ANNOTATION];
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    notes.push(`the ${ACKNOWLEDGE_ANNOTATION} annotation is not a JSON object of rule id to reason; it is ignored`);
    return [];
  }
  return Object.entries(parsed as object).map(([ruleId, reason]) => ({ ruleId, reason: String(reason) }));
}

function build(manifest: any, configMaps: Map<string, any>): PlanData {
  const w = readWorkload(manifest);
  const owner = `PodPlan: ${w.title}`;
  const spec = w.podSpec;
  const restartPolicy =
    typeof spec.restartPolicy === 'string' ? spec.restartPolicy : RUNS_TO_COMPLETION.has(w.kind) ? 'Never' : 'Always';
  const containers = readContainers(owner, spec);
  const account = accountResources(owner, spec);
  const notes: string[] = [];
  if (!w.namespace) notes.push("the manifest sets no namespace: the commands use your kubectl context's namespace");
  const init: any[] = spec.initContainers ?? [];
  init.forEach((c, i) => {
    if (c.restartPolicy === 'Always' && !c.startupProbe && i < init.length - 1) {
      notes.push(
        `native sidecar ${c.name} has no startupProbe: ${init[i + 1].name} starts as soon as it is running, ` +
          'not when it is ready; give it a startupProbe if later steps use it',
      );
    }
  });
  for (const r of RESOURCES) {
    if (!account.effective.limits[r].bounded) {
      const unset = containers.filter((c) => c.limits[r] === undefined).map((c) => c.name);
      notes.push(
        `the pod's ${r} limit is unbounded: ${unset.join(', ')} set${unset.length === 1 ? 's' : ''} no ${r} limit`,
      );
    }
  }
  const shutdown = deriveShutdown(w.kind, spec, configMaps);
  if (!shutdown.withinGracePeriod) {
    notes.push(
      `the known shutdown work takes ${shutdown.knownSpendSeconds}s, not less than the grace period ` +
        `(${shutdown.gracePeriodSeconds}s): Kubernetes kills what is still running at ${shutdown.gracePeriodSeconds}s; ` +
        'raise terminationGracePeriodSeconds or shorten the work',
    );
  }
  const runbook = deriveRunbook(w, containers);
  return {
    kind: w.kind,
    name: w.name,
    namespace: w.namespace,
    restartPolicy,
    podSpecPath: w.podSpecPath,
    containers,
    phases: derivePhases(w.kind, spec, restartPolicy),
    shutdown,
    effectiveResources: reportedFigures(account),
    resourceStages: account.stages.map((s) => {
      const requests: { [resource: string]: string } = {};
      const limits: { [resource: string]: string } = {};
      for (const r of RESOURCES) {
        requests[r] = quantity(r, s.use.requests[r].amount);
        if (s.use.limits[r].bounded) limits[r] = quantity(r, s.use.limits[r].amount);
      }
      return { stage: s.label, counted: s.counted, requests, limits };
    }),
    runbook: runbook.entries,
    podCommands: runbook.pod,
    statuses: runbook.statuses,
    acknowledgedRules: acknowledged(w.annotations, notes),
    notes,
  };
}

/** Flattens `kind: List` objects and drops empty YAML documents. */
function flatten(objects: any[]): any[] {
  return objects.flatMap((o) => {
    if (o === null || o === undefined) return [];
    if (o?.kind === 'List' && Array.isArray(o.items)) return flatten(o.items);
    return [o];
  });
}

/**
 * The start-up plan of one workload: a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob,
 * read from its rendered manifest.
 *
 * `composer.plan()` gives the plan of a workload of this library; `PodPlan.fromManifests()` the plans of any
 * manifests.
 */
export class PodPlan {
  /**
   * The plan of one rendered workload manifest (a JSON object as `chart.toJson()` or parsed YAML gives).
   * Throws an `Error` that names the object when it is not a workload or its pod spec cannot be read.
   */
  public static fromManifest(manifest: any): PodPlan {
    return new PodPlan(build(manifest, new Map()));
  }

  /**
   * The plans of every workload among rendered manifests, in their order; other objects are skipped, and the
   * ConfigMaps among them are read for the shutdown (Fluent Bit's `Grace`). `kind: List` objects are read
   * item by item.
   */
  public static fromManifests(objects: any[]): PodPlan[] {
    if (!Array.isArray(objects)) {
      throw new Error(`PodPlan.fromManifests: expected a list of Kubernetes objects, got ${typeof objects}`);
    }
    const all = flatten(objects);
    all.forEach((o, i) => {
      if (typeof o !== 'object' || Array.isArray(o) || typeof o.kind !== 'string') {
        throw new Error(
          `PodPlan.fromManifests: item ${i + 1} is not a Kubernetes object (a JSON object with 'kind'), got ` +
            `${String(JSON.stringify(o)).slice(0, 60)}`,
        );
      }
    });
    const configMapsIn = (namespace: string | undefined) =>
      new Map<string, any>(
        all
          .filter((o) => o.kind === 'ConfigMap' && (o.metadata?.namespace || undefined) === namespace)
          .map((o) => [o.metadata?.name, o]),
      );
    return all
      .filter((o) => isWorkload(o))
      .map((o) => new PodPlan(build(o, configMapsIn(o.metadata?.namespace || undefined))));
  }

  /** The workload's kind: 'Deployment', 'Pod', ... */
  public readonly kind: string;
  /** The workload's name. */
  public readonly name: string;
  /**
   * The workload's namespace.
   * @default - none in the manifest: the namespace of kubectl's context
   */
  public readonly namespace?: string;
  /** The pod's restart policy (as set, else the Kubernetes default: Always; Never for a Job, which must set one). */
  public readonly restartPolicy: string;
  /** Where the pod spec is in the manifest: 'spec.template.spec'. */
  public readonly podSpecPath: string;
  /** Every container, init containers and native sidecars first, in spec order. */
  public readonly containers: PlanContainer[];
  /** The start-up phases in order. */
  public readonly phases: PlanPhase[];
  /**
   * Container names in start-up order: init containers and native sidecars in spec order, then app containers
   * and classic sidecars.
   */
  public readonly startupOrder: string[];
  /** The shutdown. */
  public readonly shutdown: ShutdownPlan;
  /** The effective requests and limits (KEP-753) and what drives each. */
  public readonly effectiveResources: EffectiveResources;
  /** What the pod uses during each stage, from which the effective figures are the largest. */
  public readonly resourceStages: PlanResourceStage[];
  /** One entry per container, in start-up order: its status, what it means, and the commands. */
  public readonly runbook: RunbookEntry[];
  /** Commands about the whole pod. */
  public readonly podCommands: PodCommands;
  /** The pod statuses and the containers behind them. */
  public readonly statuses: PlanStatus[];
  /** Rules the workload acknowledges (annotation `pod-patterns.cdk8s.io/acknowledge`), with their reasons. */
  public readonly acknowledgedRules: AcknowledgedRule[];
  /** Things worth knowing about this pod's start-up and shutdown. */
  public readonly notes: string[];

  private constructor(data: PlanData) {
    this.kind = data.kind;
    this.name = data.name;
    this.namespace = data.namespace;
    this.restartPolicy = data.restartPolicy;
    this.podSpecPath = data.podSpecPath;
    this.containers = data.containers;
    this.phases = data.phases;
    this.startupOrder = data.phases.flatMap((p) => p.containers);
    this.shutdown = data.shutdown;
    this.effectiveResources = data.effectiveResources;
    this.resourceStages = data.resourceStages;
    this.runbook = data.runbook;
    this.podCommands = data.podCommands;
    this.statuses = data.statuses;
    this.acknowledgedRules = data.acknowledgedRules;
    this.notes = data.notes;
  }

  /** The native sidecars, in start-up order. */
  public get nativeSidecars(): string[] {
    return this.phases.filter((p) => p.kind === PhaseKind.NATIVE_SIDECAR).flatMap((p) => p.containers);
  }

  /** A container of the plan by name; throws when the pod has none of that name. */
  public container(name: string): PlanContainer {
    const found = this.containers.find((c) => c.name === name);
    if (!found) {
      throw new Error(
        `PodPlan ${this.kind} '${this.name}': no container named '${name}'; the pod has ${this.startupOrder.join(', ')}`,
      );
    }
    return found;
  }

  /** The commands of one container. */
  public commandsFor(name: string): ContainerCommands {
    this.container(name);
    return this.runbook.find((e) => e.container === name)!.commands;
  }

  /** The plan as plain text. */
  public toText(): string {
    return planText(this);
  }

  /** The runbook alone as plain text: the `Init:N/M` statuses, their containers and the kubectl commands. */
  public toRunbookText(): string {
    return planRunbookText(this);
  }

  /** The plan as Markdown, with its Mermaid diagram in a `mermaid` block. */
  public toMarkdown(): string {
    return planMarkdown(this);
  }

  /** The start-up and shutdown as a Mermaid flowchart: phases left to right, gating edges labelled. */
  public toMermaid(): string {
    return planMermaid(this);
  }

  /**
   * The plan as JSON data: `kind`, `namespace`, `name`, `startupOrder`, `effectiveRequests` and
   * `effectiveLimits` (`{ "cpu": "1200m", "memory": "612Mi" }`; an unbounded limit is absent), `phases`,
   * `shutdown`, `runbook`, and the details (`containers`, `resourceStages`, `acknowledgedRules`, `notes`).
   */
  public toJson(): any {
    const r = this.effectiveResources;
    const limits: { [resource: string]: string } = {};
    if (r.cpuLimit.bounded) limits.cpu = r.cpuLimit.quantity;
    if (r.memoryLimit.bounded) limits.memory = r.memoryLimit.quantity;
    return JSON.parse(
      JSON.stringify({
        kind: this.kind,
        namespace: this.namespace ?? null,
        name: this.name,
        startupOrder: this.startupOrder,
        effectiveRequests: { cpu: r.cpuRequest.quantity, memory: r.memoryRequest.quantity },
        effectiveLimits: limits,
        drivenBy: {
          cpuRequest: r.cpuRequest.drivenBy,
          memoryRequest: r.memoryRequest.drivenBy,
          cpuLimit: r.cpuLimit.drivenBy,
          memoryLimit: r.memoryLimit.drivenBy,
        },
        phases: this.phases,
        shutdown: this.shutdown,
        runbook: { pod: this.podCommands, containers: this.runbook, statuses: this.statuses },
        restartPolicy: this.restartPolicy,
        containers: this.containers,
        resourceStages: this.resourceStages,
        acknowledgedRules: this.acknowledgedRules,
        notes: this.notes,
      }),
    );
  }
}
