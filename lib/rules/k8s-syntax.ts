import { memoByKey } from '../core/memo';
import { quantityValue as valueOf } from '../plan/quantity';

/**
 * The API server's syntax checks, as predicates and problem descriptions (apimachinery's validation
 * package): DNS names, qualified names, label values, port names, env var names, quantities and cron.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const C_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The problem with a DNS-1123 label (at most 63 characters), or undefined. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return `is longer than 63 characters (${value.length})`;
  if (!DNS_LABEL.test(value)) {
    return "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/** The problem with a DNS-1035 label (a Service name: starts with a letter), or undefined. */
export function dns1035LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `is longer than 63 characters (${value.length})`;
  if (!DNS_1035_LABEL.test(value)) {
    return "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
  }
  return undefined;
}

/** The problem with a DNS-1123 subdomain (at most 253 characters, dot-separated labels), or undefined. */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return `is longer than 253 characters (${value.length})`;
  if (value.length === 0 || !value.split('.').every((part) => DNS_LABEL.test(part))) {
    return "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * The problem with a qualified name (a label or annotation key: `[prefix/]name`), or undefined. An app uses a
 * handful of keys on thousands of objects: each is checked once.
 */
export const qualifiedNameProblem: (key: string) => string | undefined = memoByKey(readQualifiedName);

function readQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "may hold at most one '/'";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefixProblem = dnsSubdomainProblem(parts[0]);
    if (prefixProblem) return `has a prefix that ${prefixProblem}`;
  }
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1-63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "must have a name part of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** The problem with a label value (empty, or at most 63 characters), or undefined. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${JSON.stringify(value)}`;
  if (value.length === 0) return undefined;
  if (value.length > 63) return `is longer than 63 characters (${value.length})`;
  if (!QUALIFIED_NAME_PART.test(value)) {
    return "may hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** The problem with a port name (IANA_SVC_NAME), or undefined. */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'is longer than 15 characters';
  if (!DNS_LABEL.test(value)) return "may hold only lower-case letters, digits and '-', not at either end";
  if (value.includes('--')) return "must not contain '--'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  return undefined;
}

/** Whether a value is a port number 1-65535. */
export function isPortNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * The problem with an env var name, or undefined. From Kubernetes 1.32 (RelaxedEnvironmentVariableValidation
 * on by default) any printable ASCII character but '=' is allowed; before, letters, digits, '_', '-' and '.',
 * not starting with a digit.
 */
export function envNameProblem(value: string, minor: number): string | undefined {
  if (minor >= 32) {
    return value.length > 0 && /^[\x20-\x7e]+$/.test(value) && !value.includes('=')
      ? undefined
      : "must be printable ASCII characters other than '='";
  }
  return C_ENV_NAME.test(value)
    ? undefined
    : "must consist of letters, digits, '_', '-' and '.', and must not start with a digit";
}

/** Whether a value is a Kubernetes quantity ('250m', '64Mi', '1e3', 2). */
export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  return typeof value === 'string' && strictQuantity(value) !== undefined;
}

/** A quantity in base units (cores, bytes), or undefined when it is not a quantity. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? strictQuantity(value) : undefined;
}

/** A quantity as the API server reads it (no spaces around it, not negative), once per distinct text. */
const strictQuantity = memoByKey((value: string): number | undefined =>
  value.trim() === value && !value.startsWith('-') ? valueOf(value) : undefined,
);

const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const CRON_FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/** The problem with a CronJob schedule (five fields or a macro, as the API server's cron parser reads it), or undefined. */
export function cronProblem(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') return 'must be a non-empty string';
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return "must not set a time zone with TZ= or CRON_TZ=; use 'spec.timeZone'";
  if (text.startsWith('@')) {
    return CRON_MACROS.has(text) ? undefined : `uses an unknown macro '${text}'`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const spec = CRON_FIELDS[i];
    for (const part of fields[i].split(',')) {
      if (!cronPartValid(part, spec)) return `has an invalid ${spec.name} field '${fields[i]}'`;
    }
  }
  return undefined;
}

function cronPartValid(part: string, spec: { min: number; max: number; names?: string[] }): boolean {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || (range === '?' && spec.names !== undefined)) return true;
  const value = (s: string): number | undefined => {
    if (/^\d+$/.test(s)) return Number(s);
    const index = spec.names?.indexOf(s.toLowerCase()) ?? -1;
    if (index < 0) return undefined;
    return spec.names === MONTHS ? index + 1 : index;
  };
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map(value);
  if (values.some((v) => v === undefined || v < spec.min || v > spec.max)) return false;
  return values.length === 1 || values[0]! <= values[1]!;
}
