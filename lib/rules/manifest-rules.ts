import { KubernetesVersion } from '../core/kubernetes-version';
import { acknowledgementsOf } from './annotations';
import { RULES } from './catalogue/all-rules';
import { Finding, RuleInfo } from './finding';
import { ManifestIndex } from './manifest-index';
import { Rule } from './rule';
import { RuleOptions } from './rule-options';

/** The target minor version from '1.28', 'v1.28' or '1.28.3'. */
export function parseTargetVersion(version: string | undefined): number {
  if (version === undefined) return KubernetesVersion.DEFAULT.minor;
  const m = /^v?1\.(\d{1,2})(\.\d+)?$/.exec(String(version).trim());
  if (!m || Number(m[1]) < 20) {
    throw new Error(
      `ManifestRules: 'targetVersion' must be a Kubernetes version from 1.20, such as '1.29', got ${JSON.stringify(version)}`,
    );
  }
  return Number(m[1]);
}

/**
 * Runs rules over objects; the one implementation behind synth-time checks, `checkPodSpec` and the doctor.
 * Findings come object by object in input order, each object's in catalogue order.
 */
export function runRules(objects: any[], minor: number, rules: Rule[] = RULES): Finding[] {
  return runRulesOn(objects, minor, rules).map((x) => x.finding);
}

/** Rules that are not run over some objects (checked elsewhere). */
export interface SkippedRules {
  /** The rules; each must look at one pod at a time. */
  readonly rules: ReadonlySet<Rule>;
  /** The objects they leave out. */
  readonly objects: ReadonlySet<any>;
}

/** `runRules`, with the object each finding is about. */
export function runRulesOn(
  objects: any[],
  minor: number,
  rules: Rule[] = RULES,
  skipped?: SkippedRules,
): Array<{ object: any; finding: Finding }> {
  const app = new ManifestIndex(objects, minor);
  // the skipped rules read one pod at a time, so the index without those pods gives them the same findings
  const rest = skipped && skipped.objects.size > 0 ? app.withoutPodsOf(skipped.objects) : app;
  const byObject = new Map<any, Array<{ object: any; finding: Finding }>>();
  const acks = new Map<any, { [id: string]: string }>();
  for (const rule of rules) {
    const info = rule.info;
    rule.check(skipped?.rules.has(rule) ? rest : app, (object, problem) => {
      let objectAcks = acks.get(object);
      if (!objectAcks) {
        objectAcks = acknowledgementsOf(object).acks;
        acks.set(object, objectAcks);
      }
      const reason = info.id === 'acknowledgement' ? undefined : objectAcks[info.id];
      const namespace = object.metadata?.namespace;
      const finding: Finding = {
        ruleId: info.id,
        severity: info.severity,
        kind: String(object.kind),
        ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
        name: String(object.metadata?.name ?? object.metadata?.generateName ?? ''),
        ...(problem.container !== undefined ? { container: problem.container } : {}),
        ...(problem.field !== undefined ? { field: problem.field } : {}),
        message: problem.message,
        fix: problem.fix ?? info.fix,
        acknowledged: reason !== undefined,
        ...(reason !== undefined ? { acknowledgedReason: reason } : {}),
      };
      const list = byObject.get(object);
      if (list) list.push({ object, finding });
      else byObject.set(object, [{ object, finding }]);
    });
  }
  return app.objects.flatMap((o) => byObject.get(o) ?? []);
}

/**
 * One set of rules over rendered manifests: the API server's own checks that the OpenAPI schema cannot
 * express, sidecar and init-container semantics, the wiring between Services, pods, Secrets and namespaces,
 * secrets hygiene and resources. They read plain objects (what `cdk8s synth` writes, or any parsed
 * Kubernetes YAML), so the same checks run at synth and in `cdk8s-pod-patterns doctor`.
 */
export class ManifestRules {
  /**
   * Checks a whole app's objects (every chart, or every document of a YAML stream) and returns what the
   * rules find. Acknowledged findings are returned too, marked `acknowledged`.
   */
  public static check(objects: any[], options: RuleOptions = {}): Finding[] {
    return runRules(objects, parseTargetVersion(options.targetVersion));
  }

  /** Every rule: id, severity, what it checks, why it matters and the fix. */
  public static catalogue(): RuleInfo[] {
    return RULES.map((r) => ({ ...r.info }));
  }

  /** Whether a rule id is in the catalogue. */
  public static isRule(ruleId: string): boolean {
    return RULES.some((r) => r.info.id === ruleId);
  }

  private constructor() {}
}
