import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkPort } from '../core/names';
import { PodComposer } from '../core/pod-composer';
import { InitStep } from '../core/pod-parts';
import { memoryQuantity } from '../core/render';

/** The pod label that opts a pod in or out of Istio's sidecar injection. */
const INJECT_LABEL = 'sidecar.istio.io/inject';
/** The pod or namespace label that selects an Istio control-plane revision. */
const REVISION_LABEL = 'istio.io/rev';
/** The namespace label that turns injection on for every pod of the namespace. */
const NAMESPACE_LABEL = 'istio-injection';
/** The pod annotation that picks a native (init container) or classic proxy. Istio 1.24+. */
const NATIVE_ANNOTATION = 'sidecar.istio.io/nativeSidecar';
/** The pod annotation holding per-pod ProxyConfig overrides. */
const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/** The pod annotations that keep outbound traffic to some ports or address ranges away from the proxy. */
const EXCLUDE_PORTS_ANNOTATION = 'traffic.sidecar.istio.io/excludeOutboundPorts';
const EXCLUDE_RANGES_ANNOTATION = 'traffic.sidecar.istio.io/excludeOutboundIPRanges';

const REVISION = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Options for `IstioInjection.enableForNamespace()`. */
export interface IstioNamespaceOptions {
  /**
   * Inject (true: `istio-injection=enabled`) or explicitly not (false: `istio-injection=disabled`).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * A control-plane revision: labels the namespace `istio.io/rev=<revision>` instead of
   * `istio-injection=enabled` (Istio gives `istio-injection` precedence, so only one is set).
   * @default - the default revision
   */
  readonly revision?: string;
}

/** Props for `IstioInjection`. */
export interface IstioInjectionProps {
  /**
   * The workload whose pods Istio should (or should not) inject: a cdk8s-plus workload, or any `ApiObject`
   * with a pod template (a `KubeDeployment`, an object of an `Include`), or a construct whose default child is
   * one.
   */
  readonly workload: IConstruct;

  /**
   * Whether Istio injects its proxy into these pods: the pod label `sidecar.istio.io/inject` ("true" or
   * "false"). `false` opts a workload out of a namespace that has injection on.
   * @default true
   */
  readonly inject?: boolean;

  /**
   * A control-plane revision: the pod label `istio.io/rev=<revision>` selects that revision's injector
   * (used instead of `sidecar.istio.io/inject`).
   * @default - the default revision
   */
  readonly revision?: string;

  /**
   * Inject the proxy as a native sidecar (an init container with `restartPolicy: Always`): it starts before
   * your init steps and app, and stops after them, so a Job's pod completes. The pod annotation
   * `sidecar.istio.io/nativeSidecar` (Istio 1.24+). Needs Kubernetes 1.29+.
   * @default - true in a Job or CronJob (so that its pods complete); elsewhere the mesh's setting
   */
  readonly nativeSidecar?: boolean;

  /**
   * Start the app containers only once the proxy is ready (ProxyConfig `holdApplicationUntilProxyStarts`, set
   * through the `proxy.istio.io/config` pod annotation). Not needed with a native sidecar, which is started
   * first anyway.
   * @default - the mesh's setting (off unless set mesh-wide)
   */
  readonly holdApplicationUntilProxyStarts?: boolean;

  /**
   * Requests and limits of the injected proxy (the `sidecar.istio.io/proxyCPU`, `proxyCPULimit`,
   * `proxyMemory` and `proxyMemoryLimit` pod annotations).
   * @default - the mesh's defaults
   */
  readonly proxyResources?: kplus.ContainerResources;

  /**
   * Outbound ports whose traffic bypasses the proxy (the pod annotation
   * `traffic.sidecar.istio.io/excludeOutboundPorts`), such as the database port a migration step uses.
   * With a classic proxy, which starts after the init steps while Istio's rules already redirect their
   * traffic, list here the ports that init steps connect to.
   * @default - none
   */
  readonly excludeOutboundPorts?: number[];

  /**
   * Outbound IPv4 address ranges (CIDR, such as '10.96.0.0/12') whose traffic bypasses the proxy (the pod
   * annotation `traffic.sidecar.istio.io/excludeOutboundIPRanges`).
   * @default - none
   */
  readonly excludeOutboundIpRanges?: string[];
}

