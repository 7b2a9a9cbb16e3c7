import { PodPlan } from '../plan/pod-plan';
import { CommandIo, UsageError } from './doctor';
import { readManifests } from './read-manifests';

export const PLAN_USAGE = `Usage: cdk8s-pod-patterns plan [options] <file|folder|->...

Prints the start-up plan of every workload in Kubernetes YAML (cdk8s synth output, helm template output,
hand-written manifests; '-' reads standard input): the order containers start in and what gates each step,
the shutdown, what each container mounts and probes, the effective requests and limits (KEP-753), and the
kubectl commands for a pod that is stuck.

Options:
  --format <text|markdown|json>  output format (default text); json is a list with one entry per workload
  --max-bytes <n>                size limit per input (default 134217728, 128 MiB)
  -h, --help                     this help

Exit status: 0 every workload planned, 2 bad usage, unreadable input or a workload whose pod cannot be read.
`;

type Format = 'text' | 'markdown' | 'json';

interface PlanOptions {
  inputs: string[];
  format: Format;
  maxBytes?: number;
  help: boolean;
}

function parseArgs(args: string[]): PlanOptions {
  const options: PlanOptions = { inputs: [], format: 'text', help: false };
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--') {
      options.inputs.push(...rest.splice(0));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      options.help = true;
      continue;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      options.inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = rest.shift();
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      return next;
    };
    if (name === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'markdown' && v !== 'json') {
        throw new UsageError(`--format must be text, markdown or json, got ${JSON.stringify(v)}`);
      }
      options.format = v;
    } else if (name === '--max-bytes') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        throw new UsageError(`--max-bytes must be a positive whole number, got ${JSON.stringify(v)}`);
      }
      options.maxBytes = Number(v);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  return options;
}

/** `plan`: reads manifests and prints the start-up plan of each workload; returns the exit status. */
export function plan(args: string[], io: CommandIo): number {
  let options: PlanOptions;
  try {
    options = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-pod-patterns plan: ${e.message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(PLAN_USAGE);
    return 0;
  }
  if (options.inputs.length === 0) {
    io.stderr(`cdk8s-pod-patterns plan: give at least one file, folder or '-'\n\n${PLAN_USAGE}`);
    return 2;
  }
  const read = readManifests(options.inputs, { stdin: io.stdin, maxBytes: options.maxBytes });
  let status = 0;
  for (const p of read.problems) {
    io.stderr(`cdk8s-pod-patterns plan: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
    status = 2;
  }
  const objects = read.documents.map((d) => d.object);
  let plans: PodPlan[];
  try {
    plans = PodPlan.fromManifests(objects);
  } catch {
    // one workload whose pod cannot be read does not stop the others being planned: find it, say where it is
    plans = [];
    const configMaps = objects.filter((o) => o?.kind === 'ConfigMap');
    for (const doc of read.documents) {
      try {
        plans.push(...PodPlan.fromManifests([...configMaps, doc.object]));
      } catch (e) {
        io.stderr(`cdk8s-pod-patterns plan: ${doc.file}:${doc.line}: ${(e as Error).message}\n`);
        status = 2;
      }
    }
  }
  if (options.format === 'json') {
    io.stdout(
      `${JSON.stringify(
        plans.map((p) => p.toJson()),
        null,
        2,
      )}\n`,
    );
  } else if (plans.length === 0) {
    io.stderr(
      'cdk8s-pod-patterns plan: no workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) in the input\n',
    );
  } else {
    const render = (p: PodPlan) => (options.format === 'markdown' ? p.toMarkdown() : p.toText());
    io.stdout(`${plans.map(render).join('\n\n')}\n`);
  }
  return status;
}
