/**
 * The one answer to "would a cluster accept this output, and is it safe to run": every property test
 * calls `assertAccepted`. Today it is the schema validation, the API server's field checks, the restricted
 * Pod Security profile, the secret-leak scan and the library's own rule set (no error-level finding).
 */
import { ManifestRules, Severity } from '../../lib';
import { validateManifest } from '../util/manifest';
import { apiServerProblems } from './api-server';
import { describeViolation, restrictedViolations } from '../security/restricted-profile';
import { secretLeaks } from '../security/secret-leaks';

/** Every reason the output is not acceptable (empty when it is). */
export function acceptanceProblems(manifests: any[]): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    try {
      validateManifest(m);
    } catch (e) {
      problems.push(`${m.kind}/${m.metadata?.name}: schema: ${(e as Error).message}`);
    }
    problems.push(...apiServerProblems(m));
    problems.push(...restrictedViolations(m).map((v) => `restricted profile: ${describeViolation(v)}`));
  }
  problems.push(...secretLeaks(manifests).map((l) => `secret leak: ${l}`));
  for (const f of ManifestRules.check(manifests)) {
    if (f.severity === Severity.ERROR && !f.acknowledged) {
      problems.push(`rule ${f.ruleId}: ${f.kind}/${f.name}${f.container ? ` ${f.container}` : ''}: ${f.message}`);
    }
  }
  return problems;
}

/** Throws, listing every problem, unless the output is acceptable. */
export function assertAccepted(manifests: any[]): void {
  const problems = acceptanceProblems(manifests);
  if (problems.length > 0) throw new Error(`output not acceptable:\n${problems.join('\n')}`);
}
