import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkDnsLabel, checkEnvName, checkImage, checkInteger, checkPort, checkPortName } from './names';

/**
 * Checks of the cdk8s-plus props that `WorkloadKind` and `AppWorkload` pass through, for what cdk8s-plus
 * renders as given and the API server then rejects. Each check throws an error that names the owner, the
 * prop and the value, and says the fix.
 */

/** True for a cdk8s token that resolves at synth (`${Token[...]}`); a plain '${' is data, checked as such. */
function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${Token[');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CRON_FIELD = /^[0-9A-Za-z*/,?#-]+$/;

function isSubdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((l) => l.length <= 63 && DNS_LABEL.test(l));
}

/** Checks a label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
function checkKey(owner: string, prop: string, key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if ((prefix !== undefined && !isSubdomain(prefix)) || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    throw new Error(
      `${owner}: '${prop}' key ${JSON.stringify(key)} must be a name of at most 63 letters, digits, '-', '_' ` +
        "and '.' (starting and ending with a letter or digit), optionally after a DNS subdomain and '/'",
    );
  }
}

/** Checks labels: keys as above, values at most 63 of the same characters (or empty). */
export function checkLabels(owner: string, prop: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (isUnresolved(key) || isUnresolved(value)) continue;
    checkKey(owner, prop, key);
    if (typeof value !== 'string' || value.length > 63 || !(value === '' || QUALIFIED_NAME.test(value))) {
      throw new Error(
        `${owner}: '${prop}.${key}' must be at most 63 letters, digits, '-', '_' and '.' (starting and ending ` +
          `with a letter or digit) or empty, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Checks an object's name (a DNS-1123 subdomain, shorter for some kinds), namespace, labels, annotations. */
export function checkObjectMetadata(
  owner: string,
  metadata: { name?: string; namespace?: string; labels?: { [k: string]: string }; annotations?: any } | undefined,
  maxNameLength = 253,
): void {
  const name = metadata?.name;
  if (name !== undefined && !isUnresolved(name) && (name.length > maxNameLength || !isSubdomain(name))) {
    throw new Error(
      `${owner}: 'metadata.name' must be lower-case letters, digits, '-' and '.' (each part starting and ending ` +
        `with a letter or digit), at most ${maxNameLength} characters, got ${JSON.stringify(name)}`,
    );
  }
  const namespace = metadata?.namespace;
  if (namespace !== undefined && !isUnresolved(namespace)) checkDnsLabel(owner, 'metadata.namespace', namespace);
  checkLabels(owner, 'metadata.labels', metadata?.labels);
  for (const key of Object.keys(metadata?.annotations ?? {})) {
    if (!isUnresolved(key)) checkKey(owner, 'metadata.annotations', key);
  }
}

/** Checks a replica count. */
export function checkReplicas(owner: string, replicas: number | undefined): void {
  if (replicas !== undefined) checkInteger(owner, 'replicas', replicas, 0, 2147483647);
}

/** Checks a CronJob schedule: five fields of cron characters, no spaces or shell text inside a field. */
export function checkSchedule(owner: string, schedule: { expressionString: string } | undefined): void {
  const expression = schedule?.expressionString;
  if (expression === undefined || isUnresolved(expression)) return;
  const fields = expression.split(' ');
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new Error(
      `${owner}: 'schedule' must be five cron fields (minute hour day month weekday) of digits, names, '*', ` +
        `'/', ',' and '-', such as Cron.schedule({ minute: '0', hour: '3' }), got ${JSON.stringify(expression)}`,
    );
  }
}

/** A CPU amount as cdk8s-plus renders it ('250m', '1.5'): finite and not negative. */
function checkCpu(owner: string, prop: string, cpu: kplus.Cpu | undefined): void {
  if (cpu === undefined || isUnresolved(cpu.amount)) return;
  const value = Number(cpu.amount.replace(/m$/, ''));
  // a number rendered in exponent form ('1e+21m') is not a Kubernetes quantity
  const plain = /^[0-9]+(\.[0-9]+)?m?$/.test(cpu.amount);
  if (!plain || !Number.isFinite(value) || (cpu.amount.endsWith('m') && !Number.isInteger(value))) {
    throw new Error(
      `${owner}: '${prop}' must be a CPU amount of whole millicores, 0 or more (Cpu.millis(250), Cpu.units(1)), ` +
        `got ${JSON.stringify(cpu.amount)}`,
    );
  }
}

/** A memory or storage size: whole MiB (as cdk8s-plus renders it), 0 or more. */
function checkSize(owner: string, prop: string, size: { toMebibytes(opts?: any): number } | undefined): void {
  if (size === undefined) return;
  let mib: number;
  try {
    mib = size.toMebibytes();
  } catch {
    mib = NaN;
  }
  if (!Number.isSafeInteger(mib) || mib < 0) {
    throw new Error(
      `${owner}: '${prop}' must be a whole number of MiB from 0 to 2^53 (Size.mebibytes(256), Size.gibibytes(1)), ` +
        `got ${String(mib)}`,
    );
  }
}

/** Checks the requests and limits of a container: valid amounts, each request at most its limit. */
export function checkResources(owner: string, prop: string, resources: kplus.ContainerResources | undefined): void {
  if (!resources) return;
  for (const side of ['request', 'limit'] as const) {
    checkCpu(owner, `${prop}.cpu.${side}`, resources.cpu?.[side]);
    checkSize(owner, `${prop}.memory.${side}`, resources.memory?.[side]);
    checkSize(owner, `${prop}.ephemeralStorage.${side}`, resources.ephemeralStorage?.[side]);
  }
}

/** Checks a container the workload is created with: name, image, ports, env names, resources. */
export function checkContainerProps(owner: string, props: kplus.ContainerProps): void {
  if (props.name !== undefined && !isUnresolved(props.name)) checkDnsLabel(owner, 'name', props.name);
  if (!isUnresolved(props.image)) checkImage(owner, 'image', props.image);
  if (props.portNumber !== undefined) checkPort(owner, 'portNumber', props.portNumber);
  for (const p of props.ports ?? []) {
    checkPort(owner, 'ports number', p.number);
    if (p.name !== undefined) checkPortName(owner, 'ports name', p.name);
  }
  for (const name of Object.keys(props.envVariables ?? {})) checkEnvName(owner, `envVariables ${name}`, name);
  checkResources(owner, 'resources', props.resources);
}

/**
 * Checks the name an object got, which cdk8s generates from the construct path when none is given and
 * which keeps characters ('_', '.') a Kubernetes name may not hold. A Service's name must also start with a
 * letter (DNS-1035).
 */
export function checkObjectName(owner: string, object: ApiObject, maxLength = 253): void {
  const name = object.name;
  if (isUnresolved(name)) return;
  const service = object.kind === 'Service';
  const valid = service ? name.length <= 63 && DNS_1035.test(name) : name.length <= maxLength && isSubdomain(name);
  if (!valid) {
    throw new Error(
      `${owner}: the ${object.kind}'s name ${JSON.stringify(name)} is not a valid Kubernetes name (${
        service
          ? "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter"
          : 'a DNS-1123 subdomain'
      }, at most ${service ? 63 : maxLength} characters); set its 'name' (metadata.name), or use construct ids of ` +
        "lower-case letters, digits and '-'",
    );
  }
}
