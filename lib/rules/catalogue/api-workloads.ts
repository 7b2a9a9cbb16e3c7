import { cronProblem, isPortNumber, portNameProblem } from '../k8s-syntax';
import { objectRule, podRule, Rule } from '../rule';
import { Severity } from '../severity';

const SELECTOR_REQUIRED = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** Why a label selector does not match these labels, or undefined when it does. */
function selectorMismatch(selector: any, labels: { [key: string]: string }): string | undefined {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v)
      return `matchLabels '${k}: ${v}' is not on the pod template (${labels[k] === undefined ? 'missing' : `'${labels[k]}'`})`;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = e?.key in labels;
    const values: string[] = Array.isArray(e?.values) ? e.values : [];
    const ok =
      e?.operator === 'In'
        ? has && values.includes(labels[e.key])
        : e?.operator === 'NotIn'
          ? !has || !values.includes(labels[e.key])
          : e?.operator === 'Exists'
            ? has
            : e?.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok)
      return `matchExpressions '${e?.key} ${e?.operator} ${JSON.stringify(values)}' does not match the pod template`;
  }
  return undefined;
}

export const selectorMatchesTemplate: Rule = podRule(
  {
    id: 'selector-matches-template',
    severity: Severity.ERROR,
    summary:
      "A Deployment's, StatefulSet's, DaemonSet's or ReplicaSet's selector is set, not empty, and matches its pod template's labels",
    why: 'The API server rejects a workload whose selector is missing or does not select the pods it creates.',
    fix: "Set 'spec.selector.matchLabels' to labels the pod template carries.",
  },
  (pod, problem) => {
    const needed =
      SELECTOR_REQUIRED.includes(pod.kind) || (pod.kind === 'Job' && pod.object.spec?.manualSelector === true);
    if (!needed) return;
    const selector = pod.object.spec?.selector;
    const empty =
      !selector ||
      (Object.keys(selector.matchLabels ?? {}).length === 0 &&
        (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0));
    if (empty) {
      problem({ field: 'spec.selector', message: `the ${pod.kind} has no selector (or an empty one)` });
      return;
    }
    const mismatch = selectorMismatch(selector, pod.labels);
    if (mismatch) problem({ field: 'spec.selector', message: `the ${pod.kind}'s selector ${mismatch}` });
  },
);

export const cronSchedule: Rule = objectRule(
  {
    id: 'cron-schedule',
    severity: Severity.ERROR,
    summary: "A CronJob's schedule is a five-field cron expression or a macro such as '@daily'",
    why: 'The API server rejects a schedule it cannot parse, and a time zone written inside the schedule.',
    fix: "Write 'minute hour day-of-month month day-of-week' ('*/15 * * * *') and set a time zone with 'spec.timeZone'.",
  },
  (o, problem) => {
    if (o.kind !== 'CronJob') return;
    const found = cronProblem(o.spec?.schedule);
    if (found) problem({ field: 'spec.schedule', message: `schedule ${JSON.stringify(o.spec?.schedule)} ${found}` });
  },
);

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export const servicePorts: Rule = objectRule(
  {
    id: 'service-ports',
    severity: Severity.ERROR,
    summary:
      "A Service's ports are 1-65535, its target ports numbers or port names, and its ports named uniquely when there are several",
    why:
      'The API server rejects a Service port out of range, a targetPort that is neither a port number nor an IANA ' +
      'name, an unknown protocol, and unnamed or duplicate ports in a Service with more than one.',
    fix: "Use ports 1-65535, name every port when there are several ('http', 'grpc'), and target a number or a container port's name.",
  },
  (o, problem) => {
    if (o.kind !== 'Service' || !Array.isArray(o.spec?.ports)) return;
    const ports: any[] = o.spec.ports;
    const names = new Set<string>();
    const keys = new Set<string>();
    ports.forEach((p, i) => {
      const field = `spec.ports[${i}]`;
      if (!isPortNumber(p?.port)) {
        problem({
          field: `${field}.port`,
          message: `Service port ${JSON.stringify(p?.port)} must be an integer 1-65535`,
        });
      }
      const target = p?.targetPort;
      if (typeof target === 'number' && !isPortNumber(target)) {
        problem({ field: `${field}.targetPort`, message: `targetPort ${target} must be an integer 1-65535` });
      } else if (typeof target === 'string' && !/^\d+$/.test(target) && portNameProblem(target)) {
        problem({
          field: `${field}.targetPort`,
          message: `targetPort ${JSON.stringify(target)} ${portNameProblem(target)}`,
        });
      } else if (typeof target === 'string' && /^\d+$/.test(target) && !isPortNumber(Number(target))) {
        problem({ field: `${field}.targetPort`, message: `targetPort ${target} must be an integer 1-65535` });
      }
      if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
        problem({
          field: `${field}.protocol`,
          message: `protocol ${JSON.stringify(p.protocol)} must be TCP, UDP or SCTP`,
        });
      }
      if (p?.nodePort !== undefined && !isPortNumber(p.nodePort)) {
        problem({
          field: `${field}.nodePort`,
          message: `nodePort ${JSON.stringify(p.nodePort)} must be an integer 1-65535`,
        });
      }
      if (ports.length > 1 && (p?.name === undefined || p.name === '')) {
        problem({
          field: `${field}.name`,
          message: `port ${p?.port} has no name; a Service with several ports must name each`,
        });
      } else if (p?.name !== undefined) {
        const found = typeof p.name === 'string' ? portNameProblem(p.name) : 'must be a string';
        if (found && !(ports.length === 1 && p.name === '')) {
          problem({ field: `${field}.name`, message: `port name ${JSON.stringify(p.name)} ${found}` });
        } else if (names.has(p.name)) {
          problem({ field: `${field}.name`, message: `two ports are named '${p.name}'` });
        }
        names.add(p.name);
      }
      const key = `${p?.port}/${p?.protocol ?? 'TCP'}`;
      if (keys.has(key)) problem({ field: `${field}.port`, message: `two ports are ${key}` });
      keys.add(key);
    });
  },
);
