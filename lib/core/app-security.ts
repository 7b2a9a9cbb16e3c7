import * as kplus from 'cdk8s-plus-28';

/** Options for `AppSecurity.restricted()`. */
export interface RestrictedAppSecurityOptions {
  /**
   * Add the capability `NET_BIND_SERVICE`, the one the restricted profile allows, so that a non-root app may
   * listen on a port below 1024.
   * @default false
   */
  readonly bindPortsBelow1024?: boolean;
}

/** Options for `AppSecurity.baseline()`. */
export interface BaselineAppSecurityOptions {
  /**
   * Capabilities to add back after dropping all of them, from the baseline profile's list (AUDIT_WRITE,
   * CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID,
   * SYS_CHROOT).
   * @default - none
   */
  readonly addCapabilities?: kplus.Capability[];

  /**
   * Let the container run as root: for an image whose user is root. Sets `runAsNonRoot: false` unless the
   * container's `securityContext.ensureNonRoot` says otherwise.
   * @default false
   */
  readonly runAsRoot?: boolean;

  /**
   * Allow privilege escalation (setuid binaries, such as `su` or `sudo` in the image).
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
}

/** The capabilities the baseline Pod Security profile lets a container add. */
const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/**
 * The Pod Security Standards profile an `AppWorkload` holds its containers to.
 *
 * `restricted()` (the default) renders every container it creates non-root, without privilege escalation,
 * with all capabilities dropped and the `RuntimeDefault` seccomp profile, and refuses a `securityContext`
 * that contradicts it. `baseline()` relaxes it, typed, for an image that needs more (root, or a few
 * capabilities); `custom()` renders the container's `securityContext` as cdk8s-plus does, untouched.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export class AppSecurity {
  /** The restricted profile: non-root, no privilege escalation, no capabilities, seccomp RuntimeDefault. */
  public static restricted(options: RestrictedAppSecurityOptions = {}): AppSecurity {
    return new AppSecurity('restricted', options.bindPortsBelow1024 ? ['NET_BIND_SERVICE'] : [], false, false);
  }

  /**
   * The baseline profile: not privileged, all capabilities dropped but the ones listed, seccomp RuntimeDefault;
   * root and privilege escalation only when asked for.
   */
  public static baseline(options: BaselineAppSecurityOptions = {}): AppSecurity {
    return new AppSecurity(
      'baseline',
      [...(options.addCapabilities ?? [])],
      options.runAsRoot ?? false,
      options.allowPrivilegeEscalation ?? false,
    );
  }

  /**
   * The container's `securityContext` rendered as given, with cdk8s-plus's defaults (non-root, no privilege
   * escalation, read-only root file system; capabilities and seccomp unset). Nothing is added or checked.
   */
  public static custom(): AppSecurity {
    return new AppSecurity('custom', [], false, false);
  }

  private constructor(
    /** The profile: 'restricted', 'baseline' or 'custom'. */
    public readonly profile: string,
    private readonly addCapabilities: string[],
    private readonly runAsRoot: boolean,
    private readonly allowPrivilegeEscalation: boolean,
  ) {}

  /**
   * The security context a container is created with under this profile; throws when the container's own
   * asks for what the profile forbids.
   *
   * @param owner the construct and container, for error messages
   * @internal
   */
  public _apply(
    owner: string,
    given: kplus.ContainerSecurityContextProps | undefined,
  ): kplus.ContainerSecurityContextProps | undefined {
    if (this.profile === 'custom') return given;
    const sc = given ?? {};
    const restricted = this.profile === 'restricted';
    const relax = restricted
      ? "pass 'security: AppSecurity.baseline(...)' to the AppWorkload for an image that needs it"
      : "pass 'security: AppSecurity.custom()' to the AppWorkload to render the securityContext as given";
    const refuse = (what: string) => {
      throw new Error(`${owner}: ${what}, which the ${this.profile} Pod Security profile forbids; ${relax}`);
    };
    if (sc.privileged === true) refuse("'securityContext.privileged' is true");
    if (sc.seccompProfile?.type === kplus.SeccompProfileType.UNCONFINED) {
      refuse("'securityContext.seccompProfile' is Unconfined");
    }
    const allowed = restricted ? ['NET_BIND_SERVICE'] : BASELINE_CAPABILITIES;
    const add = [...new Set([...(sc.capabilities?.add ?? []), ...this.addCapabilities])].sort();
    const extra = add.filter((c) => !allowed.includes(c));
    if (extra.length > 0) {
      refuse(`'securityContext.capabilities.add' holds ${extra.join(', ')}`);
    }
    const drop = sc.capabilities?.drop;
    if (drop !== undefined && !drop.includes(kplus.Capability.ALL)) {
      refuse(`'securityContext.capabilities.drop' is [${drop.join(', ')}] without ALL`);
    }
    if (restricted) {
      if (sc.ensureNonRoot === false) refuse("'securityContext.ensureNonRoot' is false (the app may run as root)");
      if (sc.user === 0) refuse("'securityContext.user' is 0 (root)");
      if (sc.allowPrivilegeEscalation === true) refuse("'securityContext.allowPrivilegeEscalation' is true");
    } else {
      if (!this.runAsRoot && (sc.user === 0 || sc.ensureNonRoot === false)) {
        throw new Error(
          `${owner}: the securityContext runs the container as root; say so with ` +
            "'AppSecurity.baseline({ runAsRoot: true })'",
        );
      }
      if (!this.allowPrivilegeEscalation && sc.allowPrivilegeEscalation === true) {
        throw new Error(
          `${owner}: 'securityContext.allowPrivilegeEscalation' is true; say so with ` +
            "'AppSecurity.baseline({ allowPrivilegeEscalation: true })'",
        );
      }
    }
    return {
      ...sc,
      ensureNonRoot: sc.ensureNonRoot ?? !this.runAsRoot,
      privileged: false,
      allowPrivilegeEscalation: sc.allowPrivilegeEscalation ?? this.allowPrivilegeEscalation,
      capabilities: {
        drop: [kplus.Capability.ALL],
        add: add.length > 0 ? (add as kplus.Capability[]) : undefined,
      },
      seccompProfile: sc.seccompProfile ?? { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    };
  }
}
