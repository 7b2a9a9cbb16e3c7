import { Finding } from '../rules/finding';
import { ManifestRules, parseTargetVersion } from '../rules/manifest-rules';
import { Severity, severityRank } from '../rules/severity';
import { CommandArgs, maxBytesOption, readArgs, startCommand, UsageError } from './args';
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
  format: 'text' | 'json' | 'sarif';
  targetVersion?: string;
  minSeverity: Severity;
  maxBytes?: number;
}

function parseArgs(args: string[]): DoctorOptions & CommandArgs {
  const options: DoctorOptions = { format: 'text', minSeverity: Severity.INFO };
  const read = readArgs(args, {
    '--format': (v) => {
      if (v !== 'text' && v !== 'json' && v !== 'sarif') {
        throw new UsageError(`--format must be text, json or sarif, got ${JSON.stringify(v)}`);
      }
      options.format = v;
    },
    '--target-version': (v) => {
      try {
        parseTargetVersion(v);
      } catch {
        throw new UsageError(`--target-version must be a Kubernetes version such as 1.29, got ${JSON.stringify(v)}`);
      }
      options.targetVersion = v;
    },
    '--min-severity': (v) => {
      if (!Object.values(Severity).includes(v as Severity)) {
        throw new UsageError(`--min-severity must be error, warning or info, got ${JSON.stringify(v)}`);
      }
      options.minSeverity = v as Severity;
    },
    '--max-bytes': (v) => (options.maxBytes = maxBytesOption(v)),
  });
  return { ...options, ...read };
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
  const start = startCommand('doctor', DOCTOR_USAGE, io, () => parseArgs(args));
  if ('exit' in start) return start.exit;
  const options = start.options;
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
