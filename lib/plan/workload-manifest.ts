/**
 * Reads a rendered workload manifest (a plain JSON object, as `chart.toJson()` or parsed YAML gives): where its
 * pod spec is, the labels that select its pods, its annotations. Refuses what is not a workload with a message
 * that names the object and says what would work.
 */

import { podSpecPath, podTemplateOf, WORKLOAD_KINDS } from '../core/pod-template';

/** A workload manifest, read. */
export interface WorkloadManifest {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** "Deployment 'order-service'", for messages. */
  readonly title: string;
  /** The pod spec's path, dotted: 'spec.template.spec'. */
  readonly podSpecPath: string;
  readonly podSpec: any;
  /** The labels that select the workload's pods (its selector's matchLabels, else the template's labels). */
  readonly podSelector: { [key: string]: string };
  /** The workload's own annotations and its pod template's, the workload's winning. */
  readonly annotations: { [key: string]: string };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether an object is one of the workload kinds. */
export function isWorkload(manifest: unknown): boolean {
  const kind = (manifest as any)?.kind;
  return typeof kind === 'string' && WORKLOAD_KINDS.includes(kind);
}

/** Reads a workload manifest; throws an `Error` with a clear message when it is not one. */
export function readWorkload(manifest: unknown): WorkloadManifest {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error(
      `PodPlan: expected a Kubernetes object (a JSON object with 'kind' and 'metadata'), got ${describe(manifest)}`,
    );
  }
  const m = manifest as any;
  if (typeof m.kind !== 'string' || m.kind === '') {
    throw new Error(
      `PodPlan: the object has no 'kind' (keys: ${Object.keys(m).join(', ') || 'none'}); give a Kubernetes ` +
        'object such as a Deployment or a Pod',
    );
  }
  const name = typeof m.metadata?.name === 'string' && m.metadata.name !== '' ? m.metadata.name : undefined;
  const title = `${m.kind} '${name ?? '(no name)'}'`;
  if (!WORKLOAD_KINDS.includes(m.kind)) {
    throw new Error(
      `PodPlan: ${title} is not a workload; a plan is made for a ${WORKLOAD_KINDS.slice(0, -1).join(', ')} or ` +
        `${WORKLOAD_KINDS[WORKLOAD_KINDS.length - 1]} (PodPlan.fromManifests skips other objects)`,
    );
  }
  if (!name) {
    throw new Error(`PodPlan: the ${m.kind} has no metadata.name; give it a name`);
  }
  const template = podTemplateOf(m.kind, m);
  const specPath = podSpecPath(m.kind).join('.');
  const podSpec = template?.spec;
  if (podSpec === null || typeof podSpec !== 'object' || Array.isArray(podSpec)) {
    throw new Error(`PodPlan: ${title} has no pod spec at ${specPath}; render the manifest in full`);
  }
  const containers = podSpec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new Error(
      `PodPlan: ${title} has no containers at ${specPath}.containers; a pod needs at least one container`,
    );
  }
  for (const field of ['initContainers', 'containers']) {
    const list = podSpec[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      throw new Error(`PodPlan: ${title}: ${specPath}.${field} must be a list, got ${describe(list)}`);
    }
    list.forEach((c: any, i: number) => {
      if (c === null || typeof c !== 'object' || typeof c.name !== 'string' || c.name === '') {
        throw new Error(`PodPlan: ${title}: ${specPath}.${field}[${i}] has no name; every container needs one`);
      }
    });
  }
  const templateLabels = stringMap(template?.metadata?.labels);
  let podSelector = stringMap(m.spec?.selector?.matchLabels);
  if (Object.keys(podSelector).length === 0) {
    podSelector = m.kind === 'Job' && Object.keys(templateLabels).length === 0 ? { 'job-name': name } : templateLabels;
  }
  if (m.kind === 'Pod') podSelector = {};
  return {
    kind: m.kind,
    name,
    namespace: typeof m.metadata?.namespace === 'string' && m.metadata.namespace ? m.metadata.namespace : undefined,
    title,
    podSpecPath: specPath,
    podSpec,
    podSelector,
    annotations: { ...stringMap(template?.metadata?.annotations), ...stringMap(m.metadata?.annotations) },
  };
}

function stringMap(value: any): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
