import { ApiObject, App, Lazy, resolve } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CHECKSUM_ANNOTATION_PREFIX, configMapHash } from './content-hash';
import {
  AppPort,
  FRONT_DOOR_ANNOTATION,
  FrontDoorClaim,
  FrontDoorRouting,
  servicesMadeByCdk8sPlus,
} from './front-door';
import { HealthCheck } from './health-check';
import { HelperContainerProps } from './helper-container';
import { KubernetesVersion } from './kubernetes-version';
import { checkPort } from './names';
import { OrderNode, resolveOrder } from './ordering';
import { partProblems } from './part-checks';
import { checkPodSpec, RUNS_TO_COMPLETION } from './pod-checks';
import { PodPlan } from '../plan/pod-plan';
import { attachChartRules } from '../rules/chart-rules';
import {
  ExistingInitContainer,
  InitStep,
  InitStepOptions,
  IPodPart,
  Sidecar,
  SidecarMode,
  SidecarOptions,
} from './pod-parts';
import { hasPodTemplate, podSpecOf, podSpecPath } from './pod-template';
import { NOT_PLAIN_JSON, sortedPlainCopy, sortKeys } from './plain-json';
import { checkHelper, renderHelper } from './render';
import { renderThrough, resolvesPlainJsonAsIs } from './rendering';
import { EffectiveResources, ResourceAccounting } from './resource-accounting';
import { ServiceExposeOptions } from './service-exposure';
import { SharedVolume, VolumeMountOptions } from './shared-volume';

