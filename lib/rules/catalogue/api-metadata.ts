import { ACKNOWLEDGE_ANNOTATION, acknowledgementsOf } from '../annotations';
import {
  dns1035LabelProblem,
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from '../k8s-syntax';
import { objectRule, Problem, Rule } from '../rule';
import { Severity } from '../severity';

/** Kinds whose names are checked, and how. */
const NAME_RULES: { [kind: string]: (name: string) => string | undefined } = {
  Service: dns1035LabelProblem,
  Namespace: dnsLabelProblem,
  Job: (name) => dnsSubdomainProblem(name) ?? jobLabelProblem(name),
  CronJob: (name) =>
    dnsSubdomainProblem(name) ?? (name.length > 52 ? `is longer than 52 characters (${name.length})` : undefined),
};
const SUBDOMAIN_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
];

function jobLabelProblem(name: string): string | undefined {
  const problem = labelValueProblem(name);
  return problem ? `becomes the pods' 'batch.kubernetes.io/job-name' label, which ${problem}` : undefined;
}

export const objectName: Rule = objectRule(
  {
    id: 'object-name',
    severity: Severity.ERROR,
    summary: "Object names follow the API server's rule for their kind",
    why:
      'The API server rejects a Service whose name is not a DNS-1035 label, a Namespace that is not a DNS-1123 ' +
      "label, other objects that are not DNS-1123 subdomains, a Job whose name cannot be its pods' job-name label " +
      '(63 characters) and a CronJob name longer than 52 characters.',
    fix: "Rename the object: lower-case letters, digits and '-', short enough for its kind.",
  },
  (o, problem) => {
    const check = NAME_RULES[o.kind] ?? (SUBDOMAIN_KINDS.includes(o.kind) ? dnsSubdomainProblem : undefined);
    if (!check) return;
    const name = o.metadata.name;
    if (name === undefined && typeof o.metadata.generateName === 'string') return;
    if (typeof name !== 'string' || name === '') {
      problem({ field: 'metadata.name', message: `the ${o.kind} has no name` });
      return;
    }
    const found = check(name);
    if (found) problem({ field: 'metadata.name', message: `${o.kind} name ${JSON.stringify(name)} ${found}` });
  },
);

function checkLabels(labels: unknown, field: string, problem: (p: Problem) => void): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    problem({ field, message: `${field} must be a map of strings` });
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problem({ field: `${field}.${key}`, message: `label key ${JSON.stringify(key)} ${keyProblem}` });
    const valueProblem = labelValueProblem(value);
    if (valueProblem) {
      problem({ field: `${field}.${key}`, message: `label '${key}' value ${JSON.stringify(value)} ${valueProblem}` });
    }
  }
}

export const labelSyntax: Rule = objectRule(
  {
    id: 'label-syntax',
    severity: Severity.ERROR,
    summary: 'Label keys are qualified names and label values at most 63 safe characters, in metadata and selectors',
    why: 'The API server rejects the whole object when one label key or value is malformed.',
    fix: "Use keys like 'app.kubernetes.io/name' and values of letters, digits, '-', '_' and '.' (63 at most).",
  },
  (o, problem, app) => {
    checkLabels(o.metadata.labels, 'metadata.labels', problem);
    const pod = app.podOf(o);
    if (pod && pod.kind !== 'Pod') checkLabels(pod.metadata.labels, `${pod.metadataPath}.labels`, problem);
    if (o.spec?.selector?.matchLabels) checkLabels(o.spec.selector.matchLabels, 'spec.selector.matchLabels', problem);
    if (o.kind === 'Service') checkLabels(o.spec?.selector, 'spec.selector', problem);
  },
);

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function checkAnnotations(annotations: unknown, field: string, problem: (p: Problem) => void): void {
  if (annotations === undefined || annotations === null || typeof annotations !== 'object') return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) {
      problem({ field: `${field}.${key}`, message: `annotation key ${JSON.stringify(key)} ${keyProblem}` });
    }
    if (typeof value !== 'string') {
      problem({
        field: `${field}.${key}`,
        message: `annotation '${key}' must be a string, got ${JSON.stringify(value)}`,
      });
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the exact count only when that bound is over the limit
    size += 3 * (key.length + String(value).length);
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    size = Object.entries(annotations).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)),
      0,
    );
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    problem({
      field,
      message: `the annotations take ${size} bytes; the API server allows ${ANNOTATIONS_MAX_BYTES} (256 KiB) in total`,
      fix: 'Move large values into a ConfigMap and keep annotations short',
    });
  }
}

export const annotationSyntax: Rule = objectRule(
  {
    id: 'annotation-syntax',
    severity: Severity.ERROR,
    summary: 'Annotation keys are qualified names, values are strings, and all of them fit in 256 KiB',
    why: 'The API server rejects an object whose annotations are malformed or larger than 256 KiB together.',
    fix: 'Fix the key, quote the value, or move large content into a ConfigMap.',
  },
  (o, problem, app) => {
    checkAnnotations(o.metadata.annotations, 'metadata.annotations', problem);
    const pod = app.podOf(o);
    if (pod && pod.kind !== 'Pod')
      checkAnnotations(pod.metadata.annotations, `${pod.metadataPath}.annotations`, problem);
  },
);

/** Filled in by the catalogue: the ids an acknowledgement may name. */
export const KNOWN_RULE_IDS = new Set<string>();

export const acknowledgement: Rule = objectRule(
  {
    id: 'acknowledgement',
    severity: Severity.ERROR,
    summary: `The '${ACKNOWLEDGE_ANNOTATION}' annotation is JSON naming known rules, each with a reason`,
    why: 'A malformed acknowledgement would silently acknowledge nothing, or hide a rule that does not exist.',
    fix: `Write the annotation as {"<rule-id>": "<reason>"} with ids from the rule catalogue, or use Acknowledge.rule().`,
  },
  (o, problem) => {
    const { acks, problem: found } = acknowledgementsOf(o);
    const field = `metadata.annotations.${ACKNOWLEDGE_ANNOTATION}`;
    if (found) problem({ field, message: `the annotation '${ACKNOWLEDGE_ANNOTATION}' ${found}` });
    for (const id of Object.keys(acks)) {
      if (!KNOWN_RULE_IDS.has(id)) {
        problem({ field, message: `the annotation '${ACKNOWLEDGE_ANNOTATION}' names an unknown rule '${id}'` });
      }
    }
  },
);
