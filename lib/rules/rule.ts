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

/** An argument of a container's command line, with its field path. */
export interface Argument {
  readonly value: string;
  /** Where it is written ('spec.template.spec.containers[0].args[1]'). */
  readonly field: string;
}

/** An argument whose field path is built only when a rule reports it. */
class ArgvItem implements Argument {
  constructor(
    public readonly value: string,
    private readonly container: ContainerView,
    private readonly key: string,
    private readonly index: number,
  ) {}

  public get field(): string {
    return `${this.container.field}.${this.key}[${this.index}]`;
  }
}

/** Each container's command line, read once however many rules look at it. */
const ARGV = new WeakMap<ContainerView, Argument[]>();

/** The containers' command and args as one list of strings, with their field paths. */
export function argvOf(c: ContainerView): Argument[] {
  let argv = ARGV.get(c);
  if (!argv) {
    argv = [];
    for (const key of ['command', 'args']) {
      const list = c.container[key];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        if (typeof list[i] === 'string') argv.push(new ArgvItem(list[i], c, key, i));
      }
    }
    ARGV.set(c, argv);
  }
  return argv;
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
