import {
  containerName,
  containerNameUnique,
  containerPortClash,
  containerPorts,
  containerRestartPolicy,
  initContainerFields,
  mountPathUnique,
  volumeDeclared,
  workloadRestartPolicy,
} from '../rules/catalogue/api-containers';
import { runRules } from '../rules/manifest-rules';
import { Rule } from '../rules/rule';
import { Severity } from '../rules/severity';
import { KubernetesVersion } from './kubernetes-version';
import { podSpecPath, podTemplatePath } from './pod-template';

/**
 * The rules that need only a pod spec and its workload kind: the composer reports them for the pods it
 * composes, so the chart-wide run leaves them out for those objects.
 */
export const POD_SPEC_RULES: Rule[] = [
  containerNameUnique,
  containerName,
  containerPorts,
  mountPathUnique,
  volumeDeclared,
  containerPortClash,
  containerRestartPolicy,
  initContainerFields,
  workloadRestartPolicy,
];

/**
 * Checks a rendered pod spec for what the API server would reject (a StatefulSet's `volumeClaimTemplates`
 * count as its pods' volumes). Returns one message per problem.
 * A thin adapter over the manifest rules in `POD_SPEC_RULES`.
 */
export function checkPodSpec(spec: any, kind: string, volumeClaimTemplates?: any[]): string[] {
  const path = podTemplatePath(kind) ? podSpecPath(kind) : ['spec', 'template', 'spec'];
  const object: any = { apiVersion: 'v1', kind, metadata: { name: 'pod' } };
  let node = object;
  path.slice(0, -1).forEach((key) => (node = node[key] = {}));
  node[path[path.length - 1]] = spec;
  if (volumeClaimTemplates !== undefined) object.spec.volumeClaimTemplates = volumeClaimTemplates;
  const fixes = new Map(POD_SPEC_RULES.map((r) => [r.info.id, r.info.fix]));
  return runRules([object], KubernetesVersion.DEFAULT.minor, POD_SPEC_RULES)
    .filter((f) => f.severity === Severity.ERROR)
    .map((f) => (f.fix === fixes.get(f.ruleId) ? f.message : `${f.message}; ${f.fix}`));
}
