import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelperContainerProps } from './helper-container';
import { KubernetesVersion } from './kubernetes-version';
import { CHECKSUM_ANNOTATION_PREFIX, configMapHash } from './content-hash';
import { checkPort } from './names';
import { OrderNode, resolveOrder } from './ordering';
import { checkPodSpec, RUNS_TO_COMPLETION } from './pod-checks';
import { attachChartRules } from '../rules/chart-rules';
import { checkHelper, renderHelper } from './render';
import { EffectiveResources, ResourceAccounting } from './resource-accounting';
import { SharedVolume, VolumeMountOptions } from './shared-volume';
import { troubleshootingGuide } from './troubleshooting';

/** Something with a place in the pod's start-up order: an init step, a sidecar, or a pattern. */
export interface IPodPart {
  /** The container's name in the pod. */
  readonly containerName: string;
}

/** How a sidecar is rendered. */
export enum SidecarMode {
  /** Native when the target Kubernetes version has native sidecars (1.29+), classic before. */
  AUTO = 'auto',
  /** Always native: an init container with `restartPolicy: Always`. Needs Kubernetes 1.29+. */
  NATIVE = 'native',
  /** Always classic: a regular container beside the app. Not allowed in a Job or CronJob. */
  CLASSIC = 'classic',
}

/** Options for `PodComposer.addInitStep()`. */
export interface InitStepOptions {
  /**
   * Init steps and native sidecars this step must start after, wherever they were declared.
   * @default - after the steps declared before it
   */
  readonly after?: IPodPart[];
}

/** Options for `PodComposer.addSidecar()`. */
export interface SidecarOptions {
  /**
   * Native or classic rendering.
   * @default SidecarMode.AUTO
   */
  readonly mode?: SidecarMode;

  /**
   * Init steps and native sidecars this sidecar must start after.
   * @default - after the steps declared before it
   */
  readonly after?: IPodPart[];
}

/** Options for mounting a shared volume into an app container. */
export interface AppMountOptions extends VolumeMountOptions {
  /**
   * The app container to mount into.
   * @default - the workload's first container
   */
  readonly container?: kplus.Container;
}

/** An init step: a helper container that runs to completion before the app starts. */
export class InitStep implements IPodPart {
  /** The container's name. */
  public readonly containerName: string;

  /** @internal */
  constructor(
    /** The container. */
    public readonly container: HelperContainerProps,
    /** The parts this step starts after. */
    public readonly after: IPodPart[],
  ) {
    this.containerName = container.name;
  }
}

/** A sidecar: a helper container that runs for the pod's lifetime. */
export class Sidecar implements IPodPart {
  /** The container's name. */
  public readonly containerName: string;

  /** @internal */
  constructor(
    /** The container. */
    public readonly container: HelperContainerProps,
    /** How it is rendered. */
    public readonly mode: SidecarMode,
    /** The parts this sidecar starts after. */
    public readonly after: IPodPart[],
  ) {
    this.containerName = container.name;
  }
}

/** Where the pod spec sits in each workload kind's manifest. */
const POD_SPEC_PATH: { [kind: string]: string[] } = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const COMPOSER_ID = 'PodComposer';

/**
 * The one mechanism through which every pattern contributes to a pod: init steps, sidecars, volumes and
 * their mounts, app env, pod annotations and labels, and the port a Service sends traffic to.
 *
 * Get it with `PodComposer.of(workload)` for any cdk8s-plus workload (Deployment, StatefulSet, Job,
 * CronJob, DaemonSet, Pod); `AppWorkload` has one as `composer`.
 *
 * Start-up order, native versus classic sidecars and the validation of the whole pod are resolved at
 * synth, once, so that parts may be added in any order.
 */
export class PodComposer extends Construct {
  /** The composer of a cdk8s-plus workload, created on first use. */
  public static of(workload: kplus.AbstractPod): PodComposer {
    const existing = workload.node.tryFindChild(COMPOSER_ID);
    if (existing instanceof PodComposer) return existing;
    return new PodComposer(workload);
  }

  /** The workload this composer adds to. */
  public readonly workload: kplus.AbstractPod;

