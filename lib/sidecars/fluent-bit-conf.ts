/**
 * Writing Fluent Bit's classic configuration format safely (internal: not re-exported).
 *
 * The classic format is line based: `[SECTION]` headers at the start of a line, indented `Key value`
 * entries, `@INCLUDE` / `@SET` commands at the start of a line, and `${VAR}` references expanded from the
 * environment anywhere in a value. A value therefore must never hold a line break (it would start a new
 * section or command) nor `${` (it would read another variable, such as a password, into the record).
 * Every value is checked here before it is written, and each prop narrows it further to what its field
 * accepts.
 */
import * as kplus from 'cdk8s-plus-28';
import { TlsTrust } from '../core/tls-trust';

/** One `[SECTION]` of a classic Fluent Bit configuration file. */
export interface ConfSection {
  readonly name: string;
  readonly entries: Array<[string, string]>;
}

/** Renders sections as a classic Fluent Bit configuration file, keys aligned, four-space indent. */
export function renderConf(sections: ConfSection[]): string {
  return sections
    .map((section) => {
      const width = Math.max(...section.entries.map(([key]) => key.length));
      const lines = section.entries.map(([key, value]) => {
        assertSafeValue(key, value);
        return `    ${key.padEnd(width)} ${value}`;
      });
      return [`[${section.name}]`, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** A last line of defence: every prop is validated before, so this never fires for user input. */
function assertSafeValue(key: string, value: string): void {
  if (/[\r\n]/.test(value) || value.trim() !== value || value.length === 0) {
    throw new Error(`Fluent Bit configuration: the value of '${key}' is not a single line: ${JSON.stringify(value)}`);
  }
}

/** `On` / `Off`, as Fluent Bit writes booleans. */
export function onOff(value: boolean): string {
  return value ? 'On' : 'Off';
}

/**
 * Checks a free-text value (a regex, a time format): one line, no `${`, no leading or trailing space, at
 * most 1024 characters.
 */
export function checkConfText(owner: string, prop: string, value: string): string {
  if (value.length === 0 || value.length > 1024 || hasControlCharacter(value) || value.trim() !== value) {
    throw new Error(
      `${owner}: '${prop}' must be one line of 1-1024 printable characters without leading or trailing spaces, ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  if (value.includes('${')) {
    throw new Error(
      `${owner}: '${prop}' must not contain '\${' (Fluent Bit would expand it as an environment variable), ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

/** Checks a value against a pattern; `what` says what is expected (`a tag such as 'app.*'`). */
export function checkConfToken(owner: string, prop: string, value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value) || value.length > 255) {
    throw new Error(`${owner}: '${prop}' must be ${what}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A tag: dot-separated words, optionally ending in `.*` (expanded by tail to the file's path). */
export const TAG = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?$/;
export const TAG_WHAT = "a tag of letters, digits, '_', '-' and '.', optionally ending in '.*' (such as 'app.*')";

/** A match pattern: tag characters and `*` wildcards. */
export const MATCH = /^[A-Za-z0-9_.*-]+$/;
export const MATCH_WHAT = "a match pattern of letters, digits, '_', '-', '.' and '*' (such as '*' or 'app.*')";

/** A name for a parser. */
export const PARSER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const PARSER_NAME_WHAT = "a parser name of letters, digits, '_', '-' and '.' (such as 'app-json')";

/**
 * Checks an absolute path glob for the tail input: plain segments of letters, digits, '.', '_', '-' and the
 * wildcards '*' and '?'; no '..', no commas (Fluent Bit splits a path list on commas), no spaces.
 */
export function checkGlob(owner: string, prop: string, value: string): string {
  const plain = /^\/[A-Za-z0-9._\-/*?]+$/.test(value);
  const segments = value.split('/').slice(1);
  if (!plain || segments.some((s) => s === '' || s === '.' || s === '..') || value.length > 1024) {
    throw new Error(
      `${owner}: '${prop}' must be an absolute path glob of letters, digits, '.', '_', '-', '/' and the ` +
        `wildcards '*' and '?' (no '..', commas or spaces), such as '/var/log/app/*.log', got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An environment variable that carries a Secret's value into the configuration as `${NAME}`. */
export interface SecretEnv {
  readonly name: string;
  readonly value: kplus.EnvValue;
  /** The Secret it reads, which must be in the pod's namespace. */
  readonly secret: kplus.ISecret;
}

/** What a configuration gives the sidecar it is bound to. */
export interface BoundFluentBitConfig {
  readonly configMap: kplus.IConfigMap;
  readonly env: SecretEnv[];
  /** The CA bundles the outputs verify with, mounted at `<tlsMountPath>/<n>` in this order. */
  readonly trusts: TlsTrust[];
  readonly volumeName: string;
}

/** Where the sidecar mounts things, for the configuration to refer to. */
export interface FluentBitConfigContext {
  readonly owner: string;
  readonly containerName: string;
  /** The pod's namespace, where a generated ConfigMap goes. */
  readonly namespace?: string;
  readonly logMountPath: string;
  readonly configMountPath: string;
  readonly stateMountPath: string;
  /** The size of the state volume, in MiB: the file buffers must fit in it. */
  readonly stateSizeLimitMiB: number;
  /** Where CA bundles are mounted, one directory each. */
  readonly tlsMountPath: string;
}
