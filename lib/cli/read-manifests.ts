import * as fs from 'fs';
import * as path from 'path';
import type { Document } from 'yaml';

/** The YAML parser, loaded on first use: importing the library (for its constructs) does not pay for it. */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

/** The kinds the rules read; objects of other kinds are skipped and counted. */
export const CHECKED_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Service',
  'ConfigMap',
  'Secret',
  'Namespace',
  'ServiceAccount',
]);

/** The default size limit per input: 128 MiB. */
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/** One Kubernetes object read from an input. */
export interface ManifestDocument {
  readonly object: any;
  /** The file it came from ('-' for standard input). */
  readonly file: string;
  /** The line where its document starts (1-based). */
  readonly line: number;
  /** Resolves a field path of the object ('spec.containers[0].args[1]') to its line, when it can. */
  lineOf(field: string | undefined): number;
}

/** Something wrong with an input that is not a finding: the doctor reports it and exits 2. */
export interface InputProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** What was read. */
export interface ReadResult {
  readonly documents: ManifestDocument[];
  readonly problems: InputProblem[];
  /** Notes that change nothing (empty files and documents). */
  readonly notes: InputProblem[];
  /** Objects skipped because the rules do not read their kind, by kind. */
  readonly skipped: { [kind: string]: number };
  /** How many files (and standard input) were read. */
  files: number;
}

/** Options for `readManifests`. */
export interface ReadOptions {
  /** Reads standard input for '-'. */
  readonly stdin?: () => Buffer;
  /** The size limit per input, in bytes. */
  readonly maxBytes?: number;
}

/** A field path as YAML path segments: 'spec.containers[0].name' -> ['spec', 'containers', 0, 'name']. */
function segments(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/**
 * Field paths join keys with '.', but annotation and label keys hold dots themselves: resolve greedily,
 * joining segments until the map has the key.
 */
function nodeAt(doc: Document, field: string): any {
  const parts = segments(field);
  let node: any = doc.contents;
  for (let i = 0; i < parts.length && node; i++) {
    let key = parts[i];
    let next = typeof node.get === 'function' ? node.get(key, true) : undefined;
    let j = i;
    while (next === undefined && typeof key === 'string' && j + 1 < parts.length && typeof parts[j + 1] === 'string') {
      j++;
      key = `${key}.${parts[j]}`;
      next = node.get(key, true);
    }
    if (next === undefined) return node;
    node = next;
    i = j;
  }
  return node;
}

function isBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  const text = head.toString('utf8');
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  return replaced > 0 && replaced > text.length / 100;
}

/** The YAML and JSON files under a folder, sorted, recursively (hidden folders and node_modules skipped). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Reads one input's text into objects, noting every problem with its line. */
export function parseManifests(text: string, file: string, result: ReadResult): void {
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
  } catch (e) {
    result.problems.push({ file, message: `cannot be read as YAML: ${(e as Error).message}` });
    return;
  }
  if (!Array.isArray(docs)) docs = [docs];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (docs.length === 0 || docs.every((d) => d.contents === null && d.errors.length === 0)) {
    result.notes.push({ file, message: 'is empty' });
    return;
  }
  for (const doc of docs) {
    const start = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line ?? start;
      const what = err.message.split('\n')[0];
      result.problems.push({ file, line, message: `malformed YAML: ${what}` });
      continue;
    }
    if (doc.contents === null) continue; // an empty document between '---' separators
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      result.problems.push({ file, line: start, message: `cannot be read: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const objects =
      value &&
      typeof value === 'object' &&
      typeof value.kind === 'string' &&
      /List$/.test(value.kind) &&
      Array.isArray(value.items)
        ? value.items
        : [value];
    objects.forEach((object: any, i: number) => {
      const listed = objects.length > 1 || object !== value;
      const lineOf = (field: string | undefined): number => {
        const prefix = listed ? `items[${i}]` : '';
        const full = field ? (prefix ? `${prefix}.${field}` : field) : prefix;
        if (!full) return start;
        const node = nodeAt(doc, full);
        return node?.range ? lineAt(node.range[0]) : start;
      };
      if (!object || typeof object !== 'object' || Array.isArray(object)) {
        result.problems.push({
          file,
          line: start,
          message: 'is not a Kubernetes object (a map with apiVersion and kind)',
        });
        return;
      }
      if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
        result.problems.push({
          file,
          line: lineOf(undefined),
          message: `is not a Kubernetes object: it has no ${typeof object.kind !== 'string' ? 'kind' : 'apiVersion'}`,
        });
        return;
      }
      if (!CHECKED_KINDS.has(object.kind)) {
        result.skipped[object.kind] = (result.skipped[object.kind] ?? 0) + 1;
        return;
      }
      if (!object.metadata || typeof object.metadata !== 'object') {
        result.problems.push({ file, line: lineOf(undefined), message: `the ${object.kind} has no metadata` });
        return;
      }
      result.documents.push({ object, file, line: lineOf(undefined), lineOf });
    });
  }
}

/**
 * Reads Kubernetes objects from files, folders (their .yaml, .yml and .json files) and '-' (standard
 * input). Every problem is noted with its file (and line), and one unreadable document does not stop the
 * others.
 */
export function readManifests(inputs: string[], options: ReadOptions = {}): ReadResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const result: ReadResult = { documents: [], problems: [], notes: [], skipped: {}, files: 0 };
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      result.problems.push({ file: input, message: 'does not exist' });
      continue;
    }
    if (stat.isDirectory()) {
      const found = filesUnder(input);
      if (found.length === 0) result.notes.push({ file: input, message: 'holds no .yaml, .yml or .json files' });
      files.push(...found);
    } else {
      files.push(input);
    }
  }
  for (const file of files) {
    let bytes: Buffer;
    try {
      if (file === '-') {
        bytes = options.stdin ? options.stdin() : fs.readFileSync(0);
      } else {
        const size = fs.statSync(file).size;
        if (size > maxBytes) {
          result.problems.push({
            file,
            message: `is ${size} bytes, over the ${maxBytes}-byte limit; split it or raise --max-bytes`,
          });
          continue;
        }
        bytes = fs.readFileSync(file);
      }
    } catch (e) {
      result.problems.push({
        file,
        message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      continue;
    }
    result.files++;
    if (bytes.length > maxBytes) {
      result.problems.push({
        file,
        message: `is ${bytes.length} bytes, over the ${maxBytes}-byte limit; split it or raise --max-bytes`,
      });
      continue;
    }
    if (isBinary(bytes)) {
      result.problems.push({ file, message: 'is binary, not YAML or JSON' });
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') {
      result.notes.push({ file, message: 'is empty' });
      continue;
    }
    parseManifests(text, file, result);
  }
  return result;
}
