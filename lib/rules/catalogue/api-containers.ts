import {
  dnsLabelProblem,
  envNameProblem,
  isPortNumber,
  isQuantity,
  portNameProblem,
  quantityValue,
} from '../k8s-syntax';
import { RUNS_TO_COMPLETION } from '../../core/pod-template';
import { podRule, Rule } from '../rule';
import { Severity } from '../severity';

export const containerNameUnique: Rule = podRule(
  {
    id: 'container-name-unique',
    severity: Severity.ERROR,
    summary: 'No two containers of a pod share a name, across init and app containers',
    why: 'Init containers and app containers share one name space; the API server rejects a duplicate.',
    fix: 'Rename one of the containers.',
  },
  (pod, problem) => {
    const seen = new Set<string>();
    for (const c of pod.all) {
      if (seen.has(c.name)) {
        problem({
          container: c.name,
          field: `${c.field}.name`,
          message: `two containers are named '${c.name}' (init and app containers share one namespace); rename one of them`,
        });
      }
      seen.add(c.name);
    }
  },
);

export const containerName: Rule = podRule(
  {
    id: 'container-name',
    severity: Severity.ERROR,
    summary: 'Container names are DNS-1123 labels',
    why: 'The API server rejects a container whose name is not a DNS-1123 label (63 characters at most).',
    fix: "Rename the container: lower-case letters, digits and '-'.",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const name = c.container.name;
      const found = typeof name === 'string' ? dnsLabelProblem(name) : 'is missing';
      if (found) {
        problem({
          container: c.name,
          field: `${c.field}.name`,
          message:
            `container '${c.name}': 'name' must be a DNS-1123 label (lower-case letters, digits and '-', starting ` +
            `and ending with a letter or digit, at most 63 characters), got ${JSON.stringify(name)}`,
        });
      }
    }
  },
);

export const containerPorts: Rule = podRule(
  {
    id: 'container-ports',
    severity: Severity.ERROR,
    summary: 'Container ports are 1-65535, port names are IANA service names and unique in their container',
    why: 'The API server rejects a port out of range, a name longer than 15 characters or not a lower-case name, and two ports of one container with one name.',
    fix: "Use a port from 1 to 65535 and a short name such as 'http' or 'metrics'.",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const ports = Array.isArray(c.container.ports) ? c.container.ports : [];
      const names = new Set<string>();
      ports.forEach((port: any, i: number) => {
        const field = () => `${c.field}.ports[${i}]`;
        if (!isPortNumber(port?.containerPort)) {
          problem({
            container: c.name,
            field: `${field()}.containerPort`,
            message: `container '${c.name}': containerPort must be an integer 1-65535, got ${JSON.stringify(port?.containerPort)}`,
          });
        }
        if (port?.hostPort !== undefined && !isPortNumber(port.hostPort)) {
          problem({
            container: c.name,
            field: `${field()}.hostPort`,
            message: `container '${c.name}': hostPort must be an integer 1-65535, got ${JSON.stringify(port.hostPort)}`,
          });
        }
        if (port?.name === undefined) return;
        const found = typeof port.name === 'string' ? portNameProblem(port.name) : 'must be a string';
        if (found) {
          problem({
            container: c.name,
            field: `${field()}.name`,
            message: `container '${c.name}': port name ${JSON.stringify(port.name)} ${found}; use a name such as 'http'`,
          });
        } else if (names.has(port.name)) {
          problem({
            container: c.name,
            field: `${field()}.name`,
            message: `container '${c.name}' names two ports '${port.name}'; give each port its own name`,
          });
        }
        names.add(port.name);
      });
    }
  },
);

export const mountPathUnique: Rule = podRule(
  {
    id: 'mount-path-unique',
    severity: Severity.ERROR,
    summary: 'A container mounts at most one volume at each path',
    why: 'The API server rejects two volume mounts at one path in a container.',
    fix: 'Give each mount its own path.',
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const paths = new Set<string>();
      (Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : []).forEach((m: any, i: number) => {
        if (paths.has(m?.mountPath)) {
          problem({
            container: c.name,
            field: `${c.field}.volumeMounts[${i}].mountPath`,
            message: `container '${c.name}' mounts two volumes at '${m.mountPath}'; give each mount its own path`,
          });
        }
        paths.add(m?.mountPath);
      });
    }
  },
);

