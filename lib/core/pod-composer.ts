import { ApiObject, App, resolve } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { CHECKSUM_ANNOTATION_PREFIX, configMapHash } from './content-hash';
import { AppPort, FRONT_DOOR_ANNOTATION, FrontDoorClaim, FrontDoorRouting } from './front-door';
import { HealthCheck } from './health-check';
import { HelperContainerProps } from './helper-container';
import { KubernetesVersion } from './kubernetes-version';
import { checkPort } from './names';
import { OrderNode, resolveOrder } from './ordering';
import { partProblems } from './part-checks';
import { checkPodSpec } from './pod-checks';
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
import { AppTarget, cdk8sPlusWorkloadOf, IPodOwner, podOwnerOf } from './pod-owner';
import { hasPodTemplate, podSpecOf, podSpecPath, podTemplateOf, RUNS_TO_COMPLETION } from './pod-template';
import { NOT_PLAIN_JSON, sharedShapeCopy, sortedPlainCopy, sortKeys } from './plain-json';
import { checkHelper, renderHelper } from './render';
import { oncePerSynthCall, renderThrough, resolvesPlainJsonAsIs } from './rendering';
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

  /**
   * The app container to mount into, by name (for a pod template that is not a cdk8s-plus workload).
   * @default - `container`, else the composer's app container
   */
  readonly containerName?: string;
}

/** Options for `PodComposer.of()`. */
export interface PodComposerOptions {
  /**
   * The app container, by name: patterns mount into it, add env to it and read its port and user.
   * @default - the first container of the pod template
   */
  readonly appContainer?: string;
}

const COMPOSER_ID = 'PodComposer';

/**
 * The one mechanism through which every pattern contributes to a pod: init steps, sidecars, volumes and
 * their mounts, app env, pod annotations and labels, and the port a Service sends traffic to.
 *
 * Get it with `PodComposer.of(owner)` for any cdk8s-plus workload (Deployment, StatefulSet, Job,
 * CronJob, DaemonSet, Pod), or for any cdk8s `ApiObject` with a pod template whoever made it: a
 * `k8s.KubeDeployment`, an imported `KubeJob`, an object of an `Include` (a chart's `helm template` output);
 * `AppWorkload` has one as `composer`. On an `ApiObject`, the pod template's own init containers and
 * containers are kept (its init containers start first) and every edit is applied to its rendered JSON.
 *
 * Start-up order, native versus classic sidecars and the validation of the whole pod are resolved at
 * synth, once, so that parts may be added in any order.
 */
export class PodComposer extends Construct {
  /**
   * The composer of a pod template, created on first use.
   *
   * @param owner a cdk8s-plus workload, or any `ApiObject` of kind Pod, Deployment, StatefulSet, DaemonSet,
   *   ReplicaSet, Job or CronJob (a `KubeDeployment`, an object of an `Include`), or a construct whose default
   *   child is one
   */
  public static of(owner: IConstruct, options: PodComposerOptions = {}): PodComposer {
    const scope = cdk8sPlusWorkloadOf(owner) ?? composerScopeOf(owner);
    const existing = scope.node.tryFindChild(COMPOSER_ID);
    if (existing instanceof PodComposer) {
      const wanted = options.appContainer;
      if (wanted !== undefined && wanted !== existing.appContainerName) {
        throw new Error(
          `PodComposer '${existing.ownerPath}': the app container is already '${existing.appContainerName}', ` +
            `so it cannot become '${wanted}'; pass 'appContainer' on the first PodComposer.of() of this pod only`,
        );
      }
      return existing;
    }
    return new PodComposer(owner, options);
  }

  /** The workload's kind: 'Deployment', 'Job', ... */
  public readonly workloadKind: string;

  /** The construct path of the pod template's owner: the cdk8s-plus workload, or the `ApiObject`. */
  public readonly ownerPath: string;

  private readonly owner: IPodOwner;
  private readonly apiObject: ApiObject;
  private readonly parts: Array<InitStep | Sidecar> = [];
  private readonly volumes = new Map<string, SharedVolume>();
  private readonly services: kplus.Service[] = [];
  private readonly _warnings: string[] = [];
  private readonly render: () => any;
  private readonly appStartupProbes = new Map<AppTarget, HealthCheck>();
  private readonly routing: FrontDoorRouting;
  private warningsPrinted = false;
  private versionOverride?: KubernetesVersion;
  private frontDoor?: FrontDoorClaim;
  private plainAsIs?: boolean;

