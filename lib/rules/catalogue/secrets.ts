import { memoByKey } from '../../core/memo';
import { ContainerView } from '../manifest-index';
import { argvOf, objectRule, podRule, Problem, Rule } from '../rule';
import { Severity } from '../severity';

/** A URL with credentials in its user part ('https://user:pass@host', 'https://$(TOKEN)@host'). */
const URL_WITH_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s@'"]+@[^\s'"]/i;

/**
 * The first URL with a user or token in `text`, as `URL_WITH_USERINFO` finds it, or undefined. Looks only at each
 * '://' (a scan of a long script with the expression alone backtracks at every character), once per distinct
 * text (an app repeats its scripts and values).
 */
function urlWithUserinfo(text: string): string | undefined {
  return text.includes('@') ? urlsWithUserinfo(text) : undefined;
}

const urlsWithUserinfo = memoByKey((text: string): string | undefined => {
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && /[a-z0-9+.-]/i.test(text[start - 1])) start--;
    URL_AT.lastIndex = start;
    const m = URL_AT.exec(text);
    if (m) return m[0];
  }
  return undefined;
});

/** `URL_WITH_USERINFO`, matched only where it is asked to start. */
const URL_AT = new RegExp(URL_WITH_USERINFO.source, 'iy');

/** Names that hold secrets. */
const SECRET_NAME =
  /(^|[_.-])(password|passwd|pass|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)$/i;