export const volumeDeclared: Rule = podRule(
  {
    id: 'volume-declared',
    severity: Severity.ERROR,
    summary:
      "Every volume mount names a volume the pod declares, and the pod's volume names are unique DNS-1123 labels",
    why: 'The API server rejects a mount of an undeclared volume and two volumes with one name.',
    fix: "Declare the volume under the pod's 'volumes', or correct the mount's name.",
  },
  (pod, problem) => {
    const volumes: any[] = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    const declared = new Set<string>();
    volumes.forEach((v, i) => {
      const field = () => `${pod.specPath}.volumes[${i}].name`;
      const found = typeof v?.name === 'string' ? dnsLabelProblem(v.name) : 'is missing';
      if (found) problem({ field: field(), message: `volume name ${JSON.stringify(v?.name)} ${found}` });
      else if (declared.has(v.name)) {
        problem({ field: field(), message: `two volumes are named '${v.name}'; give one of them another name` });
      }
      declared.add(v?.name);
    });
    // a StatefulSet's volumeClaimTemplates are volumes of each of its pods, under the claim's name
    const claims: any[] = pod.kind === 'StatefulSet' ? pod.object?.spec?.volumeClaimTemplates : undefined;
    const claimed = new Set((Array.isArray(claims) ? claims : []).map((c) => c?.metadata?.name));
    for (const c of pod.all) {
      (Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : []).forEach((m: any, i: number) => {
        if (!declared.has(m?.name) && !claimed.has(m?.name)) {
          problem({
            container: c.name,
            field: `${c.field}.volumeMounts[${i}].name`,
            message:
              `container '${c.name}' mounts volume '${m?.name}', which the pod does not declare; declare it under the ` +
              "pod's volumes (with this library, mount a SharedVolume handle, which adds it)",
          });
        }
      });
    }
  },
);

export const envName: Rule = podRule(
  {
    id: 'env-name',
    severity: Severity.ERROR,
    summary: 'Environment variable names are ones the API server accepts for the target version',
    why:
      "Before Kubernetes 1.32 the API server accepts only letters, digits, '_', '-' and '.', not starting with a " +
      "digit; from 1.32 any printable character but '='.",
    fix: "Rename the variable, for example 'LOG_LEVEL'.",
  },
  (pod, problem, app) => {
    for (const c of pod.all) {
      (Array.isArray(c.container.env) ? c.container.env : []).forEach((e: any, i: number) => {
        const name = e?.name;
        const found = typeof name === 'string' ? envNameProblem(name, app.minor) : 'is missing';
        if (found) {
          problem({
            container: c.name,
            field: `${c.field}.env[${i}].name`,
            message: `container '${c.name}': env var name ${JSON.stringify(name)} ${found}`,
          });
        }
      });
      (Array.isArray(c.container.envFrom) ? c.container.envFrom : []).forEach((e: any, i: number) => {
        if (typeof e?.prefix === 'string' && e.prefix !== '' && envNameProblem(e.prefix, app.minor)) {
          problem({
            container: c.name,
            field: `${c.field}.envFrom[${i}].prefix`,
            message: `container '${c.name}': envFrom prefix ${JSON.stringify(e.prefix)} ${envNameProblem(e.prefix, app.minor)}`,
          });
        }
      });
    }
  },
);

export const resourceQuantities: Rule = podRule(
  {
    id: 'resource-quantities',
    severity: Severity.ERROR,
    summary: 'Requests and limits are Kubernetes quantities, and no request is above its limit',
    why: "The API server rejects '1.5 cores' or '512MB ' as a quantity, and a request above the container's limit.",
    fix: "Write quantities like '250m', '0.5', '64Mi', '1Gi', and keep each request at or below its limit.",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const resources = c.container.resources ?? {};
      for (const kind of ['requests', 'limits']) {
        for (const [resource, value] of Object.entries(resources[kind] ?? {})) {
          if (!isQuantity(value)) {
            problem({
              container: c.name,
              field: `${c.field}.resources.${kind}.${resource}`,
              message: `container '${c.name}': ${kind}.${resource} ${JSON.stringify(value)} is not a Kubernetes quantity`,
            });
          }
        }
      }
      for (const [resource, request] of Object.entries(resources.requests ?? {})) {
        const limit = resources.limits?.[resource];
        if (limit === undefined) continue;
        const r = quantityValue(request);
        const l = quantityValue(limit);
        if (r !== undefined && l !== undefined && r > l) {
          problem({
            container: c.name,
            field: `${c.field}.resources.requests.${resource}`,
            message: `container '${c.name}': the ${resource} request ${request} is above its limit ${limit}`,
          });
        }
      }
    }
  },
);

