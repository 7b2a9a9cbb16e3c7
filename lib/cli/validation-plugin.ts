import { ManifestRules, parseTargetVersion } from '../rules/manifest-rules';
import { Severity } from '../rules/severity';
import { diagnose } from './doctor';
import { parseManifests, ReadResult } from './read-manifests';
import * as fs from 'fs';

/** Properties of the doctor's cdk8s validation plugin (the `properties` of its `validations:` entry). */
export interface DoctorValidationProps {
  /**
   * The Kubernetes version the manifests target, such as '1.28'.
   * @default '1.29'
   */
  readonly targetVersion?: string;

  /**
   * Also fail the validation on warnings.
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

/**
 * The doctor as a cdk8s validation plugin, so that any cdk8s app (with or without these patterns) runs
 * the rules on `cdk8s synth`. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-pod-patterns
 *     version: 0.1.0
 *     class: DoctorValidation
 *     properties:
 *       targetVersion: '1.29'
 * ```
 */
export class DoctorValidation {
  private readonly targetVersion?: string;
  private readonly failOnWarnings: boolean;

  constructor(props: DoctorValidationProps = {}) {
    parseTargetVersion(props.targetVersion);
    this.targetVersion = props.targetVersion;
    this.failOnWarnings = props.failOnWarnings ?? false;
  }

  /**
   * Runs the rules over the synthesized manifests and fills the report (cdk8s-cli's `ValidationContext`:
   * `manifests`, `report.addViolation`, `report.submit`, `logger`).
   */
  public async validate(context: any): Promise<void> {
    const read: ReadResult = { documents: [], problems: [], notes: [], skipped: {}, files: 0 };
    for (const file of context.manifests as string[]) {
      read.files++;
      parseManifests(fs.readFileSync(file, 'utf8'), file, read);
    }
    const findings = diagnose(read, this.targetVersion).filter((f) => !f.finding.acknowledged);
    const failing = findings.filter(
      (f) => f.finding.severity === Severity.ERROR || (this.failOnWarnings && f.finding.severity === Severity.WARNING),
    );
    const rules = new Map(ManifestRules.catalogue().map((r) => [r.id, r]));
    const byRule = new Map<string, typeof findings>();
    for (const f of findings) {
      if (f.finding.severity === Severity.INFO) continue;
      byRule.set(f.finding.ruleId, [...(byRule.get(f.finding.ruleId) ?? []), f]);
    }
    for (const [ruleId, list] of byRule) {
      const info = rules.get(ruleId)!;
      context.report.addViolation({
        ruleName: `${ruleId} (${info.severity})`,
        recommendation: `${info.summary}. ${list.map((f) => f.finding.message).join('; ')}`,
        fix: info.fix,
        violatingResources: list.map((f) => ({
          resourceName: f.finding.name,
          locations: [f.finding.field ?? 'metadata'],
          manifestPath: f.file,
        })),
      });
    }
    for (const p of read.problems)
      context.logger?.log(`cdk8s-pod-patterns: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    context.report.submit(failing.length > 0 || read.problems.length > 0 ? 'failure' : 'success', {
      targetVersion: `1.${parseTargetVersion(this.targetVersion)}`,
      errors: String(findings.filter((f) => f.finding.severity === Severity.ERROR).length),
      warnings: String(findings.filter((f) => f.finding.severity === Severity.WARNING).length),
    });
  }
}
