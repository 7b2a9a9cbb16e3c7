import { podRule, Rule } from '../rule';
import { Severity } from '../severity';

/** The capability the restricted profile lets a container add back. */
const ADDABLE = new Set(['NET_BIND_SERVICE']);

/** The seccomp profile types the restricted profile accepts. */
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);

/**
 * The controls of the Pod Security Standards' restricted profile, for each container (with the pod-level
 * fields that cover it): what the admission controller of a namespace labelled
 * `pod-security.kubernetes.io/enforce: restricted` refuses.
 */
export const podSecurityRestricted: Rule = podRule(
  {
    id: 'pod-security-restricted',
    severity: Severity.WARNING,
    summary:
      'Every container meets the restricted Pod Security profile: non-root, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault, no host namespaces or hostPath volumes',
    why:
      'A namespace that enforces the restricted profile refuses the pod at admission; elsewhere a container with ' +
      'root, capabilities or no seccomp filter gives a compromised process far more of the node.',
    fix:
      "Set each container's securityContext (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: " +
      "{ drop: [ALL] }, seccompProfile: { type: RuntimeDefault }), or the pod's for the fields it covers; with " +
      "AppWorkload this is the default (relax it with 'security: AppSecurity.baseline(...)').",
  },
  (pod, problem) => {
    const podContext = pod.spec.securityContext ?? {};
    const podLevel: string[] = [];
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod.spec[key] === true) podLevel.push(`${key}: true`);
    }
    for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []) {
      if (v?.hostPath) podLevel.push(`hostPath volume '${v.name}'`);
    }
    if (podLevel.length > 0) {
      problem({ field: pod.specPath, message: `the pod uses ${podLevel.join(', ')}` });
    }
    for (const c of pod.all) {
      const sc = c.container.securityContext ?? {};
      const broken: string[] = [];
      if (sc.privileged === true) broken.push('privileged');
      if (sc.allowPrivilegeEscalation !== false) broken.push('allowPrivilegeEscalation is not false');
      const nonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
      const user = sc.runAsUser ?? podContext.runAsUser;
      if (nonRoot !== true && !(typeof user === 'number' && user > 0)) broken.push('runAsNonRoot is not true');
      if (user === 0) broken.push('runAsUser is 0');
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) broken.push('capabilities.drop does not hold ALL');
      const add: unknown = sc.capabilities?.add;
      const extra = Array.isArray(add) && add.length > 0 ? add.filter((a) => !ADDABLE.has(String(a))) : [];
      if (extra.length > 0) broken.push(`capabilities.add holds ${extra.join(', ')}`);
      const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
      if (!SECCOMP_OK.has(String(seccomp))) broken.push('seccompProfile is not RuntimeDefault or Localhost');
      if (broken.length === 0) continue;
      problem({
        container: c.name,
        field: `${c.field}.securityContext`,
        message: `container '${c.name}' does not meet the restricted Pod Security profile: ${broken.join('; ')}`,
      });
    }
  },
);
