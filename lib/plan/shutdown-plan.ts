/**
 * How the pod stops: the app containers and classic sidecars first, together; then the native sidecars, in
 * the reverse of their start-up order; all within one termination grace period, and who spends it.
 */
import { RUNS_TO_COMPLETION } from '../core/pod-template';

/** Shutdown work that spends part of the grace period. */
export interface ShutdownSpend {
  /** The container that spends it. */
  readonly container: string;
  /**
   * The seconds it takes, when the manifest says.
   * @default - not known from the manifest
   */
  readonly seconds?: number;
  /** What it does: 'preStop hook sleeps 5s (ENVOY_DRAIN_SECONDS)', "Fluent Bit flushes for up to its Grace (5s)". */
  readonly what: string;
}

/** One step of the shutdown. */
export interface ShutdownStep {
  /** 1 for the first step. */
  readonly position: number;
  /** The containers stopped in this step. */
  readonly containers: string[];
  /** The step in a sentence. */
  readonly description: string;
  /** The shutdown work of this step's containers. */
  readonly spends: ShutdownSpend[];
}

/** The pod's shutdown. */
export interface ShutdownPlan {
  /** `terminationGracePeriodSeconds`: the budget every step shares (30 unless set). */
  readonly gracePeriodSeconds: number;
  /** What starts the shutdown. */
  readonly trigger: string;
  /** The steps in order. */
  readonly steps: ShutdownStep[];
  /**
   * The seconds the known shutdown work takes at most: the longest of the first step's, plus each native
   * sidecar's in turn.
   */
  readonly knownSpendSeconds: number;
  /** Whether the known shutdown work fits in the grace period. */
  readonly withinGracePeriod: boolean;
}

/** Reads the seconds a shell command sleeps: `sleep 5`, `sleep "${DRAIN}"` with DRAIN a plain env value. */
function sleptSeconds(
  command: string,
  env: { [name: string]: string },
): { seconds: number; from?: string } | undefined {
  const literal = /\bsleep\s+["']?(\d+(?:\.\d+)?)["']?(?:\s|;|$)/.exec(command);
  if (literal) return { seconds: Number(literal[1]) };
  const variable = /\bsleep\s+["']?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?["']?/.exec(command);
  if (variable && env[variable[1]] !== undefined && /^\d+(\.\d+)?$/.test(env[variable[1]])) {
    return { seconds: Number(env[variable[1]]), from: variable[1] };
  }
  return undefined;
}

function plainEnv(container: any): { [name: string]: string } {
  const env: { [name: string]: string } = {};
  for (const e of container.env ?? []) if (typeof e?.value === 'string') env[e.name] = e.value;
  return env;
}

/** Fluent Bit's `Grace` from a ConfigMap the container mounts, when one of the manifests holds it. */
function fluentBitGrace(
  container: any,
  podSpec: any,
  configMaps: Map<string, any>,
): { seconds: number; from?: string } {
  for (const mount of container.volumeMounts ?? []) {
    const volume = (podSpec.volumes ?? []).find((v: any) => v?.name === mount.name);
    const name = volume?.configMap?.name;
    const data = name ? configMaps.get(name)?.data : undefined;
    for (const text of Object.values(data ?? {})) {
      const m = /^\s*grace\s*[:=]?\s*(\d+)\s*$/im.exec(String(text));
      if (m) return { seconds: Number(m[1]), from: `ConfigMap ${name}` };
    }
  }
  return { seconds: 5 };
}

function spendsOf(container: any, podSpec: any, configMaps: Map<string, any>): ShutdownSpend[] {
  const spends: ShutdownSpend[] = [];
  const hook = container.lifecycle?.preStop;
  if (hook?.sleep) {
    spends.push({
      container: container.name,
      seconds: Number(hook.sleep.seconds),
      what: `preStop sleeps ${hook.sleep.seconds}s`,
    });
  } else if (hook?.exec) {
    const slept = sleptSeconds((hook.exec.command ?? []).join(' '), plainEnv(container));
    spends.push(
      slept
        ? {
            container: container.name,
            seconds: slept.seconds,
            what: `preStop hook waits ${slept.seconds}s${slept.from ? ` (${slept.from})` : ''}`,
          }
        : { container: container.name, what: 'preStop hook (exec) of unknown length' },
    );
  } else if (hook?.httpGet) {
    spends.push({
      container: container.name,
      what: `preStop hook calls :${hook.httpGet.port}${hook.httpGet.path ?? '/'}`,
    });
  }
  const image = String(container.image ?? '');
  if (/fluent-bit/.test(image)) {
    const grace = fluentBitGrace(container, podSpec, configMaps);
    spends.push({
      container: container.name,
      seconds: grace.seconds,
      what: `Fluent Bit flushes for up to its Grace (${grace.seconds}s${grace.from ? `, ${grace.from}` : ", Fluent Bit's default"})`,
    });
  } else if (/fluentd/.test(image)) {
    spends.push({ container: container.name, what: 'Fluentd flushes its buffers on SIGTERM' });
  }
  return spends;
}

/** Derives the shutdown of a pod spec. */
export function deriveShutdown(kind: string, podSpec: any, configMaps: Map<string, any>): ShutdownPlan {
  const grace = typeof podSpec.terminationGracePeriodSeconds === 'number' ? podSpec.terminationGracePeriodSeconds : 30;
  const containers: any[] = podSpec.containers;
  const sidecars: any[] = (podSpec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').reverse();
  const completes = RUNS_TO_COMPLETION.has(kind);
  const steps: ShutdownStep[] = [
    {
      position: 1,
      containers: containers.map((c) => c.name),
      description: completes
        ? 'the app containers complete on their own (or, when the pod is deleted, run their preStop hooks and get SIGTERM together)'
        : 'every app container and classic sidecar runs its preStop hook, then gets SIGTERM, all at once',
      spends: containers.flatMap((c) => spendsOf(c, podSpec, configMaps)),
    },
  ];
  sidecars.forEach((c, i) => {
    const after = i === 0 ? 'the app containers have stopped' : `${sidecars[i - 1].name} has stopped`;
    steps.push({
      position: i + 2,
      containers: [c.name],
      description: `native sidecar ${c.name} runs its preStop hook and gets SIGTERM once ${after}`,
      spends: spendsOf(c, podSpec, configMaps),
    });
  });
  // One container's work is sequential (its preStop hook, then its own exit); a step's containers stop together.
  const longest = (spends: ShutdownSpend[]) => {
    const perContainer = new Map<string, number>();
    for (const s of spends) perContainer.set(s.container, (perContainer.get(s.container) ?? 0) + (s.seconds ?? 0));
    return Math.max(0, ...perContainer.values());
  };
  const known = longest(steps[0].spends) + steps.slice(1).reduce((sum, s) => sum + longest(s.spends), 0);
  return {
    gracePeriodSeconds: grace,
    trigger: completes
      ? 'the app containers complete, or the pod is deleted'
      : 'the pod is deleted (a rollout, a scale-down, a drain, kubectl delete)',
    steps,
    knownSpendSeconds: known,
    withinGracePeriod: known < grace,
  };
}
