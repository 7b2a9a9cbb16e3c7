/**
 * A scan of rendered manifests for ways a Secret's value can leak:
 * - a Secret-sourced env var expanded by the kubelet (`$(VAR)`) into argv or into a plain env value;
 * - a Secret's own data (when the chart defines the Secret) anywhere outside that Secret: argv, plain env
 *   values, annotations, labels, ConfigMaps;
 * - secret files on a volume that is not memory-backed, or mounted writable by a consumer;
 * - plain env vars whose names make name-based secret scanners report them.
 */
import { podSpecOf } from '../util/manifest';

/** Env var names that name-based secret scanners report when they hold a plain value. */
const SECRET_LOOKING_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|CREDENTIAL|PRIVATE_?KEY)/i;
/** Names that hold where a secret is, not the secret: a file, a path, a directory. */
const LOCATION_NAME = /_(FILE|PATH|DIR)$/i;
/** A kubelet variable reference, `$(NAME)`, not escaped as `$$(NAME)`. */
const KUBELET_REF = /(^|[^$])\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;
/** Mount paths that say a volume holds secret files. */
const SECRET_PATH = /secret|token|credential|vault/i;

function kubeletRefs(text: string): string[] {
  return [...text.matchAll(KUBELET_REF)].map((m) => m[2]);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The values of every Secret the manifests define (decoded), long enough to search for. */
function secretValues(manifests: any[]): string[] {
  const values: string[] = [];
  for (const m of manifests.filter((x) => x.kind === 'Secret')) {
    for (const v of Object.values<string>(m.stringData ?? {})) values.push(String(v));
    for (const v of Object.values<string>(m.data ?? {})) values.push(Buffer.from(String(v), 'base64').toString('utf8'));
  }
  return values.filter((v) => v.length >= 8);
}

/** Every leak found, one line each. */
export function secretLeaks(manifests: any[]): string[] {
  const leaks: string[] = [];
  const values = secretValues(manifests);
  const searchIn = (where: string, text: unknown) => {
    if (typeof text !== 'string') return;
    for (const v of values) {
      if (text.includes(v) || text.includes(base64(v))) leaks.push(`${where}: holds a Secret's value`);
    }
  };
  for (const m of manifests) {
    const object = `${m.kind}/${m.metadata?.name}`;
    if (m.kind === 'Secret') continue;
    for (const [k, v] of Object.entries(m.metadata?.annotations ?? {})) searchIn(`${object} annotation ${k}`, v);
    for (const [k, v] of Object.entries(m.metadata?.labels ?? {})) searchIn(`${object} label ${k}`, v);
    if (m.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(m.data ?? {})) searchIn(`${object} data ${k}`, v);
    }
    const spec = podSpecOf(m);
    if (!spec) continue;
    const template = m.kind === 'Pod' ? m : m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : m.spec.template;
    for (const [k, v] of Object.entries(template.metadata?.annotations ?? {})) {
      searchIn(`${object} pod annotation ${k}`, v);
    }
    for (const [k, v] of Object.entries(template.metadata?.labels ?? {})) searchIn(`${object} pod label ${k}`, v);
    const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const c of containers) {
      const where = `${object} container ${c.name}`;
      const fromSecret = new Set<string>(
        (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name),
      );
      const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      argv.forEach((arg, i) => {
        searchIn(`${where} argv[${i}]`, arg);
        for (const ref of kubeletRefs(arg)) {
          if (fromSecret.has(ref)) leaks.push(`${where} argv[${i}]: the kubelet expands Secret-sourced $(${ref})`);
        }
      });
      for (const e of c.env ?? []) {
        if (e.value === undefined) continue;
        searchIn(`${where} env ${e.name}`, e.value);
        for (const ref of kubeletRefs(String(e.value))) {
          if (fromSecret.has(ref)) leaks.push(`${where} env ${e.name}: the kubelet expands Secret-sourced $(${ref})`);
        }
        if (SECRET_LOOKING_NAME.test(e.name) && !LOCATION_NAME.test(e.name)) {
          leaks.push(`${where} env ${e.name}: a plain value under a name secret scanners report`);
        }
      }
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        for (const arg of c[probe]?.exec?.command ?? []) searchIn(`${where} ${probe}`, arg);
      }
    }
    leaks.push(...secretVolumeProblems(object, spec, containers));
  }
  return leaks;
}

/** Secret files on disk, or mounted writable by a container that only reads them. */
function secretVolumeProblems(object: string, spec: any, containers: any[]): string[] {
  const problems: string[] = [];
  const init = new Set<string>(
    (spec.initContainers ?? []).filter((c: any) => c.restartPolicy !== 'Always').map((c: any) => c.name),
  );
  for (const v of spec.volumes ?? []) {
    const mounts = containers.flatMap((c) =>
      (c.volumeMounts ?? []).filter((m: any) => m.name === v.name).map((m: any) => ({ c, m })),
    );
    const projectedSecret = (v.projected?.sources ?? []).some((s: any) => s.secret || s.serviceAccountToken);
    const fileEnvPaths = containers.flatMap((c) =>
      (c.env ?? []).filter((e: any) => /_FILE$/.test(e.name) && typeof e.value === 'string').map((e: any) => e.value),
    );
    const holdsSecretFiles =
      v.secret !== undefined ||
      projectedSecret ||
      (v.emptyDir !== undefined &&
        mounts.some(
          ({ m }) => SECRET_PATH.test(m.mountPath) || fileEnvPaths.some((p: string) => p.startsWith(`${m.mountPath}/`)),
        ));
    if (!holdsSecretFiles) continue;
    if (v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory') {
      problems.push(`${object} volume ${v.name}: holds secret files but is not memory-backed (emptyDir.medium)`);
    }
    const writers = mounts.filter(({ m }) => m.readOnly !== true);
    for (const { c } of writers) {
      const allowedWriter = v.emptyDir !== undefined && init.has(c.name);
      if (!allowedWriter) {
        problems.push(`${object} volume ${v.name}: container ${c.name} mounts secret files writable`);
      }
    }
  }
  return problems;
}