/**
 * Istio sidecar injection for a workload, as typed options rather than hand-typed labels and annotations.
 *
 * Istio's admission webhook adds the `istio-proxy` container (and its `istio-init` init container) when a
 * pod is created, so this is not a `PodPattern`: it renders no container and has no place in the start-up
 * order. It sets the pod labels and annotations Istio reads, through the workload's `PodComposer`:
 *
 * - `sidecar.istio.io/inject: "true" | "false"`: a pod **label** (the annotation of the same name is
 *   deprecated), or `istio.io/rev: <revision>`;
 * - `sidecar.istio.io/nativeSidecar: "true" | "false"` (annotation, Istio 1.24+);
 * - `proxy.istio.io/config: {"holdApplicationUntilProxyStarts":true}` (annotation);
 * - `sidecar.istio.io/proxyCPU` / `proxyCPULimit` / `proxyMemory` / `proxyMemoryLimit` (annotations).
 *
 * Namespaces get `istio-injection=enabled` with `IstioInjection.enableForNamespace()`.
 *
 * @example
 * const ns = new kplus.Namespace(chart, 'production', { metadata: { name: 'production' } });
 * IstioInjection.enableForNamespace(ns);
 * const app = new AppWorkload(chart, 'api', {
 *   kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }),
 *   container: { image: 'company/api:1.0.0', portNumber: 8080 },
 * });
 * new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: true });
 */
export class IstioInjection extends Construct {
  /**
   * Labels a namespace for Istio injection: `istio-injection=enabled` (or `disabled`), or
   * `istio.io/rev=<revision>`.
   *
   * @param ns a cdk8s-plus `Namespace`, or an `ApiObject` of kind Namespace
   */
  public static enableForNamespace(ns: IConstruct, options: IstioNamespaceOptions = {}): void {
    const api = ApiObject.of(ns);
    const owner = `IstioInjection.enableForNamespace '${ns.node.id}'`;
    if (api.kind !== 'Namespace') {
      throw new Error(
        `${owner}: expected a Namespace (kplus.Namespace or an ApiObject of kind Namespace), got a ${api.kind}`,
      );
    }
    const enabled = options.enabled ?? true;
    const existing = [NAMESPACE_LABEL, REVISION_LABEL].filter((k) => api.metadata.getLabel(k) !== undefined);
    if (existing.length > 0) {
      throw new Error(
        `${owner}: the namespace already has the label '${existing[0]}'; set Istio injection on a namespace once`,
      );
    }
    if (options.revision !== undefined) {
      checkRevision(owner, options.revision);
      if (!enabled) {
        throw new Error(`${owner}: 'revision' selects a revision to inject with, so it needs 'enabled' true`);
      }
      api.metadata.addLabel(REVISION_LABEL, options.revision);
    } else {
      api.metadata.addLabel(NAMESPACE_LABEL, enabled ? 'enabled' : 'disabled');
    }
  }

  /** The composer of the workload. */
  public readonly composer: PodComposer;

  /** Whether Istio injects its proxy into these pods. */
  public readonly inject: boolean;

  /** Whether the proxy is asked to be a native sidecar (undefined: the mesh's setting). */
  public readonly nativeSidecar?: boolean;

