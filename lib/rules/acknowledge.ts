import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGE_ANNOTATION } from './annotations';
import { ManifestRules } from './manifest-rules';

const ACKS = new WeakMap<ApiObject, { [ruleId: string]: string }>();

/**
 * Acknowledges a rule for one object, with the reason: the object's findings of that rule are still listed
 * (in the plan and the synth warnings, marked acknowledged with the reason) but fail nothing.
 *
 * It writes the annotation `pod-patterns.cdk8s.io/acknowledge` (JSON `{"<rule-id>": "<reason>"}`) on the
 * object's own metadata, so that `cdk8s-pod-patterns doctor` honours it in the synthesized YAML too.
 */
export class Acknowledge {
  /**
   * Acknowledges `ruleId` for a workload (any cdk8s-plus workload or Service, or an `ApiObject`).
   *
   * @param workload the construct whose object the rule's findings are about
   * @param ruleId a rule id from `ManifestRules.catalogue()`
   * @param reason why the rule does not apply here (shown wherever the finding is listed)
   */
  public static rule(workload: IConstruct, ruleId: string, reason: string): void {
    const owner = `Acknowledge.rule '${workload.node.path}'`;
    if (!ManifestRules.isRule(ruleId)) {
      throw new Error(
        `${owner}: unknown rule ${JSON.stringify(ruleId)}; use an id from ManifestRules.catalogue() (docs/rules.md)`,
      );
    }
    if (ruleId === 'acknowledgement') {
      throw new Error(`${owner}: the rule 'acknowledgement' checks acknowledgements and cannot be acknowledged`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${owner}: 'reason' must say why '${ruleId}' does not apply here, got ${JSON.stringify(reason)}`);
    }
    let api: ApiObject;
    try {
      api = ApiObject.of(workload);
    } catch {
      throw new Error(
        `${owner}: the construct renders no Kubernetes object; pass a workload, a Service or an ApiObject`,
      );
    }
    const acks = ACKS.get(api) ?? {};
    if (acks[ruleId] !== undefined) {
      throw new Error(`${owner}: '${ruleId}' is already acknowledged ("${acks[ruleId]}"); acknowledge a rule once`);
    }
    acks[ruleId] = reason.trim();
    ACKS.set(api, acks);
    const sorted: { [ruleId: string]: string } = {};
    for (const id of Object.keys(acks).sort()) sorted[id] = acks[id];
    api.metadata.addAnnotation(ACKNOWLEDGE_ANNOTATION, JSON.stringify(sorted));
  }

  private constructor() {}
}
