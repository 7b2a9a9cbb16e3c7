/**
 * The Pod Security Standards "restricted" profile (Kubernetes 1.29), as checks over a rendered pod spec.
 * Each finding names the object, the container and the control, so a count over many manifests is exact.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import { podSpecOf } from '../util/manifest';

/** One control of the profile a container or pod fails. */
export interface ProfileViolation {
  /** `Kind/name`. */
  readonly object: string;
  /** The container, or undefined for a pod-level control. */
  readonly container?: string;
  /** `init`, `sidecar` (an init container with restartPolicy Always) or `app`. */
  readonly role?: 'init' | 'sidecar' | 'app';
  /** The control, such as 'capabilities' or 'seccompProfile'. */
  readonly control: string;
  /** What is wrong. */
  readonly message: string;
}

/** Volume types the restricted profile allows. */
const ALLOWED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** The one capability the restricted profile allows adding. */
const ADDABLE = ['NET_BIND_SERVICE'];
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** Every restricted-profile control the manifest's pod fails (none for objects that are not workloads). */
export function restrictedViolations(manifest: any): ProfileViolation[] {
  const spec = podSpecOf(manifest);
  if (!spec) return [];
  const object = `${manifest.kind}/${manifest.metadata?.name}`;
  const out: ProfileViolation[] = [];
  const pod = (control: string, message: string) => out.push({ object, control, message });
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) pod('hostNamespaces', 'shares a host namespace');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !ALLOWED_VOLUMES.includes(type)) pod('volumeTypes', `volume '${v.name}' is of type ${type}`);
  }
  for (const s of spec.securityContext?.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(s.name)) pod('sysctls', `sysctl ${s.name} is not in the safe set`);
  }
  const podSc = spec.securityContext ?? {};
  if (podSc.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(podSc.seccompProfile.type)) {
    pod('seccompProfile', `pod seccompProfile is ${podSc.seccompProfile.type}`);
  }
  if (podSc.runAsUser === 0) pod('runAsUser', 'pod runs as user 0');
  const containers: Array<[any, 'init' | 'sidecar' | 'app']> = [
    ...(spec.initContainers ?? []).map((c: any) => [c, c.restartPolicy === 'Always' ? 'sidecar' : 'init']),
    ...(spec.containers ?? []).map((c: any) => [c, 'app']),
    ...(spec.ephemeralContainers ?? []).map((c: any) => [c, 'app']),
  ] as Array<[any, 'init' | 'sidecar' | 'app']>;
  for (const [c, role] of containers) {
    const sc = c.securityContext ?? {};
    const fail = (control: string, message: string) => out.push({ object, container: c.name, role, control, message });
    if (sc.privileged === true) fail('privileged', 'is privileged');
    if (sc.windowsOptions?.hostProcess === true) fail('hostProcess', 'is a Windows host process');
    for (const p of c.ports ?? []) if (p.hostPort) fail('hostPorts', `uses host port ${p.hostPort}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') fail('procMount', `procMount is ${sc.procMount}`);
    if (sc.appArmorProfile?.type === 'Unconfined') fail('appArmor', 'AppArmor is Unconfined');
    if (sc.allowPrivilegeEscalation !== false) {
      fail('allowPrivilegeEscalation', `allowPrivilegeEscalation is ${sc.allowPrivilegeEscalation}, not false`);
    }
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) fail('runAsNonRoot', `runAsNonRoot is ${nonRoot}, not true`);
    if (sc.runAsUser === 0) fail('runAsUser', 'runs as user 0');
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) {
      fail('seccompProfile', `seccompProfile is ${seccomp}, not RuntimeDefault or Localhost`);
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) fail('capabilities', `capabilities drop ${JSON.stringify(drop)}, not ALL`);
    const add: string[] = sc.capabilities?.add ?? [];
    const extra = add.filter((a) => !ADDABLE.includes(a));
    if (extra.length > 0) fail('capabilities', `capabilities add ${JSON.stringify(extra)}`);
  }
  return out;
}

/** One line per violation, for test output and figures. */
export function describeViolation(v: ProfileViolation): string {
  return `${v.object}${v.container ? ` ${v.role} container ${v.container}` : ''}: ${v.control}: ${v.message}`;
}
