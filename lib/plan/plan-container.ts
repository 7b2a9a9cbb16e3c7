/** What the plan says about each container of the pod: its role, image, mounts, ports, probes and resources. */
import { containerAmount } from './resource-stages';
import { formatCpu, formatMemory } from './quantity';

/** A container's role in the pod's start-up. */
export enum ContainerRole {
  /** A regular init container: runs to completion before the next one starts. */
  INIT_CONTAINER = 'init-container',
  /** An init container with `restartPolicy: Always`: started at its place, runs for the pod's lifetime. */
  NATIVE_SIDECAR = 'native-sidecar',
  /** A container of `spec.containers`: the app, or a classic sidecar beside it. */
  CONTAINER = 'container',
}

/** A volume mounted into a container. */
export interface PlanMount {
  /** The volume's name. */
  readonly volume: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** Whether the container may only read it. */
  readonly readOnly: boolean;
  /** Whether it lives in memory (tmpfs): an emptyDir with `medium: Memory`, or a Secret volume. */
  readonly memoryBacked: boolean;
  /** What the volume is: 'emptyDir', 'emptyDir (memory, 1Mi)', 'configMap app-config', 'secret tls', ... */
  readonly source: string;
  /**
   * The sub-path mounted.
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/** A port a container declares. */
export interface PlanPort {
  /** The port number. */
  readonly containerPort: number;
  /** 'TCP', 'UDP' or 'SCTP'. */
  readonly protocol: string;
  /**
   * The port's name.
   * @default - unnamed
   */
  readonly name?: string;
}

/** A probe, summarized. */
export interface PlanProbe {
  /** 'startupProbe', 'readinessProbe' or 'livenessProbe'. */
  readonly probe: string;
  /** What it checks: 'httpGet http :2020/api/v1/health', 'tcpSocket :8080', 'exec [...]', 'grpc :50051'. */
  readonly action: string;
  /** Seconds before the first check. */
  readonly initialDelaySeconds: number;
  /** Seconds between checks. */
  readonly periodSeconds: number;
  /** Seconds a check may take. */
  readonly timeoutSeconds: number;
  /** Failed checks in a row that count as a failure. */
  readonly failureThreshold: number;
  /**
   * The longest the probe can keep failing before it counts as failed: initial delay + period x failure
   * threshold. For a startupProbe, how long the container has to start before it is restarted.
   */
  readonly allowanceSeconds: number;
}

/** One container of the pod, as the plan sees it. */
export interface PlanContainer {
  /** The container's name. */
  readonly name: string;
  /** Its role in the start-up. */
  readonly role: ContainerRole;
  /** Its image. */
  readonly image: string;
  /** The volumes it mounts. */
  readonly mounts: PlanMount[];
  /** The ports it declares. */
  readonly ports: PlanPort[];
  /** Its probes. */
  readonly probes: PlanProbe[];
  /** Its requests as Kubernetes quantities, by resource (a missing request defaults to the limit). */
  readonly requests: { [resource: string]: string };
  /** Its limits as Kubernetes quantities, by resource. */
  readonly limits: { [resource: string]: string };
  /**
   * Its preStop hook, summarized.
   * @default - no preStop hook
   */
  readonly preStop?: string;
}

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'];

function volumeSource(volume: any): { source: string; memoryBacked: boolean } {
  if (!volume) return { source: 'undeclared volume', memoryBacked: false };
  if (volume.emptyDir) {
    const memory = volume.emptyDir.medium === 'Memory';
    const details = [memory ? 'memory' : undefined, volume.emptyDir.sizeLimit].filter((d) => d !== undefined);
    return { source: details.length ? `emptyDir (${details.join(', ')})` : 'emptyDir', memoryBacked: memory };
  }
  if (volume.configMap) return { source: `configMap ${volume.configMap.name}`, memoryBacked: false };
  if (volume.secret) return { source: `secret ${volume.secret.secretName}`, memoryBacked: true };
  if (volume.persistentVolumeClaim) {
    return { source: `persistentVolumeClaim ${volume.persistentVolumeClaim.claimName}`, memoryBacked: false };
  }
  if (volume.hostPath) return { source: `hostPath ${volume.hostPath.path}`, memoryBacked: false };
  if (volume.projected) return { source: 'projected', memoryBacked: false };
  if (volume.csi) return { source: `csi ${volume.csi.driver}`, memoryBacked: false };
  const kind = Object.keys(volume).find((k) => k !== 'name');
  return { source: kind ?? 'volume', memoryBacked: false };
}

function probeAction(probe: any): string {
  if (probe.httpGet) {
    const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `httpGet ${scheme} :${probe.httpGet.port}${probe.httpGet.path ?? '/'}`;
  }
  if (probe.tcpSocket) return `tcpSocket :${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc :${probe.grpc.port}${probe.grpc.service ? ` ${probe.grpc.service}` : ''}`;
  if (probe.exec) return `exec ${shorten(JSON.stringify(probe.exec.command ?? []))}`;
  return 'no action';
}

/** Shortens a long text for a summary. */
export function shorten(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}

function num(value: any, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Summarizes a container's probes. */
function probesOf(container: any): PlanProbe[] {
  return PROBES.filter((p) => container[p]).map((p) => {
    const probe = container[p];
    const initialDelaySeconds = num(probe.initialDelaySeconds, 0);
    const periodSeconds = num(probe.periodSeconds, 10);
    const failureThreshold = num(probe.failureThreshold, 3);
    return {
      probe: p,
      action: probeAction(probe),
      initialDelaySeconds,
      periodSeconds,
      timeoutSeconds: num(probe.timeoutSeconds, 1),
      failureThreshold,
      allowanceSeconds: initialDelaySeconds + periodSeconds * failureThreshold,
    };
  });
}

/** Summarizes a lifecycle hook. */
export function hookSummary(hook: any): string | undefined {
  if (!hook) return undefined;
  if (hook.sleep) return `sleep ${hook.sleep.seconds}s`;
  if (hook.httpGet) return `httpGet :${hook.httpGet.port}${hook.httpGet.path ?? '/'}`;
  if (hook.exec) return `exec ${shorten(JSON.stringify(hook.exec.command ?? []))}`;
  return 'a hook';
}

function amounts(owner: string, container: any, kind: 'requests' | 'limits'): { [resource: string]: string } {
  const out: { [resource: string]: string } = {};
  const cpu = containerAmount(owner, container, kind, 'cpu');
  if (cpu.set) out.cpu = formatCpu(cpu.value);
  const memory = containerAmount(owner, container, kind, 'memory');
  if (memory.set) out.memory = formatMemory(memory.value);
  return out;
}

/** Reads every container of a pod spec, init containers first, in spec order. */
export function readContainers(owner: string, podSpec: any): PlanContainer[] {
  const volumes = new Map<string, any>((podSpec.volumes ?? []).map((v: any) => [v?.name, v]));
  const read = (c: any, role: ContainerRole): PlanContainer => ({
    name: c.name,
    role,
    image: typeof c.image === 'string' ? c.image : '(no image)',
    mounts: (c.volumeMounts ?? []).map((m: any) => {
      const { source, memoryBacked } = volumeSource(volumes.get(m.name));
      return {
        volume: m.name,
        mountPath: m.mountPath,
        readOnly: m.readOnly === true,
        memoryBacked,
        source,
        subPath: m.subPath ?? m.subPathExpr,
      };
    }),
    ports: (c.ports ?? []).map((p: any) => ({
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
      name: p.name,
    })),
    probes: probesOf(c),
    requests: amounts(owner, c, 'requests'),
    limits: amounts(owner, c, 'limits'),
    preStop: hookSummary(c.lifecycle?.preStop),
  });
  return [
    ...(podSpec.initContainers ?? []).map((c: any) =>
      read(c, c.restartPolicy === 'Always' ? ContainerRole.NATIVE_SIDECAR : ContainerRole.INIT_CONTAINER),
    ),
    ...podSpec.containers.map((c: any) => read(c, ContainerRole.CONTAINER)),
  ];
}
