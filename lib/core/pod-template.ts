/** Where the pod spec sits in each workload kind's manifest. */
const POD_SPEC_PATH: { [kind: string]: string[] } = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Whether manifests of this kind hold a pod template. */
export function hasPodTemplate(kind: string): boolean {
  return POD_SPEC_PATH[kind] !== undefined;
}

/** The path of the pod spec in a manifest of this kind: `['spec', 'template', 'spec']` for a Deployment. */
export function podSpecPath(kind: string): string[] {
  return POD_SPEC_PATH[kind];
}

/** The pod template of a rendered manifest (for a Pod, the manifest itself): `{ metadata, spec }`. */
export function podTemplateOf(kind: string, manifest: any): any {
  let node = manifest;
  for (const key of POD_SPEC_PATH[kind].slice(0, -1)) node = node?.[key];
  return node;
}

/** The pod spec of a rendered manifest. */
export function podSpecOf(kind: string, manifest: any): any {
  return podTemplateOf(kind, manifest)?.spec;
}