/** Config text that writes a secret out: 'password = hunter2', 'token: abc123'. */
const SECRET_ASSIGNMENT = /(password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?([^\s"'$<{][^\s"']{3,})/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Names of the container's env vars that come from a Secret. */
function secretEnv(c: ContainerView): Set<string> {
  const names = new Set<string>();
  for (const e of Array.isArray(c.container.env) ? c.container.env : []) {
    if (e?.valueFrom?.secretKeyRef && typeof e.name === 'string') names.add(e.name);
  }
  return names;
}

export const secretInArgs: Rule = podRule(
  {
    id: 'secret-in-args',
    severity: Severity.ERROR,
    summary:
      'No Secret value or credential reaches a command line: no $(VAR) of a secretKeyRef variable in command or args, no URL with credentials',
    why:
      "The kubelet expands $(VAR) into the process's argv, which any process on the node can read (ps, /proc) and " +
      'which tools print in errors; a URL with a user or token does the same, and git stores it in .git/config.',
    fix:
      'Pass the secret as an environment variable the program reads itself (FLYWAY_PASSWORD, a git credential ' +
      'helper, a token file), never in argv or a URL.',
  },
  (pod, problem) => {
    for (const c of pod.all) {
      let secrets: Set<string> | undefined; // read only when an argument expands a variable
      for (const a of argvOf(c)) {
        const expands = a.value.includes('$(') && (secrets ??= secretEnv(c)).size > 0;
        const vars = expands
          ? [...a.value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1]).filter((v) => secrets!.has(v))
          : [];
        const url = urlWithUserinfo(a.value);
        if (vars.length > 0) {
          problem({
            container: c.name,
            field: a.field,
            message:
              `container '${c.name}' expands Secret-backed ${vars.map((v) => `$(${v})`).join(', ')} into its ` +
              `command line${url ? ' (inside a URL)' : ''}: ${JSON.stringify(excerpt(a.value))}`,
          });
        } else if (url) {
          problem({
            container: c.name,
            field: a.field,
            message: `container '${c.name}' has credentials in a URL on its command line: ${JSON.stringify(excerpt(url))}`,
          });
        }
      }
    }
  },
);

function excerpt(text: string): string {
  const line = text.split('\n').find((l) => /\$\(|@/.test(l)) ?? text;
  const trimmed = line.trim();
  return trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed;
}

/** Whether a plain value looks like it could be a secret (not empty, not a path, not a boolean or number). */
function secretLike(value: string): boolean {
  return (
    value.length >= 4 &&
    !value.startsWith('/') &&
    !/^(true|false|yes|no|on|off|enabled|disabled|none|null)$/i.test(value) &&
    !/^\d+$/.test(value) &&
    !/^\$[({]/.test(value)
  );
}

export const secretInEnv: Rule = podRule(
  {
    id: 'secret-in-env',
    severity: Severity.WARNING,
    summary:
      'No plain env value holds a secret: a password, token or key variable set inline, or a URL with credentials',
    why: 'Inline env values are stored in the workload object, visible to everyone who can read it, and land in version control.',
    fix: 'Put the value in a Secret and use valueFrom.secretKeyRef, or mount it as a file.',
  },
  (pod, problem) => {
    for (const c of pod.all) {
      (Array.isArray(c.container.env) ? c.container.env : []).forEach((e: any, i: number) => {
        if (typeof e?.value !== 'string' || typeof e.name !== 'string') return;
        const field = `${c.field}.env[${i}].value`;
        if (urlWithUserinfo(e.value)) {
          problem({
            container: c.name,
            field,
            message: `container '${c.name}': env var ${e.name} holds a URL with credentials`,
          });
        } else if (SECRET_NAME.test(e.name) && secretLike(e.value)) {
          problem({
            container: c.name,
            field,
            message: `container '${c.name}': env var ${e.name} sets a secret inline`,
          });
        }
      });
    }
  },
);

/** The problem with a key/value pair of plain configuration, or undefined. */
function plainSecret(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (PRIVATE_KEY.test(value)) return 'holds a private key';
  if (urlWithUserinfo(value)) return 'holds a URL with credentials';
  if (
    SECRET_NAME.test(
      key
        .split('/')
        .pop()!
        .replace(/\.[a-z]+$/, ''),
    ) &&
    secretLike(value) &&
    !value.includes('\n')
  ) {
    return 'looks like a secret by its name';
  }
  const assignment = SECRET_ASSIGNMENT.exec(value);
  if (assignment) return `writes out a '${assignment[1]}'`;
  return undefined;
}

const IGNORED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export const secretInAnnotation: Rule = objectRule(
  {
    id: 'secret-in-annotation',
    severity: Severity.WARNING,
    summary: 'No annotation holds a secret (a password, token, private key or URL with credentials)',
    why: 'Annotations are plain metadata: readable by anyone who can list the object, copied into events and tooling.',
    fix: 'Move the value into a Secret; keep only a reference in the annotation.',
  },
  (o, problem) => {
    const check = (annotations: any, base: string) => {
      for (const [key, value] of Object.entries(annotations ?? {})) {
        if (IGNORED_ANNOTATIONS.has(key)) continue;
        const found = plainSecret(key, value);
        if (found) problem({ field: `${base}.${key}`, message: `annotation '${key}' ${found}` });
      }
    };
    check(o.metadata.annotations, 'metadata.annotations');
    const template = o.spec?.template?.metadata ?? o.spec?.jobTemplate?.spec?.template?.metadata;
    if (template) {
      check(
        template.annotations,
        o.kind === 'CronJob'
          ? 'spec.jobTemplate.spec.template.metadata.annotations'
          : 'spec.template.metadata.annotations',
      );
    }
  },
);

export const secretInConfigMap: Rule = objectRule(
  {
    id: 'secret-in-configmap',
    severity: Severity.WARNING,
    summary: 'No ConfigMap holds a secret (a password, token, private key or URL with credentials)',
    why: 'ConfigMaps are not encrypted at rest, are readable by far more roles than Secrets, and are printed by kubectl describe.',
    fix: 'Move the value into a Secret and reference it; in config files, use an env var or file reference instead.',
  },
  (o, problem) => {
    if (o.kind !== 'ConfigMap') return;
    for (const [key, value] of Object.entries(o.data ?? {})) {
      const found = plainSecret(key, value);
      if (found) problem({ field: `data.${key}`, message: `ConfigMap key '${key}' ${found}` });
    }
  },
);

const SECRET_PATH = /secret|credential|token|vault|password/i;

/** The first path at which a container mounts the volume that looks like it holds secrets, or undefined. */
function secretLikeMountPath(containers: ContainerView[], volume: unknown): string | undefined {
  for (const c of containers) {
    for (const m of Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : []) {
      if (m?.name !== volume) continue;
      const path = String(m.mountPath);
      if (SECRET_PATH.test(path)) return path;
    }
  }
  return undefined;
}

export const secretOnDisk: Rule = podRule(
  {
    id: 'secret-on-disk',
    severity: Severity.WARNING,
    summary: "Secret files shared through an emptyDir use 'medium: Memory'",
    why: "A disk-backed emptyDir writes the secrets to the node's disk, where they outlive the pod until the kubelet cleans up and may be backed up.",
    fix: "Set 'emptyDir: { medium: Memory }' (tmpfs) for volumes that hold secrets.",
  },
  (pod, problem) => {
    const volumes: any[] = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    volumes.forEach((v, i) => {
      if (!v?.emptyDir || v.emptyDir.medium === 'Memory') return;
      const hint = SECRET_PATH.test(String(v.name)) ? String(v.name) : secretLikeMountPath(pod.all, v.name);
      if (hint === undefined) return;
      problem({
        field: `${pod.specPath}.volumes[${i}].emptyDir`,
        message: `emptyDir volume '${v.name}' looks like it holds secrets ('${hint}') but is disk-backed`,
      });
    });
  },
);

/** A reference of a pod spec to a Secret or ConfigMap. */
interface Reference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly optional: boolean;
  /** Where it is written ('spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef'). */
  readonly field: string;
}

/** Whether a reference names its object (only then is its field path built). */
function named(ref: any): boolean {
  return typeof ref?.name === 'string';
}

/** Every Secret and ConfigMap a pod spec references, with where and whether it is optional. */
function forEachReference(spec: any, specPath: string, visit: (ref: Reference) => void): void {
  const add = (kind: 'Secret' | 'ConfigMap', ref: any, field: string) =>
    visit({ kind, name: ref.name, optional: ref.optional === true, field });
  for (const key of ['initContainers', 'containers']) {
    const containers = Array.isArray(spec[key]) ? spec[key] : [];
    for (let ci = 0; ci < containers.length; ci++) {
      const c = containers[ci];
      const env = Array.isArray(c?.env) ? c.env : [];
      for (let i = 0; i < env.length; i++) {
        const from = env[i]?.valueFrom;
        if (!from) continue;
        const base = `${specPath}.${key}[${ci}].env[${i}].valueFrom`;
        if (named(from.secretKeyRef)) add('Secret', from.secretKeyRef, `${base}.secretKeyRef`);
        if (named(from.configMapKeyRef)) add('ConfigMap', from.configMapKeyRef, `${base}.configMapKeyRef`);
      }
      const envFrom = Array.isArray(c?.envFrom) ? c.envFrom : [];
      for (let i = 0; i < envFrom.length; i++) {
        const base = `${specPath}.${key}[${ci}].envFrom[${i}]`;
        if (named(envFrom[i]?.secretRef)) add('Secret', envFrom[i].secretRef, `${base}.secretRef`);
        if (named(envFrom[i]?.configMapRef)) add('ConfigMap', envFrom[i].configMapRef, `${base}.configMapRef`);
      }
    }
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    const base = `${specPath}.volumes[${i}]`;
    if (typeof v?.secret?.secretName === 'string') {
      visit({
        kind: 'Secret',
        name: v.secret.secretName,
        optional: v.secret.optional === true,
        field: `${base}.secret`,
      });
    }
    if (named(v?.configMap)) add('ConfigMap', v.configMap, `${base}.configMap`);
    const sources = Array.isArray(v?.projected?.sources) ? v.projected.sources : [];
    for (let j = 0; j < sources.length; j++) {
      if (named(sources[j]?.secret)) add('Secret', sources[j].secret, `${base}.projected.sources[${j}].secret`);
      if (named(sources[j]?.configMap)) {
        add('ConfigMap', sources[j].configMap, `${base}.projected.sources[${j}].configMap`);
      }
    }
  }
  const pullSecrets = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
  for (let i = 0; i < pullSecrets.length; i++) {
    if (named(pullSecrets[i])) add('Secret', pullSecrets[i], `${specPath}.imagePullSecrets[${i}]`);
  }
}

export const referenceNamespace: Rule = podRule(
  {
    id: 'reference-namespace',
    severity: Severity.ERROR,
    summary: "Every Secret and ConfigMap a pod needs lives in the pod's namespace when the app defines it",
    why:
      'A pod can only use Secrets and ConfigMaps of its own namespace. When the app defines the one it references ' +
      'only in another namespace, the pod stays in CreateContainerConfigError or ContainerCreating.',
    fix: "Define the Secret or ConfigMap in the pod's namespace, or move the workload.",
  },
  (pod, problem: (p: Problem) => void, app) => {
    forEachReference(pod.spec, pod.specPath, (ref) => {
      if (ref.optional) return;
      const where = app.definedIn(ref.kind, ref.name);
      if (where.length === 0 || where.includes(pod.namespace)) return;
      problem({
        field: ref.field,
        message:
          `the pod in namespace '${pod.namespace}' references ${ref.kind} '${ref.name}', which the app defines only ` +
          `in ${where.map((n) => `'${n}'`).join(', ')}`,
      });
    });
  },
);
