import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkPullPolicy, hardenedFields } from './hardening';
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
import { dropUndefined } from './plain-json';

/** Resources given to a helper container that sets none: enough for a shell loop, never a whole CPU. */
export const DEFAULT_HELPER_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: mib(16), limit: mib(64) },
};

/** Resources of an init step that runs a busybox shell loop (wait, check): a little CPU, a little memory. */
export const SHELL_STEP_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(50) },
  memory: { request: mib(16), limit: mib(32) },
};

/** A `Size` of MiB (cdk8s-plus takes memory as `Size`). */
export function mib(amount: number): Size {
  return Size.mebibytes(amount);
}

/** Validates the parts of a helper container that need no other context. */
export function checkHelper(owner: string, props: HelperContainerProps): void {
  checkDnsLabel(owner, 'name', props.name);
  checkImage(owner, 'image', props.image);
  checkPullPolicy(owner, props.image, props.imagePullPolicy);
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
  const rendered = dropUndefined({ limits: side('limit'), requests: side('request') });
  // a container without resources renders without the field, as cdk8s-plus renders it
  return Object.keys(rendered).length > 0 ? rendered : undefined;
}

function renderEnv(env: { [name: string]: kplus.EnvValue }) {
  return Object.entries(env).map(([name, value]) =>
    value.valueFrom !== undefined ? { name, valueFrom: value.valueFrom } : { name, value: value.value },
  );
}

/**
 * Renders a helper container to its Kubernetes JSON, keys in any order and undefined values left in: the
 * composer resolves it (a Lazy value is kept whole for that), sorts its keys and drops undefined values as cdk8s
 * does. `restartAlways` makes it a native sidecar.
 */
export function renderHelper(props: HelperContainerProps, restartAlways: boolean): any {
  return {
    name: props.name,
    image: props.image,
    command: props.command,
    args: props.args,
    workingDir: props.workingDir,
    env: props.env && Object.keys(props.env).length > 0 ? renderEnv(props.env) : undefined,
    ports:
      props.ports && props.ports.length > 0
        ? props.ports.map((p) => ({ containerPort: p.number, name: p.name, protocol: 'TCP' }))
        : undefined,
    resources: renderResources(props.resources ?? DEFAULT_HELPER_RESOURCES),
    restartPolicy: restartAlways ? 'Always' : undefined,
    ...hardenedFields(props),
    startupProbe: props.startupProbe?._toJson(),
    livenessProbe: props.livenessProbe?._toJson(),
    readinessProbe: props.readinessProbe?._toJson(),
    lifecycle: props.preStopCommand ? { preStop: { exec: { command: props.preStopCommand } } } : undefined,
    volumeMounts:
      props.mounts && props.mounts.length > 0
        ? props.mounts.map((m) => ({
            name: m.volume.name,
            mountPath: m.path,
            subPath: m.subPath,
            readOnly: m.readOnly ?? true,
          }))
        : undefined,
  };
}
