/**
 * The runbook: the pod statuses mapped to the containers behind them, and for each container the exact kubectl
 * commands that show what it is doing, with the workload's namespace and names.
 */
import { ContainerRole, PlanContainer } from './plan-container';
import { RUNS_TO_COMPLETION } from '../core/pod-template';
import { WorkloadManifest } from './workload-manifest';

/** Commands about the whole pod. */
export interface PodCommands {
  /** Lists the workload's pods (for a Pod, the pod itself). */
  readonly listPods: string;
  /** Shows the pod's containers, their states and its events. */
  readonly describe: string;
  /** The pod's events in order: scheduling, image pulls, probe failures, OOM kills. */
  readonly events: string;
  /** Each init container (and native sidecar) with its state. */
  readonly initContainerStates: string;
  /** Each app container and classic sidecar with its state. */
  readonly containerStates: string;
}

/** Commands about one container. */
export interface ContainerCommands {
  /** The container's state (waiting, running, terminated, and why). */
  readonly state: string;
  /** Its logs. */
  readonly logs: string;
  /** Its logs as they come. */
  readonly follow: string;
  /** The logs of its previous run, after a crash or restart. */
  readonly previousLogs: string;
  /** A shell in the running container. */
  readonly exec: string;
  /** A debug container beside it, for an image without a shell. */
  readonly debug: string;
}

/** One container's entry in the runbook. */
export interface RunbookEntry {
  /** The container. */
  readonly container: string;
  /** Its role. */
  readonly role: ContainerRole;
  /** The pod's status while this container holds up the start-up, or 'Running' for the app containers. */
  readonly status: string;
  /** What it means when the pod stays there, and what to look at. */
  readonly meaning: string;
  /** The commands. */
  readonly commands: ContainerCommands;
}

/** A pod status and the containers behind it. */
export interface PlanStatus {
  /** As kubectl's STATUS column shows it: 'Init:0/2', 'Init:CrashLoopBackOff', 'PodInitializing'. */
  readonly status: string;
  /** What it means for this pod. */
  readonly meaning: string;
  /** The containers that can be behind it. */
  readonly containers: string[];
}

/** Builds the runbook of a workload from its containers. */
export function deriveRunbook(
  w: WorkloadManifest,
  containers: PlanContainer[],
): { pod: PodCommands; entries: RunbookEntry[]; statuses: PlanStatus[] } {
  const ns = w.namespace ? ` -n ${w.namespace}` : '';
  const isPod = w.kind === 'Pod';
  // A controller's pods have generated names: '<pod>' stands for one of them, from listPods.
  const pod = isPod ? w.name : '<pod>';
  const selector = Object.entries(w.podSelector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const listPods = isPod
    ? `kubectl get pod ${w.name}${ns}`
    : selector
      ? `kubectl get pods${ns} -l ${selector}`
      : `kubectl get pods${ns}`;
  const podCommands: PodCommands = {
    listPods,
    describe: `kubectl describe pod ${pod}${ns}`,
    events: `kubectl get events${ns} --field-selector involvedObject.name=${pod} --sort-by=.lastTimestamp`,
    initContainerStates:
      `kubectl get pod ${pod}${ns} -o jsonpath='{range .status.initContainerStatuses[*]}` +
      `{.name}{"\\t"}{.state}{"\\n"}{end}'`,
    containerStates:
      `kubectl get pod ${pod}${ns} -o jsonpath='{range .status.containerStatuses[*]}` +
      `{.name}{"\\t"}{.state}{"\\n"}{end}'`,
  };
  const init = containers.filter((c) => c.role !== ContainerRole.CONTAINER);
  const app = containers.filter((c) => c.role === ContainerRole.CONTAINER);
  const commands = (c: PlanContainer): ContainerCommands => {
    const statuses = c.role === ContainerRole.CONTAINER ? 'containerStatuses' : 'initContainerStatuses';
    return {
      state: `kubectl get pod ${pod}${ns} -o jsonpath='{.status.${statuses}[?(@.name=="${c.name}")].state}'`,
      logs: `kubectl logs ${pod}${ns} -c ${c.name}`,
      follow: `kubectl logs ${pod}${ns} -c ${c.name} -f`,
      previousLogs: `kubectl logs ${pod}${ns} -c ${c.name} --previous`,
      exec: `kubectl exec -it ${pod}${ns} -c ${c.name} -- sh`,
      debug: `kubectl debug -it ${pod}${ns} --image=busybox:1.36 --target=${c.name}`,
    };
  };
  const entries: RunbookEntry[] = init.map((c, i) => ({
    container: c.name,
    role: c.role,
    status: `Init:${i}/${init.length}`,
    meaning:
      c.role === ContainerRole.NATIVE_SIDECAR
        ? c.probes.some((p) => p.probe === 'startupProbe')
          ? `native sidecar ${c.name} has not passed its startupProbe yet (or keeps restarting): read its logs, and describe the pod for probe failures`
          : `native sidecar ${c.name} has not started yet (image pull, or it keeps crashing): describe the pod, read its logs`
        : `init container ${c.name} has not exited 0 yet: it is still working or waiting (read its logs), or it keeps failing (read --previous)`,
    commands: commands(c),
  }));
  const completes = RUNS_TO_COMPLETION.has(w.kind);
  for (const c of app) {
    entries.push({
      container: c.name,
      role: c.role,
      status: completes ? 'Running, then Completed' : 'Running',
      meaning: `${c.name} runs with the other app containers; CrashLoopBackOff or a READY count short of the total points at it when its state shows restarts or a failing probe`,
      commands: commands(c),
    });
  }
  const sidecars = init.filter((c) => c.role === ContainerRole.NATIVE_SIDECAR).map((c) => c.name);
  const regularInit = init.filter((c) => c.role === ContainerRole.INIT_CONTAINER).map((c) => c.name);
  const statuses: PlanStatus[] = [
    {
      status: 'Pending',
      meaning:
        'not scheduled yet (no node has room for the effective requests) or images are pulling: describe the pod',
      containers: [],
    },
    ...entries
      .filter((e) => e.role !== ContainerRole.CONTAINER)
      .map((e) => ({ status: e.status, meaning: e.meaning, containers: [e.container] })),
  ];
  if (init.length > 0) {
    statuses.push(
      {
        status: 'Init:Error',
        meaning: 'the first init container that has not finished exited non-zero: read its --previous logs',
        containers: regularInit,
      },
      {
        status: 'Init:CrashLoopBackOff',
        meaning:
          'an init container or a native sidecar keeps failing and is restarted with back-off: read its --previous logs',
        containers: init.map((c) => c.name),
      },
      {
        status: 'PodInitializing',
        meaning: `every init container has exited 0${sidecars.length ? ' and every native sidecar has started' : ''}; the app containers are being created (image pulls)`,
        containers: app.map((c) => c.name),
      },
    );
  }
  statuses.push({
    status: 'CrashLoopBackOff',
    meaning: 'an app container or a sidecar keeps exiting: the container states show which; read its --previous logs',
    containers: [...app.map((c) => c.name), ...sidecars],
  });
  statuses.push({
    status: 'Running',
    meaning: `READY counts ${app.length + sidecars.length} containers (app containers${sidecars.length ? ' and native sidecars' : ''}); the pod is Ready when all of them are`,
    containers: [...sidecars, ...app.map((c) => c.name)],
  });
  if (completes) {
    statuses.push({
      status: 'Completed',
      meaning: `the app containers exited 0${sidecars.length ? ' and the native sidecars were stopped' : ''}`,
      containers: app.map((c) => c.name),
    });
  }
  return { pod: podCommands, entries, statuses };
}