  /** The workload's kind: 'Deployment', 'Job', ... */
  public readonly workloadKind: string;

  private readonly apiObject: ApiObject;
  private readonly parts: Array<InitStep | Sidecar> = [];
  private readonly volumes = new Map<string, SharedVolume>();
  private readonly services: kplus.Service[] = [];
  private readonly _warnings: string[] = [];
  private validatedRender?: any;
  private warningsPrinted = false;
  private versionOverride?: KubernetesVersion;
  private frontDoor?: { port: number; by: string };

  private constructor(workload: kplus.AbstractPod) {
    super(workload, COMPOSER_ID);
    this.workload = workload;
    this.apiObject = ApiObject.of(workload);
    this.workloadKind = this.apiObject.kind;
    if (!POD_SPEC_PATH[this.workloadKind]) {
      throw new Error(
        `PodComposer: '${workload.node.path}' is a ${this.workloadKind}; patterns attach to a Deployment, ` +
          'StatefulSet, DaemonSet, Job, CronJob or Pod',
      );
    }
    // The one place where rendering is hooked: the workload renders as cdk8s-plus builds it, then the
    // helper containers are placed in their resolved order.
    const renderBase = this.apiObject.toJson.bind(this.apiObject);
    this.apiObject.toJson = () => {
      // cdk8s validates every construct right before it renders them, in one synchronous pass: the
      // manifest composed for validation is that render's result, used once.
      const validated = this.validatedRender;
      this.validatedRender = undefined;
      return validated ?? this.compose(renderBase());
    };
    this.node.addValidation({ validate: () => this.validatePod(renderBase) });
    attachChartRules(this.apiObject, () => this.kubernetesVersion);
  }

  /** Whether the workload's pods run to completion (Job, CronJob): classic sidecars would keep them alive. */
  public get runsToCompletion(): boolean {
    return RUNS_TO_COMPLETION.has(this.workloadKind);
  }

  /** The Kubernetes version this pod targets: a per-workload override, else `KubernetesVersion.targetOf`. */
  public get kubernetesVersion(): KubernetesVersion {
    return this.versionOverride ?? KubernetesVersion.targetOf(this);
  }

  /** Overrides the target Kubernetes version for this workload only. */
  public overrideKubernetesVersion(version: KubernetesVersion): void {
    this.versionOverride = version;
  }

  /** The workload's first app container, which patterns mount into and add env to by default. */
  public get appContainer(): kplus.Container {
    const first = this.workload.containers[0];
    if (!first) {
      throw new Error(
        `PodComposer '${this.workload.node.path}': the workload has no app container yet; add it ` +
          '(workload.addContainer) before attaching patterns',
      );
    }
    return first;
  }

  /** Adds an init step. Steps run in the order declared, after any they name in `after`. */
  public addInitStep(container: HelperContainerProps, options: InitStepOptions = {}): InitStep {
    const step = new InitStep(container, [...(options.after ?? [])]);
    this.addPart(step);
    return step;
  }

  /** Adds a sidecar. Native sidecars start at their place in the start-up order. */
  public addSidecar(container: HelperContainerProps, options: SidecarOptions = {}): Sidecar {
    const sidecar = new Sidecar(container, options.mode ?? SidecarMode.AUTO, [...(options.after ?? [])]);
    this.addPart(sidecar);
    return sidecar;
  }

  /** Adds a volume to the pod (once, whatever the number of calls). */
  public addVolume(volume: SharedVolume): void {
    const existing = this.volumes.get(volume.name);
    if (existing === volume) return;
    if (existing || this.workload.volumes.some((v) => v.name === volume.name && v !== volume.volume)) {
      throw new Error(
        `PodComposer '${this.workload.node.path}': two different volumes are named '${volume.name}'; ` +
          'share one SharedVolume handle, or give one of them another name',
      );
    }
    this.volumes.set(volume.name, volume);
    if (!this.workload.volumes.includes(volume.volume)) {
      this.workload.addVolume(volume.volume);
    }
  }

