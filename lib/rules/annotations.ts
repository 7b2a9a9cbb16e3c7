/** The annotations through which manifests speak to the rules. */

/** On an object's own metadata: JSON `{"<rule-id>": "<reason>"}`, the rules this object acknowledges. */
export const ACKNOWLEDGE_ANNOTATION = 'pod-patterns.cdk8s.io/acknowledge';

/** On a pod template: `"<container-name>:<port>"`, the proxy that must receive every Service's traffic. */
export const FRONT_DOOR_ANNOTATION = 'pod-patterns.cdk8s.io/front-door';

/** The rules an object acknowledges, by rule id, or a problem when the annotation is malformed. */
export function acknowledgementsOf(object: any): { acks: { [ruleId: string]: string }; problem?: string } {
  const raw = object?.metadata?.annotations?.[ACKNOWLEDGE_ANNOTATION];
  if (raw === undefined) return { acks: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    return { acks: {}, problem: 'is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { acks: {}, problem: 'must be a JSON object of rule id to reason' };
  }
  const acks: { [ruleId: string]: string } = {};
  for (const [id, reason] of Object.entries(parsed as object)) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      return { acks: {}, problem: `gives rule '${id}' no reason; every acknowledgement needs one` };
    }
    acks[id] = reason;
  }
  return { acks };
}