export const containerPortClash: Rule = podRule(
  {
    id: 'container-port-clash',
    severity: Severity.ERROR,
    summary: 'No two long-running containers of a pod (app containers, native sidecars) declare one port',
    why:
      'Every container of a pod shares one network namespace: two that listen on one port cannot both bind it, so ' +
      'one of them crash-loops. Init steps run alone, so they may reuse a port.',
    fix: 'Give one of the containers another port.',
  },
  (pod, problem) => {
    const owners = new Map<string, string>();
    for (const c of [...pod.initContainers.filter((x) => x.native), ...pod.containers]) {
      (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((port: any, i: number) => {
        const key = `${port?.containerPort}/${port?.protocol ?? 'TCP'}`;
        const other = owners.get(key);
        if (other !== undefined && other !== c.name) {
          problem({
            container: c.name,
            field: `${c.field}.ports[${i}].containerPort`,
            message:
              `containers '${other}' and '${c.name}' both listen on port ${key}; they share the pod's network, so ` +
              'one would fail to bind it. Give one of them another port',
          });
        }
        owners.set(key, c.name);
      });
    }
  },
);

export const containerRestartPolicy: Rule = podRule(
  {
    id: 'container-restart-policy',
    severity: Severity.ERROR,
    summary: "Only init containers set a container restartPolicy, and only 'Always' (a native sidecar)",
    why: "The API server rejects restartPolicy on an app container and any value but 'Always' on an init container.",
    fix: "Drop the field, or set 'Always' on an init container to make it a native sidecar (Kubernetes 1.29+).",
  },
  (pod, problem) => {
    for (const c of pod.initContainers) {
      const policy = c.container.restartPolicy;
      if (policy !== undefined && policy !== 'Always') {
        problem({
          container: c.name,
          field: `${c.field}.restartPolicy`,
          message: `init container '${c.name}' has restartPolicy '${policy}'; only 'Always' is allowed`,
        });
      }
    }
    for (const c of pod.containers) {
      if (c.container.restartPolicy !== undefined) {
        problem({
          container: c.name,
          field: `${c.field}.restartPolicy`,
          message: `app container '${c.name}' sets restartPolicy; only init containers (native sidecars) may`,
        });
      }
    }
  },
);

const INIT_FORBIDDEN = ['startupProbe', 'livenessProbe', 'readinessProbe', 'lifecycle'];

export const initContainerFields: Rule = podRule(
  {
    id: 'init-container-fields',
    severity: Severity.ERROR,
    summary: 'A regular init container has no probes and no lifecycle hooks (a native sidecar may)',
    why:
      'An init step runs to completion, so the API server rejects probes and lifecycle hooks on it. cdk8s-plus ' +
      'adds a startupProbe to every container with a port, including init containers.',
    fix: "Remove the probe or the port, or make the container a native sidecar (restartPolicy 'Always').",
  },
  (pod, problem) => {
    for (const c of pod.initContainers) {
      if (c.native) continue;
      for (const field of INIT_FORBIDDEN) {
        if (c.container[field] === undefined) continue;
        problem({
          container: c.name,
          field: `${c.field}.${field}`,
          message:
            `init container '${c.name}' has a ${field}, which the API server rejects on an init container that is ` +
            'not a sidecar',
          fix:
            'remove the port or the probe (cdk8s-plus adds a startupProbe to containers with a port), or make it ' +
            'a sidecar',
        });
      }
    }
  },
);

const ALWAYS_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

export const workloadRestartPolicy: Rule = podRule(
  {
    id: 'workload-restart-policy',
    severity: Severity.ERROR,
    summary: "A Job's or CronJob's pods restart 'Never' or 'OnFailure'; other workloads' pods 'Always'",
    why: 'The API server rejects a pod restart policy that does not fit the workload kind.',
    fix: "Set the pod's restartPolicy to 'Never' or 'OnFailure' in a Job or CronJob, and 'Always' (or nothing) elsewhere.",
  },
  (pod, problem) => {
    const policy = pod.spec.restartPolicy ?? 'Always';
    const field = `${pod.specPath}.restartPolicy`;
    if (RUNS_TO_COMPLETION.has(pod.kind) && policy === 'Always') {
      problem({ field, message: `a ${pod.kind}'s pods must have restartPolicy 'Never' or 'OnFailure', got 'Always'` });
    }
    if (ALWAYS_KINDS.includes(pod.kind) && policy !== 'Always') {
      problem({ field, message: `a ${pod.kind}'s pods must have restartPolicy 'Always', got '${policy}'` });
    }
  },
);