  /** Mounts a shared volume into an app container, read-only unless `readOnly: false`. */
  public mountIntoApp(volume: SharedVolume, path: string, options: AppMountOptions = {}): void {
    this.addVolume(volume);
    const container = options.container ?? this.appContainer;
    container.mount(path, volume.volume, { readOnly: options.readOnly ?? true, subPath: options.subPath });
  }

  /** Adds an environment variable to an app container. */
  public addAppEnv(name: string, value: kplus.EnvValue, container?: kplus.Container): void {
    (container ?? this.appContainer).env.addVariable(name, value);
  }

  /** Adds an annotation to the pod template. */
  public addPodAnnotation(key: string, value: string): void {
    this.workload.podMetadata.addAnnotation(key, value);
  }

  /** Adds a label to the pod template. */
  public addPodLabel(key: string, value: string): void {
    this.workload.podMetadata.addLabel(key, value);
  }

  /**
   * Adds a pod template annotation whose value is computed at synth (for example a hash of a ConfigMap's
   * content, so that a change rolls the workload).
   */
  public addComputedPodAnnotation(key: string, value: IAnnotationValue): void {
    this.workload.podMetadata.addAnnotation(key, Lazy.any({ produce: () => value.produce() }) as unknown as string);
  }

  /**
   * Rolls the workload when a ConfigMap's content changes: adds the pod-template annotation
   * `checksum.cdk8s-pod-patterns/<name>` holding a hash of the ConfigMap's data, computed at synth (so data
   * added later counts). Returns the annotation key.
   *
   * @param name what the configuration belongs to, usually the helper container's name
   */
  public addConfigHashAnnotation(name: string, configMap: kplus.ConfigMap): string {
    const key = `${CHECKSUM_ANNOTATION_PREFIX}${name}`;
    this.addComputedPodAnnotation(key, { produce: () => configMapHash(configMap) });
    return key;
  }

  /**
   * Records a warning about this pod: something that synthesizes but deserves attention. Warnings are listed
   * in `warnings` and printed once (to stderr) when the app is synthesized.
   */
  public addWarning(message: string): void {
    this._warnings.push(message);
  }

  /** The warnings recorded for this pod. */
  public get warnings(): string[] {
    return [...this._warnings];
  }

  /**
   * Makes `port` the pod's front door: every Service made with `exposeViaService` (before or after this
   * call) sends traffic to it instead of the app's port, so that a proxy sidecar cannot be bypassed.
   *
   * @param port the helper's container port
   * @param by the name of the helper that owns it (for error messages)
   */
  public claimFrontDoor(port: number, by: string): void {
    checkPort(`PodComposer '${this.workload.node.path}'`, 'front door port', port);
    if (this.frontDoor && this.frontDoor.by !== by) {
      throw new Error(
        `PodComposer '${this.workload.node.path}': '${by}' and '${this.frontDoor.by}' both want to be the ` +
          "pod's front door; only one proxy may receive the Service's traffic",
      );
    }
    this.frontDoor = { port, by };
  }

  /** The port Services send traffic to: the front door if one is set, else `appPort`. */
  public targetPortFor(appPort: number): number {
    return this.frontDoor?.port ?? appPort;
  }

  /** The container that owns the front door, if any. */
  public get frontDoorOwner(): string | undefined {
    return this.frontDoor?.by;
  }

  /**
   * Exposes the workload through a Service on `port`, sending traffic to the app's port (or to the front
   * door, if a proxy sidecar set one).
   */
  public exposeViaService(scope: Construct, id: string, options: ServiceExposeOptions = {}): kplus.Service {
    const appPort = options.targetPort ?? this.appContainer.portNumber;
    if (appPort === undefined) {
      throw new Error(
        `PodComposer '${this.workload.node.path}': the app container declares no port; give it 'portNumber' ` +
          "or pass 'targetPort'",
      );
    }
    const port = options.port ?? appPort;
    checkPort(`Service '${id}'`, 'port', port);
    const service = new kplus.Service(scope, id, {
      metadata: options.name ? { name: options.name } : undefined,
      selector: this.workload,
      type: options.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      ports: [{ port, targetPort: appPort, name: options.portName }],
    });
    // Rendered at synth: a front door claimed later still receives the traffic.
    const api = ApiObject.of(service);
    const renderService = api.toJson.bind(api);
    api.toJson = () => {
      const json = renderService();
      json.spec.ports = json.spec.ports.map((p: any) => ({ ...p, targetPort: this.targetPortFor(appPort) }));
      return json;
    };
    this.services.push(service);
    return service;
  }

