/**
 * The API server's own field validation for what the schema check (kubernetes-models) does not cover:
 * name formats and lengths, label and annotation keys, port ranges, env names, quantities, replica
 * counts, schedules. Each problem names the object and the field.
 */
import { podSpecOf } from '../util/manifest';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isSubdomain(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= 253 &&
    value.split('.').every((l) => l.length <= 63 && DNS_LABEL.test(l))
  );
}

function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  return (prefix === undefined || isSubdomain(prefix)) && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function portNameOk(name: string): boolean {
  return name.length <= 15 && IANA_SVC_NAME.test(name) && !name.includes('--') && /[a-z]/.test(name);
}

/** A quantity in base units, or NaN when it is not a quantity the API server parses. */
function quantityValue(q: unknown): number {
  if (typeof q === 'number') return Number.isFinite(q) ? q : NaN;
  if (typeof q !== 'string' || !QUANTITY.test(q)) return NaN;
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?$/.exec(q);
  if (!m) return NaN;
  const factors: { [s: string]: number } = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
  };
  const suffix = m[2];
  const factor = suffix === undefined ? 1 : /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : factors[suffix];
  return Number(m[1]) * factor;
}

function checkMetadata(object: string, metadata: any, problems: string[], where = 'metadata'): void {
  for (const [k, v] of Object.entries<any>(metadata?.labels ?? {})) {
    if (!isQualifiedKey(k)) problems.push(`${object} ${where}.labels: key ${JSON.stringify(k)} is invalid`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      problems.push(`${object} ${where}.labels.${k}: value ${JSON.stringify(v)} is invalid`);
    }
  }
  let size = 0;
  for (const [k, v] of Object.entries<any>(metadata?.annotations ?? {})) {
    if (!isQualifiedKey(k)) problems.push(`${object} ${where}.annotations: key ${JSON.stringify(k)} is invalid`);
    if (typeof v !== 'string') problems.push(`${object} ${where}.annotations.${k}: not a string`);
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) problems.push(`${object} ${where}.annotations: larger than 256 KiB`);
}

function checkContainer(object: string, c: any, problems: string[]): void {
  const at = `${object} container ${JSON.stringify(c.name)}`;
  if (typeof c.name !== 'string' || c.name.length > 63 || !DNS_LABEL.test(c.name)) {
    problems.push(`${at}: name is not a DNS-1123 label`);
  }
  if (typeof c.image !== 'string' || c.image.trim() === '' || c.image !== c.image.trim()) {
    problems.push(`${at}: image ${JSON.stringify(c.image)} is empty or padded`);
  }
  const ports = new Set<string>();
  for (const p of c.ports ?? []) {
    if (!isPort(p.containerPort)) problems.push(`${at}: containerPort ${p.containerPort} is out of range`);
    if (p.name !== undefined && !portNameOk(p.name)) problems.push(`${at}: port name ${JSON.stringify(p.name)}`);
    const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
    if (ports.has(key)) problems.push(`${at}: port ${key} listed twice`);
    ports.add(key);
  }
  const envNames = new Set<string>();
  for (const e of c.env ?? []) {
    if (typeof e.name !== 'string' || !ENV_NAME.test(e.name))
      problems.push(`${at}: env name ${JSON.stringify(e.name)}`);
    if (e.value !== undefined && typeof e.value !== 'string') problems.push(`${at}: env ${e.name} is not a string`);
    if (e.value !== undefined && e.valueFrom !== undefined)
      problems.push(`${at}: env ${e.name} has value and valueFrom`);
    envNames.add(e.name);
  }
  for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
    if (typeof arg !== 'string') problems.push(`${at}: argv element ${JSON.stringify(arg)} is not a string`);
  }
  const res = c.resources ?? {};
  for (const side of ['requests', 'limits']) {
    for (const [k, q] of Object.entries<any>(res[side] ?? {})) {
      const v = quantityValue(q);
      if (Number.isNaN(v) || v < 0) problems.push(`${at}: resources.${side}.${k} ${JSON.stringify(q)} is invalid`);
    }
  }
  for (const [k, q] of Object.entries<any>(res.requests ?? {})) {
    const limit = res.limits?.[k];
    if (limit !== undefined && quantityValue(q) > quantityValue(limit)) {
      problems.push(`${at}: resources.requests.${k} ${q} is above the limit ${limit}`);
    }
  }
  for (const m of c.volumeMounts ?? []) {
    if (typeof m.mountPath !== 'string' || m.mountPath === '' || m.mountPath.includes(':')) {
      problems.push(`${at}: mountPath ${JSON.stringify(m.mountPath)}`);
    }
    if (m.subPath !== undefined && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      problems.push(`${at}: subPath ${JSON.stringify(m.subPath)}`);
    }
  }
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const p = c[probe];
    if (!p) continue;
    for (const k of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']) {
      if (p[k] !== undefined && !(Number.isInteger(p[k]) && p[k] >= 1)) problems.push(`${at}: ${probe}.${k} ${p[k]}`);
    }
    const port = p.httpGet?.port ?? p.tcpSocket?.port;
    if (port !== undefined && !(isPort(port) || (typeof port === 'string' && portNameOk(port)))) {
      problems.push(`${at}: ${probe} port ${JSON.stringify(port)}`);
    }
  }
}

