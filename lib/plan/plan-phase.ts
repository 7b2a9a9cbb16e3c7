/** The pod's start-up phases in order, what each waits for, and what a failure does. */
import { RUNS_TO_COMPLETION } from '../core/pod-template';

/** What a phase runs. */
export enum PhaseKind {
  /** A regular init container, alone. */
  INIT_CONTAINER = 'init-container',
  /** A native sidecar starting at its place; it then runs for the pod's lifetime. */
  NATIVE_SIDECAR = 'native-sidecar',
  /** The app containers and classic sidecars, together. */
  CONTAINERS = 'containers',
}

/** One phase of the pod's start-up. */
export interface PlanPhase {
  /** 1 for the first phase. */
  readonly position: number;
  /** What the phase runs. */
  readonly kind: PhaseKind;
  /** The containers of the phase: one for an init phase, every app container and classic sidecar for the last. */
  readonly containers: string[];
  /**
   * The pod's status (kubectl STATUS column) while the phase holds up the start-up: 'Init:1/3'.
   * @default - the last phase: 'PodInitializing', then 'Running'
   */
  readonly initStatus?: string;
  /**
   * What the next phase waits for: 'runs to completion', 'waits for startupProbe', 'waits until started'; for
   * the last phase, how long it runs.
   */
  readonly gate: string;
  /** The gate in a sentence. */
  readonly explanation: string;
  /** What a failure in the phase does under the pod's restart policy. */
  readonly onFailure: string;
}

function initFailure(kind: string, restartPolicy: string): string {
  if (restartPolicy === 'Never') {
    const job = RUNS_TO_COMPLETION.has(kind)
      ? '; the Job starts a new pod, up to its backoffLimit (6 unless set)'
      : kind === 'Pod'
        ? ''
        : '; its controller replaces the pod';
    return `the pod fails (restartPolicy Never) and nothing after it starts${job}`;
  }
  const job = RUNS_TO_COMPLETION.has(kind) ? "; each failure counts toward the Job's backoffLimit" : '';
  return (
    `restarted with back-off until it exits 0 (restartPolicy ${restartPolicy}): Init:Error, then ` +
    `Init:CrashLoopBackOff; nothing after it starts${job}`
  );
}

function containersFailure(kind: string, restartPolicy: string): string {
  switch (restartPolicy) {
    case 'Never':
      return RUNS_TO_COMPLETION.has(kind)
        ? 'not restarted (restartPolicy Never): the pod fails and the Job may start a new one, up to its backoffLimit'
        : 'not restarted (restartPolicy Never)';
    case 'OnFailure':
      return 'restarted with back-off when it exits non-zero (restartPolicy OnFailure): CrashLoopBackOff';
    default:
      return 'restarted with back-off whenever it exits (restartPolicy Always): CrashLoopBackOff';
  }
}

/** Derives the phases of a pod spec. */
export function derivePhases(kind: string, podSpec: any, restartPolicy: string): PlanPhase[] {
  const init: any[] = podSpec.initContainers ?? [];
  const phases: PlanPhase[] = init.map((c, i) => {
    const initStatus = `Init:${i}/${init.length}`;
    if (c.restartPolicy === 'Always') {
      const probed = c.startupProbe !== undefined;
      return {
        position: i + 1,
        kind: PhaseKind.NATIVE_SIDECAR,
        containers: [c.name],
        initStatus,
        gate: probed ? 'waits for startupProbe' : 'waits until started',
        explanation: probed
          ? `native sidecar ${c.name} starts, and the next step waits until its startupProbe passes; it then runs for the pod's lifetime`
          : `native sidecar ${c.name} starts, and the next step starts as soon as it is running: without a startupProbe Kubernetes does not wait for it to be ready`,
        onFailure:
          "restarted with back-off whatever the pod's restart policy (its own restartPolicy is Always); until it has started, nothing after it starts",
      };
    }
    return {
      position: i + 1,
      kind: PhaseKind.INIT_CONTAINER,
      containers: [c.name],
      initStatus,
      gate: 'runs to completion',
      explanation: `init container ${c.name} runs alone, and the next step starts once it exits 0`,
      onFailure: initFailure(kind, restartPolicy),
    };
  });
  const completes = RUNS_TO_COMPLETION.has(kind);
  const names = podSpec.containers.map((c: any) => c.name);
  phases.push({
    position: init.length + 1,
    kind: PhaseKind.CONTAINERS,
    containers: names,
    gate: completes ? 'run to completion' : 'run until the pod stops',
    explanation:
      names.length === 1
        ? `${names[0]} starts${completes ? ' and runs until it completes; native sidecars are then stopped' : ' and runs until the pod stops'}`
        : `${names.join(', ')} start together (in no guaranteed order) and run ${completes ? 'until they complete; native sidecars are then stopped' : 'until the pod stops'}`,
    onFailure: containersFailure(kind, restartPolicy),
  });
  return phases;
}
