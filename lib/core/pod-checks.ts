import { checkDnsLabel, portNameProblem } from './names';

/** Kinds whose pods run to completion. */
export const RUNS_TO_COMPLETION = new Set(['Job', 'CronJob']);

/** Checks a rendered pod spec for what the API server would reject. Returns one message per problem. */
export function checkPodSpec(spec: any, kind: string): string[] {
  const errors: string[] = [];
  const init: any[] = spec.initContainers ?? [];
  const app: any[] = spec.containers ?? [];
  const seen = new Set<string>();
  for (const c of [...init, ...app]) {
    if (seen.has(c.name)) {
      errors.push(
        `two containers are named '${c.name}' (init and app containers share one namespace); rename one of them`,
      );
    }
    seen.add(c.name);
    try {
      checkDnsLabel(`container '${c.name}'`, 'name', c.name);
    } catch (e) {
      errors.push((e as Error).message);
    }
    for (const port of c.ports ?? []) {
      const problem = port.name !== undefined ? portNameProblem(port.name) : undefined;
      if (problem) {
        errors.push(
          `container '${c.name}': port name ${JSON.stringify(port.name)} ${problem}; use a name such as 'http'`,
        );
      }
    }
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      if (paths.has(m.mountPath)) {
        errors.push(`container '${c.name}' mounts two volumes at '${m.mountPath}'; give each mount its own path`);
      }
      paths.add(m.mountPath);
      if (!(spec.volumes ?? []).some((v: any) => v.name === m.name)) {
        errors.push(
          `container '${c.name}' mounts volume '${m.name}', which the pod does not declare; mount a SharedVolume ` +
            'handle so the volume is added with the mount',
        );
      }
    }
  }
  // Every container of a pod shares one network namespace: two that listen on one port cannot both bind it.
  // Init steps run alone, so only native sidecars and app containers can clash.
  const owners = new Map<string, string>();
  for (const c of [...init.filter((x) => x.restartPolicy === 'Always'), ...app]) {
    for (const port of c.ports ?? []) {
      const key = `${port.containerPort}/${port.protocol ?? 'TCP'}`;
      const other = owners.get(key);
      if (other !== undefined && other !== c.name) {
        errors.push(
          `containers '${other}' and '${c.name}' both listen on port ${key}; they share the pod's network, so one ` +
            'would fail to bind it. Give one of them another port',
        );
      }
      owners.set(key, c.name);
    }
  }
  for (const c of init) {
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errors.push(`init container '${c.name}' has restartPolicy '${c.restartPolicy}'; only 'Always' is allowed`);
    }
    if (c.restartPolicy !== 'Always') {
      for (const field of ['startupProbe', 'livenessProbe', 'readinessProbe', 'lifecycle']) {
        if (c[field] !== undefined) {
          errors.push(
            `init container '${c.name}' has a ${field}, which the API server rejects on an init container that ` +
              'is not a sidecar (cdk8s-plus adds a startupProbe to containers with a port); remove the port ' +
              'or the probe, or make it a sidecar',
          );
        }
      }
    }
  }
  for (const c of app) {
    if (c.restartPolicy !== undefined) {
      errors.push(`app container '${c.name}' sets restartPolicy; only init containers (native sidecars) may`);
    }
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (RUNS_TO_COMPLETION.has(kind) && policy === 'Always') {
    errors.push(`a ${kind}'s pods must have restartPolicy 'Never' or 'OnFailure', got 'Always'`);
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind) && policy !== 'Always') {
    errors.push(`a ${kind}'s pods must have restartPolicy 'Always', got '${policy}'`);
  }
  return errors;
}
