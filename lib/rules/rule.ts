import { memoByKey } from '../core/memo';
import { RuleInfo } from './finding';
import { ContainerView, ManifestIndex, PodView } from './manifest-index';

/** What a rule reports: the object, and optionally the container, the field and a specific fix. */
export interface Problem {
  readonly container?: string;
  readonly field?: string;
  readonly message: string;
  /** A fix for this case, when it says more than the rule's fix. */
  readonly fix?: string;
}

/** Receives a rule's problems for one object. */
export type Report = (object: any, problem: Problem) => void;

/** One rule: what it is about, and the check over the whole app. */
export interface Rule {
  readonly info: RuleInfo;
  check(app: ManifestIndex, report: Report): void;
}

/** A rule that looks at one pod at a time. */
export function podRule(
  info: RuleInfo,
  check: (pod: PodView, problem: (p: Problem) => void, app: ManifestIndex) => void,
): Rule {
  return {
    info,
    check: (app, report) => {
      for (const pod of app.pods) check(pod, (p) => report(pod.object, p), app);
    },
  };
}

/** A rule that looks at each object. */
export function objectRule(
  info: RuleInfo,
  check: (object: any, problem: (p: Problem) => void, app: ManifestIndex) => void,
): Rule {
  return {
    info,
    check: (app, report) => {
      for (const o of app.objects) check(o, (p) => report(o, p), app);
    },
  };
}

/** The containers' command and args as one list of strings, with their field paths. */
export function argvOf(c: ContainerView): Array<{ value: string; field: string }> {
  const out: Array<{ value: string; field: string }> = [];
  for (const key of ['command', 'args']) {
    const list = c.container[key];
    if (!Array.isArray(list)) continue;
    list.forEach((v: unknown, i: number) => {
      if (typeof v === 'string') out.push({ value: v, field: `${c.field}.${key}[${i}]` });
    });
  }
  return out;
}

/** The image's repository without registry host, tag or digest ('quay.io/oauth2-proxy/oauth2-proxy:v7' -> 'oauth2-proxy/oauth2-proxy'). */
export function imageRepository(image: unknown): string {
  if (typeof image !== 'string') return '';
  // an app's pods name a handful of images thousands of times: each is read once
  return repositories(image);
}

const repositories = memoByKey(repositoryOf);

function repositoryOf(image: string): string {
  let rest = image.split('@')[0];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) rest = rest.slice(0, colon);
  const parts = rest.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    parts.shift();
  }
  return parts.join('/').toLowerCase();
}

/** The image's tag, or undefined when it has none; digests count as pinned ('@'). */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}