/** Every problem the API server would report for one object. */
export function apiServerProblems(manifest: any): string[] {
  const problems: string[] = [];
  const object = `${manifest.kind}/${manifest.metadata?.name}`;
  const name = manifest.metadata?.name;
  const nameOk =
    manifest.kind === 'Service'
      ? typeof name === 'string' && name.length <= 63 && DNS_1035.test(name)
      : isSubdomain(name);
  if (!nameOk) problems.push(`${object}: metadata.name ${JSON.stringify(name)} is invalid for a ${manifest.kind}`);
  if (manifest.kind === 'CronJob' && typeof name === 'string' && name.length > 52) {
    problems.push(`${object}: a CronJob's name must be at most 52 characters`);
  }
  const ns = manifest.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || ns.length > 63 || !DNS_LABEL.test(ns))) {
    problems.push(`${object}: metadata.namespace ${JSON.stringify(ns)} is not a DNS-1123 label`);
  }
  checkMetadata(object, manifest.metadata, problems);
  if (manifest.kind === 'ConfigMap' || manifest.kind === 'Secret') {
    for (const k of Object.keys({ ...manifest.data, ...manifest.stringData, ...manifest.binaryData })) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) problems.push(`${object}: data key ${JSON.stringify(k)}`);
    }
  }
  if (manifest.kind === 'Service') {
    for (const p of manifest.spec?.ports ?? []) {
      if (!isPort(p.port)) problems.push(`${object}: port ${p.port} is out of range`);
      const t = p.targetPort;
      if (t !== undefined && !(isPort(t) || (typeof t === 'string' && portNameOk(t)))) {
        problems.push(`${object}: targetPort ${JSON.stringify(t)}`);
      }
      if (p.name !== undefined && !portNameOk(p.name)) problems.push(`${object}: port name ${JSON.stringify(p.name)}`);
    }
  }
  const replicas = manifest.spec?.replicas;
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 0 && replicas <= 2147483647)) {
    problems.push(`${object}: spec.replicas ${replicas} is not a whole number >= 0`);
  }
  if (manifest.kind === 'CronJob') {
    const schedule = manifest.spec?.schedule;
    if (typeof schedule !== 'string' || !(schedule.trim().split(/\s+/).length === 5 || /^@\w+$/.test(schedule))) {
      problems.push(`${object}: spec.schedule ${JSON.stringify(schedule)} is not a cron schedule`);
    }
  }
  const spec = podSpecOf(manifest);
  if (spec) {
    const template =
      manifest.kind === 'Pod'
        ? undefined
        : manifest.kind === 'CronJob'
          ? manifest.spec.jobTemplate.spec.template
          : manifest.spec.template;
    if (template) checkMetadata(object, template.metadata, problems, 'pod template metadata');
    const volumes = new Set<string>();
    for (const v of spec.volumes ?? []) {
      if (typeof v.name !== 'string' || v.name.length > 63 || !DNS_LABEL.test(v.name)) {
        problems.push(`${object}: volume name ${JSON.stringify(v.name)}`);
      }
      if (volumes.has(v.name)) problems.push(`${object}: two volumes named ${v.name}`);
      volumes.add(v.name);
      const limit = v.emptyDir?.sizeLimit;
      if (limit !== undefined && !(quantityValue(limit) > 0))
        problems.push(`${object}: volume ${v.name} sizeLimit ${limit}`);
    }
    const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    if ((spec.containers ?? []).length === 0) problems.push(`${object}: the pod has no containers`);
    all.forEach((c) => checkContainer(object, c, problems));
    const grace = spec.terminationGracePeriodSeconds;
    if (grace !== undefined && !(Number.isInteger(grace) && grace >= 0)) {
      problems.push(`${object}: terminationGracePeriodSeconds ${grace}`);
    }
  }
  return problems;
}
