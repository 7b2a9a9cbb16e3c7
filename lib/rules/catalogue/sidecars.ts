import { RUNS_TO_COMPLETION } from '../../core/pod-template';
import { imageRepository, podRule, Rule } from '../rule';
import { Severity } from '../severity';

/** Images of helpers that run for the pod's lifetime: proxies and log shippers. */
const LONG_RUNNING = [
  /(^|\/)oauth2-proxy$/,
  /(^|\/)envoy(-[a-z]+)?$/,
  /^istio\/proxyv2$/,
  /^fluent\/fluent-bit$/,
  /^fluent\/fluentd/,
  /(^|\/)cloud-sql-proxy$/,
  /^timberio\/vector$/,
  /^grafana\/promtail$/,
  /(^|\/)filebeat$/,
];

/** Whether an image is a helper that never exits by itself (a proxy, a log shipper). */
export function isLongRunningHelper(image: unknown): boolean {
  const repo = imageRepository(image);
  return LONG_RUNNING.some((re) => re.test(repo));
}

export const classicSidecarInJob: Rule = podRule(
  {
    id: 'classic-sidecar-in-job',
    severity: Severity.ERROR,
    summary: 'A Job or CronJob has no classic sidecar (a proxy or log shipper among its app containers)',
    why:
      "A Job's pod completes when all its app containers exit. A proxy or log shipper never exits by itself, so " +
      'the Job never completes and its pods pile up.',
    fix: "Make the helper a native sidecar (an init container with restartPolicy 'Always', Kubernetes 1.29+), or run it outside the Job.",
  },
  (pod, problem) => {
    if (!RUNS_TO_COMPLETION.has(pod.kind) || pod.containers.length < 2) return;
    for (const c of pod.containers) {
      if (!isLongRunningHelper(c.container.image)) continue;
      problem({
        container: c.name,
        field: c.field,
        message:
          `container '${c.name}' (${c.container.image}) is a classic sidecar in a ${pod.kind}: it never exits, so ` +
          'the pod never completes',
      });
    }
  },
);

export const nativeSidecarVersion: Rule = podRule(
  {
    id: 'native-sidecar-version',
    severity: Severity.ERROR,
    summary: "No native sidecar (init container with restartPolicy 'Always') on a target before Kubernetes 1.29",
    why:
      'Before 1.29 the SidecarContainers feature is off by default: the API server drops or rejects the field, and ' +
      'the sidecar becomes an init step that never ends, so the pod never starts.',
    fix: 'Target Kubernetes 1.29+, or render the helper as a classic sidecar among the app containers.',
  },
  (pod, problem, app) => {
    if (app.minor >= 29) return;
    for (const c of pod.initContainers.filter((x) => x.native)) {
      problem({
        container: c.name,
        field: `${c.field}.restartPolicy`,
        message: `init container '${c.name}' is a native sidecar, which needs Kubernetes 1.29+; the target is 1.${app.minor}`,
      });
    }
  },
);

export const sidecarStartupProbe: Rule = podRule(
  {
    id: 'sidecar-startup-probe',
    severity: Severity.WARNING,
    summary: 'An init step that runs after a native sidecar can count on it only when the sidecar has a startupProbe',
    why:
      'Kubernetes starts the next init container as soon as a native sidecar has started; only a startupProbe ' +
      'makes it wait until the sidecar is ready. Without one, the step may race the sidecar.',
    fix: 'Give the sidecar a startupProbe, or move the step before it.',
  },
  (pod, problem) => {
    const unprobed: string[] = [];
    for (const c of pod.initContainers) {
      if (c.native) {
        if (c.container.startupProbe === undefined) unprobed.push(c.name);
        continue;
      }
      if (unprobed.length === 0) continue;
      problem({
        container: c.name,
        field: c.field,
        message:
          `init step '${c.name}' runs after native sidecar${unprobed.length > 1 ? 's' : ''} ` +
          `${unprobed.map((n) => `'${n}'`).join(', ')} without a startupProbe, so it may start before ` +
          `${unprobed.length > 1 ? 'they are' : 'it is'} ready`,
      });
    }
  },
);
