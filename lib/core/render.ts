import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HelperContainerProps } from './helper-container';
import {
  checkAbsolutePath,
  checkDnsLabel,
  checkEnvName,
  checkImage,
  checkPort,
  checkPortName,
  checkRelativePath,
} from './names';

/** Resources given to a helper container that sets none: enough for a shell loop, never a whole CPU. */
export const DEFAULT_HELPER_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: mib(16), limit: mib(64) },
};

/** A `Size` of MiB (cdk8s-plus takes memory as `Size`). */
export function mib(amount: number): Size {
  return Size.mebibytes(amount);
}

/** Validates the parts of a helper container that need no other context. */
export function checkHelper(owner: string, props: HelperContainerProps): void {
  checkDnsLabel(owner, 'name', props.name);
  checkImage(owner, 'image', props.image);
  for (const name of Object.keys(props.env ?? {})) {
    checkEnvName(owner, `env ${name}`, name);
  }
  for (const port of props.ports ?? []) {
    checkPort(owner, 'ports', port.number);
    if (port.name !== undefined) checkPortName(owner, 'ports name', port.name);
  }
  for (const mount of props.mounts ?? []) {
    checkAbsolutePath(owner, `mount path of volume '${mount.volume.name}'`, mount.path);
    if (mount.subPath !== undefined) {
      checkRelativePath(owner, `subPath of volume '${mount.volume.name}'`, mount.subPath);
    }
  }
  if (props.workingDir !== undefined) checkAbsolutePath(owner, 'workingDir', props.workingDir);
}

/** Renders a quantity of CPU the way the API server prints it back. */
function cpuQuantity(cpu: kplus.Cpu | undefined): string | undefined {
  return cpu?.amount;
}

/** Renders a memory size the way cdk8s-plus does: whole MiB. */
export function memoryQuantity(size: { toMebibytes(): number } | undefined): string | undefined {
  return size === undefined ? undefined : `${size.toMebibytes()}Mi`;
}

function renderResources(resources: kplus.ContainerResources) {
  const side = (pick: 'request' | 'limit') =>
    dropUndefined({
      cpu: cpuQuantity(resources.cpu?.[pick]),
      memory: memoryQuantity(resources.memory?.[pick]),
      'ephemeral-storage': memoryQuantity(resources.ephemeralStorage?.[pick]),
    });
  return dropUndefined({ limits: side('limit'), requests: side('request') });
}

function renderEnv(env: { [name: string]: kplus.EnvValue }) {
  return Object.entries(env).map(([name, value]) =>
    value.valueFrom !== undefined ? { name, valueFrom: value.valueFrom } : { name, value: value.value },
  );
}

/**
 * Renders a helper container to its Kubernetes JSON (keys in any order: the composer sorts them after
 * resolution). `restartAlways` makes it a native sidecar.
 */
export function renderHelper(props: HelperContainerProps, restartAlways: boolean): any {
  const uid = props.runAsUser ?? 65534;
  // keys in the order they are written out, so that sorting them finds them in place
  return dropUndefined({
    args: props.args,
    command: props.command,
    env: props.env && Object.keys(props.env).length > 0 ? renderEnv(props.env) : undefined,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    lifecycle: props.preStopCommand ? { preStop: { exec: { command: props.preStopCommand } } } : undefined,
    livenessProbe: props.livenessProbe?._toJson(),
    name: props.name,
    ports:
      props.ports && props.ports.length > 0
        ? props.ports.map((p) => dropUndefined({ containerPort: p.number, name: p.name, protocol: 'TCP' }))
        : undefined,
    readinessProbe: props.readinessProbe?._toJson(),
    resources: renderResources(props.resources ?? DEFAULT_HELPER_RESOURCES),
    restartPolicy: restartAlways ? 'Always' : undefined,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
      runAsGroup: uid,
      runAsNonRoot: uid !== 0,
      runAsUser: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    startupProbe: props.startupProbe?._toJson(),
    // the last lines of the log become the termination message, shown by `kubectl describe pod`
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts:
      props.mounts && props.mounts.length > 0
        ? props.mounts.map((m) =>
            dropUndefined({
              mountPath: m.path,
              name: m.volume.name,
              readOnly: m.readOnly ?? true,
              subPath: m.subPath,
            }),
          )
        : undefined,
    workingDir: props.workingDir,
  });
}

/** Removes keys whose value is undefined (and objects left empty). */
export function dropUndefined<T extends object>(obj: T): T {
  const out: any = {};
  for (const k of Object.keys(obj)) {
    const v = (obj as any)[k];
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Sorts object keys recursively and drops undefined values, as cdk8s does for its own output. */
export function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  // Only plain objects: a cdk8s token (a Lazy value) stays whole, for cdk8s's resolution to produce it.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: any = {};
    for (const k of Object.keys(value).sort()) {
      if (value[k] !== undefined) out[k] = sortKeys(value[k]);
    }
    return out;
  }
  return value;
}

/** What `sortedPlainCopy` returns for a value that is not plain JSON. */
export const NOT_PLAIN_JSON = Symbol('not plain JSON');

/**
 * A deep copy of `value` with object keys sorted and undefined values dropped (what `sortKeys` gives), when
 * `value` is plain JSON: strings, numbers, booleans, null, arrays and plain objects. Returns `NOT_PLAIN_JSON`
 * when it holds anything else (a Lazy value or any class instance, a function, an undefined array element),
 * which needs cdk8s's resolution. For plain JSON, cdk8s's built-in resolvers change nothing, so resolving
 * and then sorting gives this copy.
 */
export function sortedPlainCopy(value: any): any {
  if (value === null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return NOT_PLAIN_JSON;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedPlainCopy(value[i]);
      if (item === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN_JSON;
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  const out: any = {};
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    const item = sortedPlainCopy(v);
    if (item === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
    out[key] = item;
  }
  return out;
}