/** Options for mounting a shared volume into an app container. */
export interface AppMountOptions extends VolumeMountOptions {
  /**
   * The app container to mount into.
   * @default - the workload's first container
   */
  readonly container?: kplus.Container;
}

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
  private readonly render: () => any;
  private readonly appStartupProbes = new Map<kplus.Container, HealthCheck>();
  private readonly routing: FrontDoorRouting;
  private warningsPrinted = false;
  private versionOverride?: KubernetesVersion;
  private frontDoor?: FrontDoorClaim;

  private constructor(workload: kplus.AbstractPod) {
    super(workload, COMPOSER_ID);
    this.workload = workload;
    this.apiObject = ApiObject.of(workload);
    this.workloadKind = this.apiObject.kind;
    if (!hasPodTemplate(this.workloadKind)) {
      throw new Error(
        `PodComposer: '${workload.node.path}' is a ${this.workloadKind}; patterns attach to a Deployment, ` +
          'StatefulSet, DaemonSet, Job, CronJob or Pod',
      );
    }
    this.routing = new FrontDoorRouting(
      () => this.frontDoor,
      () => this.appPorts(),
    );
    // The one place where rendering is hooked: cdk8s resolves the workload and cdk8s-plus maps it, the helper
    // containers are placed in their resolved order, then the user's JSON patches apply.
    this.render = renderThrough(this.apiObject, { transform: (manifest) => this.compose(manifest) });
    this.node.addValidation({ validate: () => this.validatePod() });
    attachChartRules(
      this.apiObject,
      () => this.kubernetesVersion,
      () => this.routeGeneratedServices(),
    );
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

  /**
   * An init container the workload already has (added with cdk8s-plus's `addInitContainer`), as a part that
   * helpers can name in `after`. Such containers start before every helper of this library.
   */
  public existingInitContainer(name: string): IPodPart {
    if (!this.workload.initContainers.some((c) => c.name === name)) {
      const names = this.workload.initContainers.map((c) => `'${c.name}'`).join(', ') || 'none';
      throw new Error(
        `PodComposer '${this.workload.node.path}': the workload has no init container named '${name}' (it has ` +
          `${names}); add it with addInitContainer first, or name an init step of this library instead`,
      );
    }
    return new ExistingInitContainer(name);
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

  /**
   * Replaces the startup probe of an app container (cdk8s-plus gives every container with a port a TCP probe
   * of the pod IP, which an app bound to 127.0.0.1 never passes). Applied when the pod is composed.
   */
  public replaceAppStartupProbe(check: HealthCheck, container?: kplus.Container): void {
    this.appStartupProbes.set(container ?? this.appContainer, check);
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
   * Makes `port` the pod's front door: every Service that the library or cdk8s-plus makes for this workload
   * (`exposeViaService` here or on the workload, a StatefulSet's governing Service), before or after this call,
   * sends the traffic meant for the app to it, so that a proxy sidecar cannot be bypassed. The pod template
   * carries the annotation `pod-patterns.cdk8s.io/front-door: <by>:<port>`, and the rules at synth fail on any
   * other Service that selects the pod and sends traffic around the front door.
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
    this.addPodAnnotation(FRONT_DOOR_ANNOTATION, `${by}:${port}`);
    this.routeGeneratedServices();
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
    this.routing.route(service, true);
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
    const spec = podSpecOf(this.workloadKind, this.apiObject.toJson());
    return (spec.initContainers ?? []).map((c: any) => c.name);
  }

  /**
   * The pod's start-up plan, read from the workload's rendered manifest: phases and what gates each, the
   * shutdown, every container, the effective resources and the runbook; as data, text, Markdown or Mermaid.
   */
  public plan(): PodPlan {
    return PodPlan.fromManifest(this.apiObject.toJson());
  }

  /**
   * A plain-text guide to this pod's start-up for when it is stuck: which container runs at each
   * `Init:N/M` status, and the kubectl commands that show its logs and events. The runbook of `plan()`.
   */
  public troubleshootingGuide(): string {
    return this.plan().toRunbookText();
  }

  /** The pod's effective requests and limits for scheduling (KEP-753 rule), and what drives each. */
  public effectiveResources(): EffectiveResources {
    return ResourceAccounting.ofPodSpec(podSpecOf(this.workloadKind, this.apiObject.toJson()));
  }

  /** Whether a sidecar renders native in this pod. */
  public isNative(sidecar: Sidecar): boolean {
    if (sidecar.mode === SidecarMode.NATIVE) return true;
    if (sidecar.mode === SidecarMode.CLASSIC) return false;
    return this.kubernetesVersion.supportsNativeSidecars;
  }

  private addPart(part: InitStep | Sidecar): void {
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

  /** The app containers' ports (the ports a Service that bypasses the front door would target). */
  private appPorts(): AppPort[] {
    return this.workload.containers.flatMap((c) => c.ports.map((p) => ({ number: p.number, name: p.name })));
  }

  /** Routes the Services cdk8s-plus made for the workload through the front door, if there is one. */
  private routeGeneratedServices(): void {
    if (!this.frontDoor) return;
    for (const service of servicesMadeByCdk8sPlus(this.workload)) this.routing.route(service, false);
  }

  /** Resolves the start-up order of init steps and native sidecars. */
  private orderedInitParts(): Array<InitStep | Sidecar> {
    const initParts = this.parts.filter((p) => p instanceof InitStep || this.isNative(p));
    // init containers the workload already has start first: an `after` naming one always holds
    const existing = new Set(this.workload.initContainers.map((c) => c.name));
    const nodes: OrderNode[] = initParts.map((p) => ({
      name: p.containerName,
      after: p.after.map((a) => a.containerName).filter((name) => !existing.has(name) && this.isInitPart(name)),
    }));
    const order = resolveOrder(`PodComposer '${this.workload.node.path}'`, nodes);
    return order.map((name) => initParts.find((p) => p.containerName === name)!);
  }

  private isInitPart(name: string): boolean {
    const part = this.parts.find((p) => p.containerName === name);
    // A name that is not ours is left in place so that resolveOrder reports it.
    return part === undefined || part instanceof InitStep || this.isNative(part);
  }

  /**
   * Renders a helper to its Kubernetes JSON inside cdk8s's resolution: Lazy values and the App's resolvers
   * apply to its fields as to the fields cdk8s-plus renders.
   */
  private renderPart(part: InitStep | Sidecar, native: boolean, key: string[], plainAsIs: boolean): any {
    const json = renderHelper(part.container, native);
    // Plain JSON comes out of cdk8s's built-in resolvers unchanged: copy it sorted instead of resolving it.
    const plain = plainAsIs ? sortedPlainCopy(json) : NOT_PLAIN_JSON;
    return plain !== NOT_PLAIN_JSON ? plain : sortKeys(resolve(key, json, this.apiObject));
  }

  private compose(manifest: any): any {
    if (this.parts.length === 0 && this.appStartupProbes.size === 0) return manifest;
    const path = podSpecPath(this.workloadKind);
    const spec = podSpecOf(this.workloadKind, manifest);
    for (const [container, check] of this.appStartupProbes) {
      const rendered = (spec.containers ?? [])[this.workload.containers.indexOf(container)];
      if (rendered) rendered.startupProbe = sortKeys(check._toJson());
    }
    const before = spec.initContainers ?? [];
    const plainAsIs = resolvesPlainJsonAsIs(App.of(this.apiObject).resolvers);
    const init = this.orderedInitParts().map((p, i) =>
      this.renderPart(p, p instanceof Sidecar, [...path, 'initContainers', `${before.length + i}`], plainAsIs),
    );
    const apps = spec.containers ?? [];
    const classic = this.parts
      .filter((p): p is Sidecar => p instanceof Sidecar && !this.isNative(p))
      .map((p, i) => this.renderPart(p, false, [...path, 'containers', `${apps.length + i}`], plainAsIs));
    if (init.length > 0) spec.initContainers = [...before, ...init];
    if (classic.length > 0) spec.containers = [...apps, ...classic];
    // keep the pod spec's keys sorted, as cdk8s renders every other object
    for (const key of Object.keys(spec).sort()) {
      const value = spec[key];
      delete spec[key];
      spec[key] = value;
    }
    return manifest;
  }

  private validatePod(): string[] {
    if (!this.warningsPrinted) {
      this._warnings.forEach((w) => console.warn(`[warning] ${this.workload.node.path}: ${w}`));
      this.warningsPrinted = true;
    }
    // Services cdk8s-plus made after the front door was claimed; validation runs before any object renders.
    this.routeGeneratedServices();
    const errors = partProblems({
      parts: this.parts,
      workloadKind: this.workloadKind,
      runsToCompletion: this.runsToCompletion,
      version: this.kubernetesVersion,
      isNative: (sidecar) => this.isNative(sidecar),
    });
    let manifest: any;
    try {
      manifest = this.render();
    } catch (e) {
      errors.push((e as Error).message);
      return errors;
    }
    errors.push(...checkPodSpec(podSpecOf(this.workloadKind, manifest), this.workloadKind));
    return errors;
  }
}
/** A value computed at synth. */
export interface IAnnotationValue {
  /** Returns the value. */
  produce(): string;
}