  /** The Services made by `exposeViaService`. */
  public get exposedServices(): kplus.Service[] {
    return [...this.services];
  }

  /** The init steps and sidecars added so far, in declaration order. */
  public get helpers(): IPodPart[] {
    return [...this.parts];
  }

  /** The helper container names in start-up order as rendered: init steps and native sidecars. */
  public startupOrder(): string[] {
    const spec = this.podSpecOf(this.apiObject.toJson());
    return (spec.initContainers ?? []).map((c: any) => c.name);
  }

  /**
   * A plain-text guide to this pod's start-up for when it is stuck: which container runs at each
   * `Init:N/M` status, and the kubectl commands that show its logs and events.
   */
  public troubleshootingGuide(): string {
    const manifest = this.apiObject.toJson();
    const template = this.podTemplateOf(manifest);
    return troubleshootingGuide(manifest, template.spec, template.metadata?.labels ?? {});
  }

  /** The pod's effective requests and limits for scheduling (KEP-753 rule), and what drives each. */
  public effectiveResources(): EffectiveResources {
    return ResourceAccounting.ofPodSpec(this.podSpecOf(this.apiObject.toJson()));
  }

  /** Whether a sidecar renders native in this pod. */
  public isNative(sidecar: Sidecar): boolean {
    if (sidecar.mode === SidecarMode.NATIVE) return true;
    if (sidecar.mode === SidecarMode.CLASSIC) return false;
    return this.kubernetesVersion.supportsNativeSidecars;
  }

  private addPart(part: InitStep | Sidecar): void {
    this.validatedRender = undefined;
    const owner = `${part instanceof InitStep ? 'Init step' : 'Sidecar'} '${part.containerName}'`;
    checkHelper(owner, part.container);
    if (part instanceof InitStep) {
      const c = part.container;
      if (c.startupProbe || c.livenessProbe || c.readinessProbe || c.preStopCommand) {
        throw new Error(
          `${owner}: init steps run to completion and may not have probes or a preStop hook ` +
            '(the API server rejects them); add it as a sidecar instead',
        );
      }
    }
    if (this.parts.some((p) => p.containerName === part.containerName)) {
      throw new Error(
        `PodComposer '${this.workload.node.path}': a helper container named '${part.containerName}' is ` +
          "already in this pod; give one of them another 'containerName'",
      );
    }
    for (const mount of part.container.mounts ?? []) {
      this.addVolume(mount.volume);
    }
    this.parts.push(part);
  }

  /** The pod template: the Pod manifest itself for a Pod. */
  private podTemplateOf(manifest: any): any {
    let node = manifest;
    for (const key of POD_SPEC_PATH[this.workloadKind].slice(0, -1)) node = node[key];
    return node;
  }

  /** The pod spec: the `spec` of the pod template (every path in POD_SPEC_PATH ends with 'spec'). */
  private podSpecOf(manifest: any): any {
    return this.podTemplateOf(manifest).spec;
  }

  /** Resolves the start-up order of init steps and native sidecars. */
  private orderedInitParts(): Array<InitStep | Sidecar> {
    const initParts = this.parts.filter((p) => p instanceof InitStep || this.isNative(p));
    const nodes: OrderNode[] = initParts.map((p) => ({
      name: p.containerName,
      after: p.after.map((a) => a.containerName).filter((name) => this.isInitPart(name)),
    }));
    const order = resolveOrder(`PodComposer '${this.workload.node.path}'`, nodes);
    return order.map((name) => initParts.find((p) => p.containerName === name)!);
  }

  private isInitPart(name: string): boolean {
    const part = this.parts.find((p) => p.containerName === name);
    // A name that is not ours is left in place so that resolveOrder reports it.
    return part === undefined || part instanceof InitStep || this.isNative(part);
  }

