import { Finding } from '../rules/finding';
import { ManifestRules, parseTargetVersion } from '../rules/manifest-rules';
import { Severity, severityRank } from '../rules/severity';
import { DoctorReport, formatJson, formatSarif, formatText, LocatedFinding } from './format';
import { ManifestDocument, readManifests, ReadResult } from './read-manifests';

/** What a command can touch: output streams, standard input and whether stdout is a terminal. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => Buffer;
  readonly isTty: boolean;
  readonly version: string;
}

/** A usage mistake: the command prints it with the usage and exits 2. */
export class UsageError extends Error {}

export const DOCTOR_USAGE = `Usage: cdk8s-pod-patterns doctor [options] <file|folder|->...

Checks Kubernetes YAML (cdk8s synth output, helm template output, hand-written manifests, multi-document
streams; '-' reads standard input) against the pod-patterns rules.

Options:
  --target-version <1.x>      Kubernetes version the manifests target (default 1.29)
  --format <text|json|sarif>  output format (default text)
  --min-severity <level>      error, warning or info: hide findings below it (default info)
  --max-bytes <n>             size limit per input (default 134217728, 128 MiB)
  -h, --help                  this help

Exit status: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.
`;

interface DoctorOptions {
  inputs: string[];
  format: 'text' | 'json' | 'sarif';
  targetVersion?: string;
  minSeverity: Severity;
  maxBytes?: number;
  help: boolean;
}

function parseArgs(args: string[]): DoctorOptions {
  const options: DoctorOptions = { inputs: [], format: 'text', minSeverity: Severity.INFO, help: false };
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
    const value = () => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = rest.shift();
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') {
          throw new UsageError(`--format must be text, json or sarif, got ${JSON.stringify(v)}`);
        }
        options.format = v;
        break;
      }
      case '--target-version':
        options.targetVersion = value();
        try {
          parseTargetVersion(options.targetVersion);
        } catch {
          throw new UsageError(
            `--target-version must be a Kubernetes version such as 1.29, got ${JSON.stringify(options.targetVersion)}`,
          );
        }
        break;
      case '--min-severity': {
        const v = value();
        if (!Object.values(Severity).includes(v as Severity)) {
          throw new UsageError(`--min-severity must be error, warning or info, got ${JSON.stringify(v)}`);
        }
        options.minSeverity = v as Severity;
        break;
      }
      case '--max-bytes': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1)
          throw new UsageError(`--max-bytes must be a positive whole number, got ${JSON.stringify(v)}`);
        options.maxBytes = Number(v);
        break;
      }
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  return options;
}

/** Runs the rules over what was read and locates each finding in its file. */
export function diagnose(read: ReadResult, targetVersion?: string): LocatedFinding[] {
  const docs: ManifestDocument[] = read.documents;
  const byObject = new Map<any, ManifestDocument>(docs.map((d) => [d.object, d]));
  const findings: Finding[] = ManifestRules.check(
    docs.map((d) => d.object),
    { targetVersion },
  );
  // findings come object by object, in input order: match them to their documents by walking both
  const located: LocatedFinding[] = [];
  let d = 0;
  for (const f of findings) {
    while (d < docs.length && !matches(docs[d].object, f)) d++;
    const doc = docs[d] ?? byObject.values().next().value;
    located.push({
      finding: f,
      file: doc?.file ?? '-',
      line: doc ? doc.lineOf(f.field) : 1,
      objectLine: doc?.line ?? 1,
    });
  }
  return located;
}

function matches(object: any, f: Finding): boolean {
  const ns = object.metadata?.namespace;
  return (
    object.kind === f.kind &&
    String(object.metadata?.name ?? object.metadata?.generateName ?? '') === f.name &&
    (typeof ns === 'string' && ns !== '' ? ns : undefined) === f.namespace
  );
}

/** `doctor`: reads manifests, runs the rules, prints the report; returns the exit status. */
export function doctor(args: string[], io: CommandIo): number {
  let options: DoctorOptions;
  try {
    options = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-pod-patterns doctor: ${e.message}\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(DOCTOR_USAGE);
    return 0;
  }
  if (options.inputs.length === 0) {
    io.stderr(`cdk8s-pod-patterns doctor: give at least one file, folder or '-'\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  const read = readManifests(options.inputs, { stdin: io.stdin, maxBytes: options.maxBytes });
  const all = diagnose(read, options.targetVersion);
  const min = severityRank(options.minSeverity);
  const shown = all.filter((f) => severityRank(f.finding.severity) >= min);
  const report: DoctorReport = {
    findings: shown,
    read,
    rules: ManifestRules.catalogue(),
    targetVersion: `1.${parseTargetVersion(options.targetVersion)}`,
  };
  const out =
    options.format === 'json'
      ? formatJson(report)
      : options.format === 'sarif'
        ? formatSarif(report, io.version)
        : formatText(report, io.isTty);
  io.stdout(out);
  if (options.format !== 'text') {
    for (const p of read.problems)
      io.stderr(`cdk8s-pod-patterns doctor: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  }
  if (read.problems.length > 0) return 2;
  return all.some((f) => f.finding.severity === Severity.ERROR && !f.finding.acknowledged) ? 1 : 0;
}
