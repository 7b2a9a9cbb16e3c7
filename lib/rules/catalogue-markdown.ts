import { RuleInfo } from './finding';

/** The rule catalogue as the Markdown page docs/rules.md (a test keeps the page and the code in step). */
export function catalogueMarkdown(rules: RuleInfo[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from ManifestRules.catalogue(): run `UPDATE_RULES_DOC=1 npx jest test/rules/catalogue-doc.test.ts`. -->',
    '',
    'The rules read rendered manifests: what `cdk8s synth` writes or any Kubernetes YAML. They run at synth for',
    'every chart that uses a pattern (errors fail the synth, warnings print once) and in',
    '`cdk8s-pod-patterns doctor` (see [doctor.md](doctor.md)).',
    '',
    'Acknowledge a rule for one object with `Acknowledge.rule(workload, ruleId, reason)`, or in plain YAML with',
    'the annotation `pod-patterns.cdk8s.io/acknowledge: \'{"<rule-id>": "<reason>"}\'` on the object\'s own',
    'metadata: its findings are still listed, marked acknowledged with the reason, but fail nothing.',
    '',
    '| id | severity | what it checks |',
    '|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${cell(r.summary)} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(`## ${r.id}`, '', `**Severity:** ${r.severity}`, '', `**What:** ${r.summary}.`, '');
    lines.push(`**Why:** ${r.why}`, '', `**Fix:** ${r.fix}`, '');
  }
  return lines.join('\n');
}