  private compose(manifest: any): any {
    if (this.parts.length === 0) return manifest;
    const spec = this.podSpecOf(manifest);
    const init = this.orderedInitParts().map((p) => renderHelper(p.container, p instanceof Sidecar));
    const classic = this.parts
      .filter((p): p is Sidecar => p instanceof Sidecar && !this.isNative(p))
      .map((p) => renderHelper(p.container, false));
    if (init.length > 0) spec.initContainers = [...(spec.initContainers ?? []), ...init];
    if (classic.length > 0) spec.containers = [...(spec.containers ?? []), ...classic];
    // keep the pod spec's keys sorted, as cdk8s renders every other object
    for (const key of Object.keys(spec).sort()) {
      const value = spec[key];
      delete spec[key];
      spec[key] = value;
    }
    return manifest;
  }

  private validatePod(renderBase: () => any): string[] {
    if (!this.warningsPrinted) {
      this._warnings.forEach((w) => console.warn(`[warning] ${this.workload.node.path}: ${w}`));
      this.warningsPrinted = true;
    }
    const errors: string[] = [];
    const version = this.kubernetesVersion;
    for (const part of this.parts) {
      if (!(part instanceof Sidecar)) continue;
      const name = part.containerName;
      if (part.mode === SidecarMode.NATIVE && !version.supportsNativeSidecars) {
        errors.push(
          `sidecar '${name}' is set to SidecarMode.NATIVE but the target is Kubernetes ${version}; native ` +
            'sidecars need 1.29+. Target 1.29+ (KubernetesVersion.setTarget) or use SidecarMode.AUTO',
        );
      }
      if (!this.isNative(part) && this.runsToCompletion) {
        const fix =
          part.mode === SidecarMode.CLASSIC
            ? "Set its 'mode' to SidecarMode.AUTO or SidecarMode.NATIVE (Kubernetes 1.29+)"
            : 'Target Kubernetes 1.29+ (KubernetesVersion.setTarget) so it renders as a native sidecar';
        errors.push(
          `sidecar '${name}' would render as a classic sidecar in a ${this.workloadKind} (${
            part.mode === SidecarMode.CLASSIC ? 'SidecarMode.CLASSIC' : `target Kubernetes ${version}`
          }): the pod would never complete because the sidecar never exits. ${fix}, or run it outside the ` +
            `${this.workloadKind}`,
        );
      }
    }
    for (const part of this.parts) {
      for (const dep of part.after) {
        const target = this.parts.find((p) => p.containerName === dep.containerName);
        if (part instanceof InitStep && target instanceof Sidecar && !this.isNative(target)) {
          errors.push(
            `init step '${part.containerName}' runs after sidecar '${target.containerName}', which renders as a ` +
              'classic sidecar and so starts only after every init step; make the sidecar native ' +
              '(Kubernetes 1.29+) or drop the dependency',
          );
        } else if (target instanceof Sidecar && this.isNative(target) && !target.container.startupProbe) {
          errors.push(
            `'${part.containerName}' runs after native sidecar '${target.containerName}', which has no startupProbe; ` +
              'only a startup probe makes Kubernetes wait for a sidecar to be ready. Give the sidecar a startupProbe',
          );
        }
      }
    }
    this.validatedRender = undefined;
    let manifest: any;
    try {
      manifest = this.compose(renderBase());
    } catch (e) {
      errors.push((e as Error).message);
      return errors;
    }
    errors.push(...checkPodSpec(this.podSpecOf(manifest), this.workloadKind));
    if (errors.length === 0) this.validatedRender = manifest;
    return errors;
  }
}

/** A value computed at synth. */
export interface IAnnotationValue {
  /** Returns the value. */
  produce(): string;
}

/** Options for `exposeViaService`. */
export interface ServiceExposeOptions {
  /**
   * The Service's name.
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * The port the Service listens on.
   * @default - the app's port
   */
  readonly port?: number;

  /**
   * The app container port traffic goes to (replaced by a proxy sidecar's front door if there is one).
   * @default - the app container's `portNumber`
   */
  readonly targetPort?: number;

  /**
   * The Service port's name.
   * @default - unnamed
   */
  readonly portName?: string;

  /**
   * The Service type.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
}
