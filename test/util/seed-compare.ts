/**
 * Compares a synthesized manifest with a seed manifest field by field.
 *
 * Every leaf the seed sets must appear in ours with the same value, except where a `changed` entry covers
 * its path; every leaf we add must be covered by an `added` entry. Every entry must be used, so the lists
 * stay exact. Paths are dotted; list items with a `name` are addressed as `containers[app]`, others by
 * index (`ports[0]`). An entry covers its path and everything below it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** The seed folder, beside the repository (shared/seed/manifests). */
export const SEED_DIR = path.join(__dirname, '..', '..', '..', 'shared', 'seed', 'manifests');

/** The first object of a seed manifest file, e.g. '03-nginx-static.yaml'. */
export function loadSeed(file: string): any {
  const text = fs.readFileSync(path.join(SEED_DIR, file), 'utf8');
  return parseAllDocuments(text)[0].toJS();
}

/** Intentional differences, each with the reason it exists. */
export interface SeedExceptions {
  /** Seed fields whose value we change or drop, by path, with the reason. */
  readonly changed: { [path: string]: string };
  /** Fields we add beyond the seed, by path, with the reason. */
  readonly added: { [path: string]: string };
}

function flatten(value: any, prefix: string, out: Map<string, any>): void {
  if (Array.isArray(value)) {
    const primitive = value.every((v) => v === null || typeof v !== 'object');
    if (primitive || value.length === 0) {
      out.set(prefix, value);
      return;
    }
    value.forEach((item, i) => {
      const key = item && typeof item === 'object' && typeof item.name === 'string' ? item.name : String(i);
      flatten(item, `${prefix}[${key}]`, out);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.set(prefix, {});
      return;
    }
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value);
}

function covering(entries: string[], leaf: string): string | undefined {
  return entries.find((e) => leaf === e || leaf.startsWith(`${e}.`) || leaf.startsWith(`${e}[`));
}

/** Returns every difference not explained by the exceptions, and every exception that explains nothing. */
export function compareWithSeed(seed: any, ours: any, exceptions: SeedExceptions): string[] {
  const seedLeaves = new Map<string, any>();
  const ourLeaves = new Map<string, any>();
  flatten(seed, '', seedLeaves);
  flatten(ours, '', ourLeaves);
  const changed = Object.keys(exceptions.changed);
  const added = Object.keys(exceptions.added);
  const used = new Set<string>();
  const problems: string[] = [];
  for (const [leaf, value] of seedLeaves) {
    const same = ourLeaves.has(leaf) && JSON.stringify(ourLeaves.get(leaf)) === JSON.stringify(value);
    if (same) continue;
    const entry = covering(changed, leaf);
    if (entry) {
      used.add(entry);
      continue;
    }
    problems.push(
      ourLeaves.has(leaf)
        ? `changed: ${leaf}: seed ${JSON.stringify(value)}, ours ${JSON.stringify(ourLeaves.get(leaf))}`
        : `missing: ${leaf}: seed ${JSON.stringify(value)}`,
    );
  }
  for (const [leaf, value] of ourLeaves) {
    if (seedLeaves.has(leaf)) continue;
    const entry = covering(added, leaf) ?? covering(changed, leaf);
    if (entry) {
      used.add(entry);
      continue;
    }
    problems.push(`added: ${leaf}: ${JSON.stringify(value)}`);
  }
  for (const entry of [...changed, ...added]) {
    if (!used.has(entry)) problems.push(`unused exception: ${entry}`);
  }
  return problems;
}
