/**
 * The shared test helper: synthesizes a chart and validates every object against the Kubernetes OpenAPI
 * schema (kubernetes-models), plus a strict check that containers carry no field the API does not know.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, KubernetesVersion, WorkloadKind } from '../../lib';

/* eslint-disable @typescript-eslint/no-require-imports */
const MODELS: { [apiVersionKind: string]: any } = {
  'v1/Pod': require('kubernetes-models/v1/Pod').Pod,
  'v1/Service': require('kubernetes-models/v1/Service').Service,
  'v1/ConfigMap': require('kubernetes-models/v1/ConfigMap').ConfigMap,
  'v1/Secret': require('kubernetes-models/v1/Secret').Secret,
  'v1/Namespace': require('kubernetes-models/v1/Namespace').Namespace,
  'v1/ServiceAccount': require('kubernetes-models/v1/ServiceAccount').ServiceAccount,
  'apps/v1/Deployment': require('kubernetes-models/apps/v1/Deployment').Deployment,
  'apps/v1/StatefulSet': require('kubernetes-models/apps/v1/StatefulSet').StatefulSet,
  'apps/v1/DaemonSet': require('kubernetes-models/apps/v1/DaemonSet').DaemonSet,
  'batch/v1/Job': require('kubernetes-models/batch/v1/Job').Job,
  'batch/v1/CronJob': require('kubernetes-models/batch/v1/CronJob').CronJob,
  'networking.k8s.io/v1/Ingress': require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress,
  'networking.k8s.io/v1/NetworkPolicy': require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').NetworkPolicy,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Fields of core/v1 Container in Kubernetes 1.29 (restartPolicy is the native-sidecar field). */
const CONTAINER_FIELDS = new Set([
  'args',
  'command',
  'env',
  'envFrom',
  'image',
  'imagePullPolicy',
  'lifecycle',
  'livenessProbe',
  'name',
  'ports',
  'readinessProbe',
  'resizePolicy',
  'resources',
  'restartPolicy',
  'securityContext',
  'startupProbe',
  'stdin',
  'stdinOnce',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'tty',
  'volumeDevices',
  'volumeMounts',
  'workingDir',
]);
const PROBE_FIELDS = new Set([
  'exec',
  'failureThreshold',
  'grpc',
  'httpGet',
  'initialDelaySeconds',
  'periodSeconds',
  'successThreshold',
  'tcpSocket',
  'terminationGracePeriodSeconds',
  'timeoutSeconds',
]);
const SECURITY_CONTEXT_FIELDS = new Set([
  'allowPrivilegeEscalation',
  'capabilities',
  'privileged',
  'procMount',
  'readOnlyRootFilesystem',
  'runAsGroup',
  'runAsNonRoot',
  'runAsUser',
  'seLinuxOptions',
  'seccompProfile',
  'windowsOptions',
  'appArmorProfile',
]);
const MOUNT_FIELDS = new Set(['mountPath', 'mountPropagation', 'name', 'readOnly', 'subPath', 'subPathExpr']);

/** The pod spec inside any workload manifest, or undefined for other kinds. */
export function podSpecOf(manifest: any): any {
  switch (manifest.kind) {
    case 'Pod':
      return manifest.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return manifest.spec.template.spec;
    case 'CronJob':
      return manifest.spec.jobTemplate.spec.template.spec;
    default:
      return undefined;
  }
}

function unknownKeys(obj: any, known: Set<string>, where: string): string[] {
  return Object.keys(obj ?? {})
    .filter((k) => !known.has(k))
    .map((k) => `${where}: unknown field '${k}'`);
}

/** Validates one manifest; throws with every problem found. */
export function validateManifest(manifest: any): void {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const Model = MODELS[key];
  if (!Model) {
    throw new Error(`no schema registered for ${key}; add it to test/util/manifest.ts`);
  }
  new Model(manifest).validate();
  const spec = podSpecOf(manifest);
  if (!spec) return;
  const problems: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const where = `${manifest.kind}/${manifest.metadata?.name} container ${c.name}`;
    problems.push(...unknownKeys(c, CONTAINER_FIELDS, where));
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      problems.push(...unknownKeys(c[probe], PROBE_FIELDS, `${where} ${probe}`));
    }
    problems.push(...unknownKeys(c.securityContext, SECURITY_CONTEXT_FIELDS, `${where} securityContext`));
    for (const m of c.volumeMounts ?? []) problems.push(...unknownKeys(m, MOUNT_FIELDS, `${where} volumeMount`));
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Synthesizes a chart and validates every object in it against the Kubernetes schema. */
export function synthValid(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  manifests.forEach(validateManifest);
  return manifests;
}

/** The one manifest of a kind (and name, when given); throws when there is not exactly one. */
export function only(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The pod spec of the only workload in the manifests. */
export function onlyPodSpec(manifests: any[]): any {
  const workloads = manifests.filter((m) => podSpecOf(m) !== undefined);
  if (workloads.length !== 1) throw new Error(`expected one workload, found ${workloads.length}`);
  return podSpecOf(workloads[0]);
}

/** A container of a pod spec by name, from init or app containers. */
export function containerNamed(spec: any, name: string): any {
  const c = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container named ${name}`);
  return c;
}

/** A container's env by name: the plain value, or the `valueFrom` reference of a Secret or ConfigMap value. */
export function envOf(container: any): { [name: string]: any } {
  const env: { [name: string]: any } = {};
  for (const e of container.env ?? []) env[e.name] = e.value ?? e.valueFrom;
  return env;
}

/** A test chart, targeting `version` when given, with an `AppWorkload` of `id` around `container`. */
export function chartWithApp(
  id: string,
  container: kplus.ContainerProps,
  options: { kind?: WorkloadKind; version?: KubernetesVersion } = {},
): { chart: Chart; app: AppWorkload } {
  const chart = Testing.chart();
  if (options.version) KubernetesVersion.setTarget(chart, options.version);
  const app = new AppWorkload(chart, id, { kind: options.kind, container });
  return { chart, app };
}