  private readonly excludesOutbound: boolean;
  private readonly _warnings: string[] = [];
  private warningsPrinted = false;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: IstioInjectionProps) {
    super(scope, id);
    const owner = `IstioInjection '${id}'`;
    this.composer = PodComposer.of(props.workload);
    this.inject = props.inject ?? true;
    const existing = [INJECT_LABEL, REVISION_LABEL].find((k) => this.composer.podLabel(k) !== undefined);
    if (existing) {
      throw new Error(
        `${owner}: the workload's pods already have the label '${existing}'; add one IstioInjection per workload`,
      );
    }
    if (!this.inject) {
      const set = (
        [
          ['revision', props.revision],
          ['nativeSidecar', props.nativeSidecar],
          ['holdApplicationUntilProxyStarts', props.holdApplicationUntilProxyStarts],
          ['proxyResources', props.proxyResources],
          ['excludeOutboundPorts', props.excludeOutboundPorts],
          ['excludeOutboundIpRanges', props.excludeOutboundIpRanges],
        ] as const
      ).find(([, v]) => v !== undefined);
      if (set) {
        throw new Error(`${owner}: '${set[0]}' configures the injected proxy, but 'inject' is false; drop one of them`);
      }
      this.composer.addPodLabel(INJECT_LABEL, 'false');
      this.excludesOutbound = false;
      return;
    }
    const ports = props.excludeOutboundPorts ?? [];
    ports.forEach((p) => checkPort(owner, 'excludeOutboundPorts', p));
    const ranges = props.excludeOutboundIpRanges ?? [];
    ranges.forEach((r) => checkCidr(owner, r));
    if (ports.length > 0) this.composer.addPodAnnotation(EXCLUDE_PORTS_ANNOTATION, [...new Set(ports)].join(','));
    if (ranges.length > 0) this.composer.addPodAnnotation(EXCLUDE_RANGES_ANNOTATION, [...new Set(ranges)].join(','));
    this.excludesOutbound = ports.length > 0 || ranges.length > 0;

    if (props.revision !== undefined) {
      this.composer.addPodLabel(REVISION_LABEL, checkRevision(owner, props.revision));
    } else {
      this.composer.addPodLabel(INJECT_LABEL, 'true');
    }

    this.nativeSidecar = props.nativeSidecar ?? (this.composer.runsToCompletion ? true : undefined);
    if (this.nativeSidecar !== undefined) {
      this.composer.addPodAnnotation(NATIVE_ANNOTATION, String(this.nativeSidecar));
    }
    if (props.holdApplicationUntilProxyStarts !== undefined) {
      this.composer.addPodAnnotation(
        PROXY_CONFIG_ANNOTATION,
        JSON.stringify({ holdApplicationUntilProxyStarts: props.holdApplicationUntilProxyStarts }),
      );
    }
    if (props.proxyResources) {
      const r = props.proxyResources;
      const annotations: Array<[string, string | undefined]> = [
        ['sidecar.istio.io/proxyCPU', r.cpu?.request?.amount],
        ['sidecar.istio.io/proxyCPULimit', r.cpu?.limit?.amount],
        ['sidecar.istio.io/proxyMemory', memoryQuantity(r.memory?.request)],
        ['sidecar.istio.io/proxyMemoryLimit', memoryQuantity(r.memory?.limit)],
      ];
      for (const [key, value] of annotations) {
        if (value !== undefined) this.composer.addPodAnnotation(key, value);
      }
    }

    const nativeByDefault = props.nativeSidecar === undefined;
    this.node.addValidation({ validate: () => this.validate(owner, nativeByDefault) });
    this.node.addValidation({ validate: () => this.warnAboutNetworkSteps(owner) });
  }

  /**
   * Warnings about these pods: init steps that use the network while the proxy they would go through does
   * not run yet. Printed once (to stderr) when the app is synthesized.
   */
  public get warnings(): string[] {
    this.collectWarnings(`IstioInjection '${this.node.id}'`);
    return [...this._warnings];
  }

  private collectWarnings(owner: string): void {
    this._warnings.length = 0;
    if (!this.inject || this.excludesOutbound) return;
    const native = this.nativeSidecar === true && this.composer.kubernetesVersion.supportsNativeSidecars;
    if (native) return;
    const steps = this.composer.helpers
      .filter((p): p is InitStep => p instanceof InitStep && p.container.usesNetwork === true)
      .map((p) => p.containerName);
    if (steps.length === 0) return;
    const why =
      this.nativeSidecar === false
        ? "'nativeSidecar' is false"
        : !this.composer.kubernetesVersion.supportsNativeSidecars
          ? `the target is Kubernetes ${this.composer.kubernetesVersion}`
          : "'nativeSidecar' is not set, so the mesh's default decides";
    this._warnings.push(
      `${owner}: the init step(s) ${steps.map((n) => `'${n}'`).join(', ')} use the network, but Istio's proxy ` +
        `may be classic (${why}): it starts after every init step while Istio's rules already redirect their ` +
        "traffic, so they cannot connect. Set 'nativeSidecar' true (Istio 1.24+, Kubernetes 1.29+), or list " +
        "their targets in 'excludeOutboundPorts' / 'excludeOutboundIpRanges'",
    );
  }

  private warnAboutNetworkSteps(owner: string): string[] {
    this.collectWarnings(owner);
    if (!this.warningsPrinted) {
      this._warnings.forEach((w) => console.warn(`[warning] ${this.composer.ownerPath}: ${w}`));
      this.warningsPrinted = true;
    }
    return [];
  }

  private validate(owner: string, nativeByDefault: boolean): string[] {
    const version = this.composer.kubernetesVersion;
    const kind = this.composer.workloadKind;
    if (this.nativeSidecar === true && !version.supportsNativeSidecars) {
      return nativeByDefault
        ? [
            `${owner}: a ${kind}'s pods complete only with the proxy as a native sidecar, which needs Kubernetes ` +
              `1.29+, but the target is ${version}; target 1.29+ (KubernetesVersion.setTarget) or set 'inject' ` +
              'false for this workload',
          ]
        : [
            `${owner}: 'nativeSidecar' true needs Kubernetes 1.29+, but the target is ${version}; target 1.29+ ` +
              "(KubernetesVersion.setTarget) or drop 'nativeSidecar'",
          ];
    }
    if (this.nativeSidecar === false && this.composer.runsToCompletion) {
      return [
        `${owner}: 'nativeSidecar' false injects a classic proxy, which never exits, so the ${kind}'s pods would ` +
          "never complete; drop 'nativeSidecar' (a Job gets a native proxy) or set 'inject' false",
      ];
    }
    return [];
  }
}

function checkCidr(owner: string, value: string): string {
  const m = IPV4_CIDR.exec(value);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw new Error(
      `${owner}: 'excludeOutboundIpRanges' entries must be IPv4 CIDR ranges such as '10.96.0.0/12', got ` +
        JSON.stringify(value),
    );
  }
  return value;
}

function checkRevision(owner: string, value: string): string {
  if (value.length > 63 || !REVISION.test(value)) {
    throw new Error(
      `${owner}: 'revision' must be an Istio revision name (lower-case letters, digits, '-' and '.', at most 63 ` +
        `characters, such as 'canary' or '1-24-0'), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
