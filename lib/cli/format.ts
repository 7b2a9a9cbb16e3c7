import { Finding, RuleInfo } from '../rules/finding';
import { Severity } from '../rules/severity';
import { InputProblem, ReadResult } from './read-manifests';

/** A finding with where it was read. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly file: string;
  /** The finding's line. */
  readonly line: number;
  /** The line where the object starts. */
  readonly objectLine: number;
}

/** Everything a report shows. */
export interface DoctorReport {
  readonly findings: LocatedFinding[];
  readonly read: ReadResult;
  readonly rules: RuleInfo[];
  readonly targetVersion: string;
}

const COLOURS: { [key: string]: string } = { error: '31', warning: '33', info: '36', dim: '2', bold: '1' };

function counts(findings: LocatedFinding[]) {
  const open = findings.filter((f) => !f.finding.acknowledged);
  return {
    error: open.filter((f) => f.finding.severity === Severity.ERROR).length,
    warning: open.filter((f) => f.finding.severity === Severity.WARNING).length,
    info: open.filter((f) => f.finding.severity === Severity.INFO).length,
    acknowledged: findings.length - open.length,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeProblem(p: InputProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

/** Readable text, grouped by object; coloured when `colour` is set. */
export function formatText(report: DoctorReport, colour: boolean): string {
  const paint = (code: string, text: string) => (colour ? `\x1b[${COLOURS[code]}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  const groups = new Map<string, LocatedFinding[]>();
  for (const f of report.findings) {
    const ns = f.finding.namespace ? `${f.finding.namespace}/` : '';
    const key = `${f.finding.kind} ${ns}${f.finding.name}\u0000${f.file}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, list] of groups) {
    const [title, file] = key.split('\u0000');
    lines.push(`${paint('bold', title)}  ${paint('dim', `${file}:${list[0].objectLine}`)}`);
    for (const { finding: f, line } of list) {
      const label = f.acknowledged ? 'acknowledged' : f.severity;
      const where = f.container ? `[${f.container}] ` : '';
      lines.push(
        `  ${paint(f.acknowledged ? 'dim' : f.severity, label.padEnd(8))} ${where}${f.message}  ${paint('dim', `(${f.ruleId}, line ${line})`)}`,
      );
      if (f.acknowledged) lines.push(`           ${paint('dim', `reason: ${f.acknowledgedReason}`)}`);
      else lines.push(`           ${paint('dim', `fix: ${f.fix}`)}`);
    }
    lines.push('');
  }
  for (const p of report.read.problems) lines.push(`${paint('error', 'input')}    ${describeProblem(p)}`);
  for (const n of report.read.notes) lines.push(`${paint('dim', 'note')}     ${describeProblem(n)}`);
  const c = counts(report.findings);
  const skipped = Object.entries(report.read.skipped);
  const summary = [
    `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info`,
    c.acknowledged > 0 ? `${c.acknowledged} acknowledged` : undefined,
    `${plural(report.read.documents.length, 'object')} checked in ${plural(report.read.files, 'file')} (target Kubernetes ${report.targetVersion})`,
    skipped.length > 0
      ? `${plural(
          skipped.reduce((n, [, k]) => n + k, 0),
          'object',
        )} skipped (kinds not checked: ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')})`
      : undefined,
    report.read.problems.length > 0 ? plural(report.read.problems.length, 'input problem') : undefined,
  ].filter((x) => x !== undefined);
  lines.push(summary.join('; '));
  return `${lines.join('\n')}\n`;
}

/** JSON: findings with file and line, input problems, skipped kinds and a summary. */
export function formatJson(report: DoctorReport): string {
  return `${JSON.stringify(
    {
      targetVersion: report.targetVersion,
      findings: report.findings.map((f) => ({ ...f.finding, file: f.file, line: f.line })),
      problems: report.read.problems,
      notes: report.read.notes,
      skipped: report.read.skipped,
      summary: { ...counts(report.findings), objects: report.read.documents.length, files: report.read.files },
    },
    null,
    2,
  )}\n`;
}

const SARIF_LEVEL: { [severity: string]: string } = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0, for code-scanning UIs. */
export function formatSarif(report: DoctorReport, toolVersion: string): string {
  const uri = (file: string) => (file === '-' ? 'stdin' : file.split('\\').join('/'));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdk8s-pod-patterns doctor',
            version: toolVersion,
            rules: report.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.why },
              help: { text: r.fix },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: [
          ...report.findings.map(({ finding: f, file, line }) => ({
            ruleId: f.ruleId,
            level: SARIF_LEVEL[f.severity],
            message: { text: `${f.message}. Fix: ${f.fix}` },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: uri(file) }, region: { startLine: line } },
                logicalLocations: [
                  {
                    fullyQualifiedName: [f.kind, f.namespace, f.name, f.container].filter((x) => x).join('/'),
                    kind: 'resource',
                  },
                ],
              },
            ],
            ...(f.acknowledged ? { suppressions: [{ kind: 'inSource', justification: f.acknowledgedReason }] } : {}),
          })),
        ],
        invocations: [
          {
            executionSuccessful: report.read.problems.length === 0,
            toolExecutionNotifications: report.read.problems.map((p) => ({
              level: 'error',
              message: { text: p.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: uri(p.file) },
                    ...(p.line !== undefined ? { region: { startLine: p.line } } : {}),
                  },
                },
              ],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