  private constructor(ownerConstruct: IConstruct, options: PodComposerOptions) {
    const workload = cdk8sPlusWorkloadOf(ownerConstruct);
    if (workload) {
      const kind = ApiObject.of(workload).kind;
      if (!hasPodTemplate(kind)) {
        throw new Error(
          `PodComposer: '${workload.node.path}' is a ${kind}; patterns attach to a Deployment, ` +
            'StatefulSet, DaemonSet, Job, CronJob or Pod',
        );
      }
    }
    const owner = podOwnerOf(ownerConstruct, options.appContainer);
    super(owner.scope, COMPOSER_ID);
    this.owner = owner;
    this.ownerPath = owner.path;
    this.apiObject = owner.apiObject;
    this.workloadKind = this.apiObject.kind;
    this.routing = new FrontDoorRouting(
      () => this.frontDoor,
      () => this.appPorts(),
    );
    // The one place where rendering is hooked: cdk8s resolves the workload and cdk8s-plus maps it, the helper
    // containers are placed in their resolved order, then the user's JSON patches apply.
    this.render = renderThrough(this.apiObject, { transform: (manifest) => this.compose(manifest) });
    // cdk8s validates the app more than once in one synth call: the pod is checked once per call
    this.node.addValidation({ validate: oncePerSynthCall(App.of(this), () => this.validatePod()) });
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

  /**
   * The cdk8s-plus workload this composer adds to. A pod template that is not a cdk8s-plus workload (a
   * `KubeDeployment`, an object of an `Include`) has none: use the composer's own facts (`namespace`,
   * `appContainerName`, ...) instead.
   */
  public get workload(): kplus.AbstractPod {
    const workload = this.owner.workload;
    if (!workload) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the ${this.workloadKind} is not a cdk8s-plus workload, so there is no ` +
          "'workload'; read the pod's facts from the composer (namespace, appContainerName, appPortNumber, ...)",
      );
    }
    return workload;
  }

  /**
   * The cdk8s-plus app container (the one chosen with `appContainer`, else the first), which patterns mount
   * into and add env to by default. A pod template that is not a cdk8s-plus workload has none: use
   * `appContainerName`.
   */
  public get appContainer(): kplus.Container {
    const workload = this.owner.workload;
    if (!workload) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the ${this.workloadKind} is not a cdk8s-plus workload, so its app ` +
          `container is no kplus.Container; name it instead ('${this.appContainerName}', appContainerName)`,
      );
    }
    const app = (this.owner as any).defaultApp as kplus.Container | undefined;
    if (!app) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the workload has no app container yet; add it ` +
          '(workload.addContainer) before attaching patterns',
      );
    }
    return app;
  }

  /** Whether the pod template is a cdk8s-plus workload's (else an `ApiObject`'s, edited as JSON). */
  public get isCdk8sPlusWorkload(): boolean {
    return this.owner.workload !== undefined;
  }

  /** The name of the app container patterns mount into and add env to by default. */
  public get appContainerName(): string {
    return this.owner.workload ? this.appContainer.name : ((this.owner as any).defaultApp as string);
  }

  /** The names of the pod template's app containers (the library's helpers not included), in order. */
  public get appContainerNames(): string[] {
    return this.owner.appContainerNames();
  }

  /** The first port number of the app container (or of the one named), if it declares one. */
  public appPortNumber(containerName?: string): number | undefined {
    return this.owner.portNumberOf(this.appTarget(containerName));
  }

  /** The user id the app container (or the one named) runs as, when its securityContext says. */
  public appRunAsUser(containerName?: string): number | undefined {
    return this.owner.runAsUserOf(this.appTarget(containerName));
  }

  /** The names of the env variables the app container (or the one named) already has. */
  public appEnvNames(containerName?: string): string[] {
    return this.owner.envNamesOf(this.appTarget(containerName));
  }

  /** The namespace the pod is rendered in (undefined: the default namespace). */
  public get namespace(): string | undefined {
    return this.owner.namespace;
  }

  /** The pod's terminationGracePeriodSeconds (30, Kubernetes' default, when it sets none). */
  public get terminationGracePeriodSeconds(): number {
    return this.owner.terminationGracePeriodSeconds;
  }

  /** The service account the pod runs as, when it names one. */
  public get serviceAccountName(): string | undefined {
    return this.owner.serviceAccountName;
  }

  /** Whether the pod mounts its service account token. */
  public get automountsServiceToken(): boolean {
    return this.owner.automountsServiceToken;
  }

  /** The pod's securityContext user, if set. */
  public get podRunAsUser(): number | undefined {
    return this.owner.podRunAsUser;
  }

  /** The pod's securityContext fsGroup, if set. */
  public get podFsGroup(): number | undefined {
    return this.owner.podFsGroup;
  }

  /** A label of the pod template (the manifest's own, or one added through the composer). */
  public podLabel(key: string): string | undefined {
    return this.owner.podLabel(key);
  }

  /**
   * An init container the workload already has (added with cdk8s-plus's `addInitContainer`, or in the
   * manifest's pod template), as a part that helpers can name in `after`. Such containers start before every
   * helper of this library.
   */
  public existingInitContainer(name: string): IPodPart {
    const existing = this.owner.initContainerNames();
    if (!existing.includes(name)) {
      const names = existing.map((c) => `'${c}'`).join(', ') || 'none';
      const fix = this.owner.workload ? 'add it with addInitContainer first' : "check the manifest's initContainers";
      throw new Error(
        `PodComposer '${this.ownerPath}': the workload has no init container named '${name}' (it has ` +
          `${names}); ${fix}, or name an init step of this library instead`,
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
    if (!existing && !this.owner.workload && this.owner.hasOtherVolume(volume)) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the SharedVolume '${volume.name}' has the name of a volume the ` +
          `${this.workloadKind}'s pod template already has ('${volume.name}'); give the SharedVolume another name`,
      );
    }
    if (existing || this.owner.hasOtherVolume(volume)) {
      throw new Error(
        `PodComposer '${this.ownerPath}': two different volumes are named '${volume.name}'; ` +
          'share one SharedVolume handle, or give one of them another name',
      );
    }
    this.volumes.set(volume.name, volume);
    this.owner.addVolume(volume);
  }

  /** Mounts a shared volume into an app container, read-only unless `readOnly: false`. */
  public mountIntoApp(volume: SharedVolume, path: string, options: AppMountOptions = {}): void {
    this.addVolume(volume);
    const app = options.container ?? this.appTarget(options.containerName);
    this.owner.mount(app, volume, { path, readOnly: options.readOnly ?? true, subPath: options.subPath });
  }

  /**
   * Replaces the startup probe of an app container (cdk8s-plus gives every container with a port a TCP probe
   * of the pod IP, which an app bound to 127.0.0.1 never passes). Applied when the pod is composed.
   */
  public replaceAppStartupProbe(check: HealthCheck, container?: kplus.Container): void {
    this.appStartupProbes.set(container ?? this.appTarget(undefined), check);
  }

  /** Adds an environment variable to an app container. */
  public addAppEnv(name: string, value: kplus.EnvValue, container?: kplus.Container): void {
    this.owner.addEnv(container ?? this.appTarget(undefined), name, value);
  }

  /** Adds an environment variable to the app container of this name. */
  public addEnvToContainer(containerName: string, name: string, value: kplus.EnvValue): void {
    this.owner.addEnv(this.appTarget(containerName), name, value);
  }

  /** Adds an annotation to the pod template. */
  public addPodAnnotation(key: string, value: string): void {
    this.owner.addPodAnnotation(key, value);
  }

  /** Adds a label to the pod template. */
  public addPodLabel(key: string, value: string): void {
    this.owner.addPodLabel(key, value);
  }

  /**
   * Adds a pod template annotation whose value is computed at synth (for example a hash of a ConfigMap's
   * content, so that a change rolls the workload).
   */
  public addComputedPodAnnotation(key: string, value: IAnnotationValue): void {
    this.owner.addPodAnnotation(key, value);
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
    checkPort(`PodComposer '${this.ownerPath}'`, 'front door port', port);
    if (this.frontDoor && this.frontDoor.by !== by) {
      throw new Error(
        `PodComposer '${this.ownerPath}': '${by}' and '${this.frontDoor.by}' both want to be the ` +
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
    const appPort = options.targetPort ?? this.appPortNumber();
    if (appPort === undefined) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the app container declares no port; give it 'portNumber' ` +
          "or pass 'targetPort'",
      );
    }
    const port = options.port ?? appPort;
    checkPort(`Service '${id}'`, 'port', port);
    const labels = this.owner.workload ? {} : this.owner.selectorLabels();
    if (!this.owner.workload && Object.keys(labels).length === 0) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the ${this.workloadKind}'s pod template has no labels, so no Service ` +
          "can select its pods; give the manifest's pod template labels",
      );
    }
    const service = new kplus.Service(scope, id, {
      metadata: {
        ...(options.name ? { name: options.name } : {}),
        ...(this.owner.workload ? {} : { namespace: this.namespace }),
      },
      selector: this.owner.workload,
      type: options.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      ports: [{ port, targetPort: appPort, name: options.portName }],
    });
    for (const [key, value] of Object.entries(labels)) service.selectLabel(key, value);
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
    if (this.owner.takenContainerNames().includes(part.containerName)) {
      throw new Error(
        `PodComposer '${this.ownerPath}': the helper container '${part.containerName}' has the name of a ` +
          `container the ${this.workloadKind}'s pod template already has ('${part.containerName}'); give the ` +
          "helper another 'containerName'",
      );
    }
    if (this.parts.some((p) => p.containerName === part.containerName)) {
      throw new Error(
        `PodComposer '${this.ownerPath}': a helper container named '${part.containerName}' is ` +
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
    return this.owner.appPorts();
  }

  /** The app container of this name, or the composer's app container. */
  private appTarget(containerName: string | undefined): AppTarget {
    if (containerName !== undefined) return containerName;
    return this.owner.workload ? this.appContainer : this.appContainerName;
  }

  /** Routes the Services cdk8s-plus made for the workload through the front door, if there is one. */
  private routeGeneratedServices(): void {
    if (!this.frontDoor) return;
    for (const service of this.owner.servicesMadeByOwner()) this.routing.route(service, false);
  }

  /** Resolves the start-up order of init steps and native sidecars. */
  private orderedInitParts(): Array<InitStep | Sidecar> {
    const initParts = this.parts.filter((p) => p instanceof InitStep || this.isNative(p));
    // init containers the workload already has start first: an `after` naming one always holds
    const existing = new Set(this.owner.initContainerNames());
    const nodes: OrderNode[] = initParts.map((p) => ({
      name: p.containerName,
      after: p.after.map((a) => a.containerName).filter((name) => !existing.has(name) && this.isInitPart(name)),
    }));
    const order = resolveOrder(`PodComposer '${this.ownerPath}'`, nodes);
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

  private compose(rendered: any): any {
    // the pod's manifest is most of what the rules and the YAML writer read: copied into shared shapes first
    const manifest = sharedShapeCopy(rendered);
    this.owner.compose(manifest, this.appStartupProbes);
    const path = podSpecPath(this.workloadKind);
    const spec = podSpecOf(this.workloadKind, manifest);
    if (!spec) return manifest;
    const before = spec.initContainers ?? [];
    // an App's resolvers are given when it is created
    this.plainAsIs ??= resolvesPlainJsonAsIs(App.of(this.apiObject).resolvers);
    const plainAsIs = this.plainAsIs;
    const init = this.orderedInitParts().map((p, i) =>
      this.renderPart(p, p instanceof Sidecar, [...path, 'initContainers', `${before.length + i}`], plainAsIs),
    );
    const apps = spec.containers ?? [];
    const classic = this.parts
      .filter((p): p is Sidecar => p instanceof Sidecar && !this.isNative(p))
      .map((p, i) => this.renderPart(p, false, [...path, 'containers', `${apps.length + i}`], plainAsIs));
    if (init.length > 0) spec.initContainers = [...before, ...init];
    if (classic.length > 0) spec.containers = [...apps, ...classic];
    // keep the pod spec's keys sorted, as cdk8s renders every other object (a new object: deleting keys would
    // leave it slow to read for the rules and the YAML writer)
    const sorted: any = {};
    for (const key of Object.keys(spec).sort()) sorted[key] = spec[key];
    podTemplateOf(this.workloadKind, manifest).spec = sorted;
    return manifest;
  }

  private validatePod(): string[] {
    if (!this.warningsPrinted) {
      this._warnings.forEach((w) => console.warn(`[warning] ${this.ownerPath}: ${w}`));
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
    errors.push(
      ...checkPodSpec(podSpecOf(this.workloadKind, manifest), this.workloadKind, manifest?.spec?.volumeClaimTemplates),
    );
    return errors;
  }
}
/** A value computed at synth. */
export interface IAnnotationValue {
  /** Returns the value. */
  produce(): string;
}

/** Where the composer of an `ApiObject` owner lives: under the object itself. */
function composerScopeOf(owner: IConstruct): IConstruct {
  try {
    return ApiObject.of(owner);
  } catch {
    return owner; // the composer's constructor reports it
  }
}
