import { PodPlan } from '../plan/pod-plan';
import { CommandArgs, maxBytesOption, readArgs, startCommand, UsageError } from './args';
import { CommandIo } from './doctor';
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

interface PlanOptions {
  format: 'text' | 'markdown' | 'json';
  maxBytes?: number;
}

function parseArgs(args: string[]): PlanOptions & CommandArgs {
  const options: PlanOptions = { format: 'text' };
  const read = readArgs(args, {
    '--format': (v) => {
      if (v !== 'text' && v !== 'markdown' && v !== 'json') {
        throw new UsageError(`--format must be text, markdown or json, got ${JSON.stringify(v)}`);
      }
      options.format = v;
    },
    '--max-bytes': (v) => (options.maxBytes = maxBytesOption(v)),
  });
  return { ...options, ...read };
}

/** `plan`: reads manifests and prints the start-up plan of each workload; returns the exit status. */
export function plan(args: string[], io: CommandIo): number {
  const start = startCommand('plan', PLAN_USAGE, io, () => parseArgs(args));
  if ('exit' in start) return start.exit;
  const options = start.options;
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
