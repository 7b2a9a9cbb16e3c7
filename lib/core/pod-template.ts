/**
 * Where the pod template sits in each kind's manifest (`[]` for a Pod: the manifest is its own template). The
 * one table of the library: the composer, the rules and the plan read pod templates through it.
 */
const POD_TEMPLATE_PATH: { [kind: string]: string[] } = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // the rules also read the pods of this legacy kind; patterns and plans are not made for it
  ReplicationController: ['spec', 'template'],
};

/** The workload kinds patterns attach to and plans are made for. */
export const WORKLOAD_KINDS = Object.keys(POD_TEMPLATE_PATH).filter((k) => k !== 'ReplicationController');

/** Kinds whose pods run to completion. */
export const RUNS_TO_COMPLETION = new Set(['Job', 'CronJob']);

/** Whether patterns attach to, and plans are made for, manifests of this kind. */
export function hasPodTemplate(kind: string): boolean {
  return WORKLOAD_KINDS.includes(kind);
}

/** The path of the pod template in a manifest of any kind that holds one (the rules read them all). */
export function podTemplatePath(kind: string): string[] | undefined {
  return Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATH, kind) ? POD_TEMPLATE_PATH[kind] : undefined;
}

/** The path of the pod spec in a manifest of this kind: `['spec', 'template', 'spec']` for a Deployment. */
export function podSpecPath(kind: string): string[] {
  return [...POD_TEMPLATE_PATH[kind], 'spec'];
}

/** The pod template of a rendered manifest (for a Pod, the manifest itself): `{ metadata, spec }`. */
export function podTemplateOf(kind: string, manifest: any): any {
  let node = manifest;
  for (const key of POD_TEMPLATE_PATH[kind]) node = node?.[key];
  return node;
}

/** The pod spec of a rendered manifest. */
export function podSpecOf(kind: string, manifest: any): any {
  return podTemplateOf(kind, manifest)?.spec;
}
