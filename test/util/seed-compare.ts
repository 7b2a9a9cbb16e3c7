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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedDir } = require('./seed-dir');

/** The guide's manifests folder: SEED_MANIFESTS_DIR, else ../shared/seed/manifests beside the repository. */
export const SEED_DIR: string = seedDir();

/** The first object of a seed manifest file, e.g. '03-nginx-static.yaml'. Only `*.seed.test.ts` files call it. */
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

/** Reasons for differences, by path. */
export type Reasons = { [path: string]: string };

/** Joins a path prefix ('' for the manifest's root) and a rest. */
function at(prefix: string, rest: string): string {
  return prefix ? `${prefix}.${rest}` : rest;
}

/**
 * What cdk8s-plus-28 adds to a pod it renders, beyond the seed: the address label on the pod's metadata and the
 * defaults it writes out in the pod spec.
 *
 * @param template where the pod is: '' for a Pod, 'spec.template' for a Deployment
 */
export function cdk8sPlusPodDefaults(template: string): Reasons {
  const spec = at(template, 'spec');
  return {
    [at(template, 'metadata.labels.cdk8s.io/metadata.addr')]: "cdk8s-plus's address label on every pod it renders",
    [`${spec}.automountServiceAccountToken`]: 'cdk8s-plus default: no API token in the pod',
    [`${spec}.dnsPolicy`]: 'cdk8s-plus default (the Kubernetes default, written out)',
    [`${spec}.hostNetwork`]: 'cdk8s-plus default (the Kubernetes default, written out)',
    [`${spec}.restartPolicy`]: 'cdk8s-plus default (the Kubernetes default, written out)',
    [`${spec}.securityContext`]: 'cdk8s-plus default pod security context (runAsNonRoot)',
    [`${spec}.setHostnameAsFQDN`]: 'cdk8s-plus default (the Kubernetes default, written out)',
    [`${spec}.terminationGracePeriodSeconds`]: 'cdk8s-plus default (30 s, the Kubernetes default, written out)',
  };
}

/** What cdk8s-plus-28 adds to a Deployment beyond the seed (add `cdk8sPlusPodDefaults('spec.template')` too). */
export function cdk8sPlusDeploymentDefaults(): Reasons {
  return {
    'spec.minReadySeconds': 'cdk8s-plus default (the Kubernetes default, written out)',
    'spec.progressDeadlineSeconds': 'cdk8s-plus default (the Kubernetes default, written out)',
    'spec.strategy': 'cdk8s-plus default: RollingUpdate 25%/25% (the Kubernetes default, written out)',
  };
}

/** What cdk8s-plus-28 adds to an app container beyond the seed, at `container` ('spec.containers[app]'). */
export function cdk8sPlusAppContainerDefaults(container: string): Reasons {
  return {
    [`${container}.imagePullPolicy`]: 'cdk8s-plus default',
    [`${container}.resources`]: 'cdk8s-plus default requests and limits (the seed sets none for the app)',
    [`${container}.securityContext`]: 'cdk8s-plus default: non-root, no privilege escalation, read-only root FS',
    [`${container}.startupProbe`]: 'cdk8s-plus adds a TCP startup probe on the app port',
  };
}

/**
 * What every helper container (init step or sidecar) of this library gets beyond the seed, at `container`
 * ('spec.initContainers[wait-db]'). Resources differ by pattern, so each test lists them itself.
 */
export function helperContainerDefaults(container: string): Reasons {
  return {
    [`${container}.imagePullPolicy`]: 'helper default: a pinned tag is pulled only when missing (IfNotPresent)',
    [`${container}.terminationMessagePolicy`]: 'helper default: the log tail becomes the termination message',
    [`${container}.securityContext`]:
      'helper default: non-root (65534), no privilege escalation, no capabilities, read-only root FS, ' +
      'RuntimeDefault seccomp',
  };
}

/**
 * What a WaitForService or ConfigCheck step adds beyond the seed's hand-written step, at `step`
 * ('spec.initContainers[wait-db]'): its settings as env vars, its small resources and the helper defaults.
 */
export function scriptStepDefaults(step: string): Reasons {
  return {
    ...helperContainerDefaults(step),
    [`${step}.env`]: 'settings (targets, timings, paths) reach the script as env vars, never inside its text',
    [`${step}.resources`]: 'explicit small requests and limits for a shell script (10m/16Mi, 50m/32Mi)',
  };
}

/** The reasons without the given paths (for a default that the seed sets too, with the same value). */
export function without(reasons: Reasons, ...paths: string[]): Reasons {
  const out: Reasons = { ...reasons };
  for (const p of paths) {
    if (!(p in out)) throw new Error(`without: no entry ${p}`);
    delete out[p];
  }
  return out;
}
