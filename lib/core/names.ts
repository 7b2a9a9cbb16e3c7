/**
 * Name and value checks shared by every construct. Each check throws an error that names the owner, the
 * prop and the value, and says how to fix it.
 */
import { memoByKey } from './memo';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when the value is a cdk8s/constructs token that resolves only at synth. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('${Token[') || value.includes('${'));
}

/**
 * Turns a construct id into a DNS-1123 label candidate: lower case, runs of other characters to '-'. An app
 * repeats a handful of ids in every workload: each is turned once.
 */
export const dnsLabelFromId: (id: string) => string = memoByKey((id: string) =>
  id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, ''),
);

/** Checks a DNS-1123 label (container, volume and object names). */
export function checkDnsLabel(owner: string, prop: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(
      `${owner}: '${prop}' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending ` +
        `with a letter or digit, at most 63 characters), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Returns the problem with a port name (IANA_SVC_NAME), or undefined when it is valid. */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'is longer than 15 characters';
  if (!IANA_SVC_NAME.test(value)) return "may hold only lower-case letters, digits and '-', not at either end";
  if (value.includes('--')) return "must not contain '--'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  return undefined;
}

/** Checks a container or service port name (IANA_SVC_NAME). */
export function checkPortName(owner: string, prop: string, value: string): string {
  const problem = portNameProblem(value);
  if (problem) {
    throw new Error(`${owner}: '${prop}' ${JSON.stringify(value)} ${problem}; use a name such as 'http' or 'admin'`);
  }
  return value;
}

/** Checks a TCP/UDP port number. */
export function checkPort(owner: string, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${owner}: '${prop}' must be an integer 1-65535, got ${value}`);
  }
  return value;
}

/** Checks a whole number within bounds (durations, counts). */
export function checkInteger(owner: string, prop: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${owner}: '${prop}' must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Checks an environment variable name. */
export function checkEnvName(owner: string, prop: string, value: string): string {
  if (!ENV_NAME.test(value)) {
    throw new Error(
      `${owner}: '${prop}' must be an environment variable name (letters, digits and '_', not starting with a ` +
        `digit), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Checks an absolute path made of plain segments: no '..', no '.', no empty segment, and only characters
 * that need no quoting anywhere (letters, digits, '.', '_', '-', '/').
 */
export function checkAbsolutePath(owner: string, prop: string, value: string): string {
  const problem = typeof value === 'string' ? absolutePathProblem(value) : 'must be a string';
  if (problem) {
    throw new Error(`${owner}: '${prop}' ${problem}, got ${JSON.stringify(value)}`);
  }
  return value.length > 1 ? value.replace(/\/$/, '') : value;
}

/** What is wrong with an absolute path, once per distinct path (an app mounts a few paths many times). */
const absolutePathProblem = memoByKey((value: string): string | undefined =>
  !value.startsWith('/')
    ? 'must be absolute (start with /)'
    : !/^[A-Za-z0-9._\-/]+$/.test(value)
      ? "may hold only letters, digits, '.', '_', '-' and '/'"
      : value.length > 1 &&
          value
            .split('/')
            .slice(1)
            .some((s, i, all) => s === '..' || s === '.' || (s === '' && i < all.length - 1))
        ? "must not contain '..', '.' or empty segments"
        : undefined,
);

/** Checks a relative path (sub-directory, file name under a mount): plain segments, no '..'. */
export function checkRelativePath(owner: string, prop: string, value: string): string {
  if (
    value.length === 0 ||
    value.startsWith('/') ||
    !/^[A-Za-z0-9._\-/]+$/.test(value) ||
    value.split('/').some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new Error(
      `${owner}: '${prop}' must be a relative path of plain segments (letters, digits, '.', '_', '-'; no '..', ` +
        `no leading '/'), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Checks a host name (DNS-1123 subdomain) or an IPv4 address. */
export function checkHost(owner: string, prop: string, value: string): string {
  if (!(typeof value === 'string' && isHost(value))) {
    throw new Error(
      `${owner}: '${prop}' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') ` +
        `or an IPv4 address, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Whether a value is a host name or an IPv4 address, once per distinct value. */
const isHost = memoByKey((value: string): boolean => {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  const validIp = ipv4 !== null && ipv4.slice(1).every((o) => Number(o) <= 255);
  const validName =
    value.length <= 253 && value.split('.').every((label) => label.length <= 63 && DNS_LABEL.test(label));
  return validIp || (ipv4 === null && validName);
});

/**
 * Checks an http(s) URL: scheme, a valid host, an optional port, and a path/query made only of characters
 * that are safe as data (no quotes, spaces, '`', '$', ';', '\\' or control characters).
 */
export function checkUrl(owner: string, prop: string, value: string, schemes: string[] = ['http', 'https']): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const scheme = url?.protocol.replace(/:$/, '');
  const safe = /^[A-Za-z0-9\-._~:/?#[\]@!&()*+,=%]+$/.test(value) && !value.includes("'");
  if (!url || !scheme || !schemes.includes(scheme) || !safe || url.username || url.password) {
    throw new Error(
      `${owner}: '${prop}' must be a ${schemes.join(' or ')} URL without credentials, quotes, spaces or shell ` +
        `characters (for example ${schemes[0]}://service:8080/path), got ${JSON.stringify(value)}`,
    );
  }
  checkHost(owner, `${prop} host`, url.hostname);
  return url;
}

/** Checks a container image reference: no whitespace or shell characters. */
export function checkImage(owner: string, prop: string, value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(value)) {
    throw new Error(
      `${owner}: '${prop}' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** True when the value is a DNS-1123 label (and not an unresolved token). */
export function isDnsLabel(value: string): boolean {
  return !isUnresolved(value) && value.length <= 63 && DNS_LABEL.test(value);
}

/**
 * A DNS-1123 label for something a helper owns, such as its volumes: `<base>-<suffix>`, with `base` cut short
 * so that the whole fits in 63 characters (`log-forwarder-state`).
 */
export function derivedName(base: string, suffix: string): string {
  return `${base.slice(0, 62 - suffix.length)}-${suffix}`;
}

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Checks a key of a Secret or ConfigMap (letters, digits, '-', '_' and '.', at most 253 characters, not '.'
 * or '..').
 *
 * @param kind 'Secret' or 'ConfigMap', for the message
 */
export function checkDataKey(owner: string, prop: string, kind: string, value: string): string {
  if (value.length > 253 || !DATA_KEY.test(value) || value === '.' || value === '..') {
    throw new Error(
      `${owner}: '${prop}' must be a ${kind} key (letters, digits, '-', '_' and '.', at most 253 characters), ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
