/**
 * What owns a pod template, behind one interface (internal: not re-exported): a cdk8s-plus workload, whose
 * own API the composer edits, or any `ApiObject` of a kind with a pod template (a `Kube*` object, an object
 * of an `Include`), whose rendered JSON the composer edits. The composer asks the owner for facts about the
 * pod and hands it the edits; it never looks at which kind of owner it has.
 */
import { ApiObject, Chart, Lazy, resolve } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { AppPort, servicesMadeByCdk8sPlus } from './front-door';
import { HealthCheck } from './health-check';
import { hasPodTemplate, podSpecPath, podTemplateOf } from './pod-template';
import { sortKeys } from './plain-json';
import { baseRender } from './rendering';
import { SharedVolume } from './shared-volume';

/** The kinds whose manifests hold a pod template, as error messages list them. */
export const POD_TEMPLATE_KINDS = 'Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob';

/** An app container: a cdk8s-plus container (cdk8s-plus owners), or a container's name. */
export type AppTarget = kplus.Container | string;

/** A value computed at synth. */
export interface ProducedValue {
  produce(): string;
}

/** Where and how an app container mounts a volume. */
export interface AppMount {
  readonly path: string;
  readonly readOnly: boolean;
  readonly subPath?: string;
}

/** The owner of the pod template a composer adds to. */
export interface IPodOwner {
  /** The construct path that messages name: the workload's, or the object's. */
  readonly path: string;
  /** The object that renders the pod template. */
  readonly apiObject: ApiObject;
  /** The construct the composer is created under. */
  readonly scope: IConstruct;
  /** The cdk8s-plus workload, when the owner is one. */
  readonly workload?: kplus.AbstractPod;

  /** The app containers' names, in order. */
  appContainerNames(): string[];
  /** The name of an app container. */
  nameOf(app: AppTarget): string;
  /** The first port number of an app container. */
  portNumberOf(app: AppTarget): number | undefined;
  /** The names of an app container's env variables. */
  envNamesOf(app: AppTarget): string[];
  /** The user an app container runs as, when its securityContext says. */
  runAsUserOf(app: AppTarget): number | undefined;
  /** Every port of the pod's own containers (what a Service that bypasses the front door would target). */
  appPorts(): AppPort[];
  /** The init containers the pod template already has. */
  initContainerNames(): string[];
  /** Whether the pod already holds a volume of this name that is not this one. */
  hasOtherVolume(volume: SharedVolume): boolean;
  /** The names the pod template's containers (init and app) already use. */
  takenContainerNames(): string[];
  /** A label of the pod template. */
  podLabel(key: string): string | undefined;
  /** The labels a Service selects the pods by. */
  selectorLabels(): { [key: string]: string };

  readonly namespace: string | undefined;
  readonly terminationGracePeriodSeconds: number;
  readonly serviceAccountName: string | undefined;
  readonly automountsServiceToken: boolean;
  readonly podRunAsUser: number | undefined;
  readonly podFsGroup: number | undefined;

  addVolume(volume: SharedVolume): void;
  mount(app: AppTarget, volume: SharedVolume, mount: AppMount): void;
  addEnv(app: AppTarget, name: string, value: kplus.EnvValue): void;
  addPodLabel(key: string, value: string): void;
  addPodAnnotation(key: string, value: string | ProducedValue): void;
  /** Services made for the pod by the owner's own API (cdk8s-plus's `exposeViaService`). */
  servicesMadeByOwner(): kplus.Service[];
  /** Applies the recorded edits and the startup probes to the rendered manifest. */
  compose(manifest: any, probes: Map<AppTarget, HealthCheck>): void;
}

/** The owner of `owner`'s pod template: its cdk8s-plus workload, or its `ApiObject`. */
export function podOwnerOf(owner: IConstruct, appContainer: string | undefined): IPodOwner {
  const workload = cdk8sPlusWorkloadOf(owner);
  const pod = workload ? new Cdk8sPlusPod(workload) : new ManifestPod(apiObjectOf(owner));
  if (appContainer !== undefined) pod.chooseApp(appContainer);
  return pod;
}

/** The cdk8s-plus workload behind `owner`: the workload itself, or the object it renders. */
export function cdk8sPlusWorkloadOf(owner: IConstruct): kplus.AbstractPod | undefined {
  if (owner instanceof kplus.AbstractPod) return owner;
  const scope = owner.node.scope;
  if (owner instanceof ApiObject && scope instanceof kplus.AbstractPod && ApiObject.of(scope) === owner) return scope;
  return undefined;
}

function apiObjectOf(owner: IConstruct): ApiObject {
  let api: ApiObject;
  try {
    api = ApiObject.of(owner);
  } catch {
    throw new Error(
      `PodComposer: '${owner.node.path}' is neither an ApiObject nor a construct whose default child is one; ` +
        "pass the object that holds the pod template (for an Include, one of its 'apiObjects')",
    );
  }
  if (!hasPodTemplate(api.kind)) {
    throw new Error(
      `PodComposer: '${api.node.path}' is a ${api.kind} ('${api.name}'), which has no pod template; patterns ` +
        `attach to a ${POD_TEMPLATE_KINDS}`,
    );
  }
  return api;
}

/** A cdk8s-plus workload: facts and edits go through cdk8s-plus's own API. */
class Cdk8sPlusPod implements IPodOwner {
  public readonly path: string;
  public readonly apiObject: ApiObject;
  public readonly scope: IConstruct;
  private chosen?: kplus.Container;

  constructor(public readonly workload: kplus.AbstractPod) {
    this.path = workload.node.path;
    this.apiObject = ApiObject.of(workload);
    this.scope = workload;
  }

  public chooseApp(name: string): void {
    this.chosen = this.container(name);
  }

  /** The app container patterns use by default: the chosen one, else the first. */
  public get defaultApp(): kplus.Container | undefined {
    return this.chosen ?? this.workload.containers[0];
  }

  public appContainerNames(): string[] {
    return this.workload.containers.map((c) => c.name);
  }

  public nameOf(app: AppTarget): string {
    return typeof app === 'string' ? app : app.name;
  }

  public portNumberOf(app: AppTarget): number | undefined {
    return this.container(app).portNumber;
  }

  public envNamesOf(app: AppTarget): string[] {
    return Object.keys(this.container(app).env.variables);
  }

  public runAsUserOf(app: AppTarget): number | undefined {
    return this.container(app).securityContext.user;
  }

  public appPorts(): AppPort[] {
    return this.workload.containers.flatMap((c) => c.ports.map((p) => ({ number: p.number, name: p.name })));
  }

  public initContainerNames(): string[] {
    return this.workload.initContainers.map((c) => c.name);
  }

  public hasOtherVolume(volume: SharedVolume): boolean {
    return this.workload.volumes.some((v) => v.name === volume.name && v !== volume.volume);
  }

  public takenContainerNames(): string[] {
    // cdk8s-plus containers are checked with the rendered pod at synth, as they always were
    return [];
  }

  public podLabel(key: string): string | undefined {
    return this.workload.podMetadata.getLabel(key);
  }

  public selectorLabels(): { [key: string]: string } {
    // a Service selects a cdk8s-plus workload itself (cdk8s-plus adds its selector labels)
    return {};
  }

  public get namespace(): string | undefined {
    return this.workload.metadata.namespace ?? Chart.of(this.workload).namespace;
  }

  public get terminationGracePeriodSeconds(): number {
    return this.workload.terminationGracePeriod?.toSeconds() ?? 30;
  }

  public get serviceAccountName(): string | undefined {
    return this.workload.serviceAccount?.name;
  }

  public get automountsServiceToken(): boolean {
    return this.workload.automountServiceAccountToken;
  }

  public get podRunAsUser(): number | undefined {
    return this.workload.securityContext.user;
  }

  public get podFsGroup(): number | undefined {
    return this.workload.securityContext.fsGroup;
  }

  public addVolume(volume: SharedVolume): void {
    if (!this.workload.volumes.includes(volume.volume)) this.workload.addVolume(volume.volume);
  }

  public mount(app: AppTarget, volume: SharedVolume, mount: AppMount): void {
    this.container(app).mount(mount.path, volume.volume, { readOnly: mount.readOnly, subPath: mount.subPath });
  }

  public addEnv(app: AppTarget, name: string, value: kplus.EnvValue): void {
    this.container(app).env.addVariable(name, value);
  }

  public addPodLabel(key: string, value: string): void {
    this.workload.podMetadata.addLabel(key, value);
  }

  public addPodAnnotation(key: string, value: string | ProducedValue): void {
    const rendered =
      typeof value === 'string' ? value : (Lazy.any({ produce: () => value.produce() }) as unknown as string);
    this.workload.podMetadata.addAnnotation(key, rendered);
  }

  public servicesMadeByOwner(): kplus.Service[] {
    return servicesMadeByCdk8sPlus(this.workload);
  }

  public compose(manifest: any, probes: Map<AppTarget, HealthCheck>): void {
    const spec = podTemplateOf(this.apiObject.kind, manifest)?.spec;
    for (const [app, check] of probes) {
      const index = this.workload.containers.indexOf(this.container(app));
      const rendered = (spec?.containers ?? [])[index];
      if (rendered) rendered.startupProbe = sortKeys(check._toJson());
    }
  }

  private container(app: AppTarget): kplus.Container {
    if (typeof app !== 'string') return app;
    const found = this.workload.containers.find((c) => c.name === app);
    if (!found) throw unknownContainer(this.path, app, this.appContainerNames());
    return found;
  }
}

/** A label or annotation the composer puts on a manifest's pod template. */
interface MetadataEdit {
  readonly value: string | ProducedValue;
}

/**
 * Any `ApiObject` with a pod template. Facts are read from the object's base render (its resolved JSON, before
 * the library's edits and the user's patches); every edit is recorded and applied to the rendered JSON.
 */
class ManifestPod implements IPodOwner {
  public readonly path: string;
  public readonly scope: IConstruct;
  public readonly workload = undefined;
  private readonly base: () => any;
  private readonly kind: string;
  private readonly volumes: SharedVolume[] = [];
  private readonly mounts: Array<{ app: string; volume: SharedVolume; mount: AppMount }> = [];
  private readonly env: Array<{ app: string; name: string; value: kplus.EnvValue }> = [];
  private readonly labels = new Map<string, MetadataEdit>();
  private readonly annotations = new Map<string, MetadataEdit>();
  private chosen?: string;

  constructor(public readonly apiObject: ApiObject) {
    this.path = apiObject.node.path;
    this.scope = apiObject;
    this.kind = apiObject.kind;
    this.base = baseRender(apiObject);
    if (this.appContainerNames().length === 0) {
      throw new Error(
        `PodComposer '${this.path}': the ${this.kind}'s pod template has no containers; patterns add to a pod ` +
          'that has its app container',
      );
    }
  }

  public chooseApp(name: string): void {
    this.checkApp(name);
    this.chosen = name;
  }

  /** The app container patterns use by default: the chosen one, else the first. */
  public get defaultApp(): string {
    return this.chosen ?? this.appContainerNames()[0];
  }

  public appContainerNames(): string[] {
    return this.containers().map((c) => String(c.name));
  }

  public nameOf(app: AppTarget): string {
    return this.checkApp(typeof app === 'string' ? app : app.name);
  }

  public portNumberOf(app: AppTarget): number | undefined {
    const port = this.rendered(app).ports?.[0]?.containerPort;
    return typeof port === 'number' ? port : undefined;
  }

  public envNamesOf(app: AppTarget): string[] {
    const name = this.nameOf(app);
    return [
      ...(this.rendered(app).env ?? []).map((e: any) => String(e.name)),
      ...this.env.filter((e) => e.app === name).map((e) => e.name),
    ];
  }

  public runAsUserOf(app: AppTarget): number | undefined {
    return numberOrUndefined(this.rendered(app).securityContext?.runAsUser);
  }

  public appPorts(): AppPort[] {
    return this.containers().flatMap((c) =>
      (c.ports ?? []).map((p: any) => ({ number: p.containerPort, name: p.name ?? undefined })),
    );
  }

  public initContainerNames(): string[] {
    return (this.spec().initContainers ?? []).map((c: any) => String(c.name));
  }

  public hasOtherVolume(volume: SharedVolume): boolean {
    return (
      (this.spec().volumes ?? []).some((v: any) => v.name === volume.name) ||
      this.volumes.some((v) => v.name === volume.name && v !== volume)
    );
  }

  public takenContainerNames(): string[] {
    return [...this.initContainerNames(), ...this.appContainerNames()];
  }

  public podLabel(key: string): string | undefined {
    const edit = this.labels.get(key);
    if (edit) return typeof edit.value === 'string' ? edit.value : edit.value.produce();
    const value = this.template().metadata?.labels?.[key];
    return value === undefined ? undefined : String(value);
  }

  public selectorLabels(): { [key: string]: string } {
    const selector = this.kind === 'Pod' || this.kind === 'CronJob' ? undefined : this.base().spec?.selector;
    const labels = selector?.matchLabels ?? this.template().metadata?.labels ?? {};
    const result: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(labels)) result[k] = String(v);
    return result;
  }

  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace ?? Chart.of(this.apiObject).namespace;
  }

  public get terminationGracePeriodSeconds(): number {
    return numberOrUndefined(this.spec().terminationGracePeriodSeconds) ?? 30;
  }

  public get serviceAccountName(): string | undefined {
    const spec = this.spec();
    // serviceAccount is the deprecated spelling the API server still accepts
    return spec.serviceAccountName ?? spec.serviceAccount ?? undefined;
  }

  public get automountsServiceToken(): boolean {
    // Kubernetes mounts the token unless the pod (or its service account) says otherwise
    return this.spec().automountServiceAccountToken !== false;
  }

  public get podRunAsUser(): number | undefined {
    return numberOrUndefined(this.spec().securityContext?.runAsUser);
  }

  public get podFsGroup(): number | undefined {
    return numberOrUndefined(this.spec().securityContext?.fsGroup);
  }

  public addVolume(volume: SharedVolume): void {
    if (!this.volumes.includes(volume)) this.volumes.push(volume);
  }

  public mount(app: AppTarget, volume: SharedVolume, mount: AppMount): void {
    const name = this.nameOf(app);
    const rendered = this.rendered(name);
    const taken = [
      ...(rendered.volumeMounts ?? []).map((m: any) => m.mountPath),
      ...this.mounts.filter((m) => m.app === name).map((m) => m.mount.path),
    ];
    if (taken.includes(mount.path)) {
      throw new Error(
        `PodComposer '${this.path}': the app container '${name}' already mounts a volume at '${mount.path}'; ` +
          `mount the volume '${volume.name}' at another path`,
      );
    }
    this.mounts.push({ app: name, volume, mount });
  }

  public addEnv(app: AppTarget, name: string, value: kplus.EnvValue): void {
    const container = this.nameOf(app);
    if (this.envNamesOf(container).includes(name)) {
      throw new Error(
        `PodComposer '${this.path}': the app container '${container}' already sets the env variable '${name}'; ` +
          'choose another name',
      );
    }
    this.env.push({ app: container, name, value });
  }

  public addPodLabel(key: string, value: string): void {
    this.checkMetadata('label', this.template().metadata?.labels, key, value);
    this.labels.set(key, { value });
  }

  public addPodAnnotation(key: string, value: string | ProducedValue): void {
    if (typeof value === 'string') this.checkMetadata('annotation', this.template().metadata?.annotations, key, value);
    this.annotations.set(key, { value });
  }

  public servicesMadeByOwner(): kplus.Service[] {
    return [];
  }

  public compose(manifest: any, probes: Map<AppTarget, HealthCheck>): void {
    const template = podTemplateOf(this.kind, manifest);
    if (!template) return;
    const path = podSpecPath(this.kind);
    const spec = (template.spec ??= {});
    const containers: any[] = spec.containers ?? [];
    const find = (name: string) => containers.find((c) => c.name === name);

    if (this.volumes.length > 0) {
      const before: any[] = spec.volumes ?? [];
      spec.volumes = [
        ...before,
        ...this.volumes.map((v, i) =>
          sortKeys(
            resolve(
              [...path, 'volumes', `${before.length + i}`],
              kplus.k8s.toJson_Volume(v.volume._toKube()),
              this.apiObject,
            ),
          ),
        ),
      ];
    }
    for (const { app, volume, mount } of this.mounts) {
      const c = find(app);
      if (!c) continue;
      const m: any = { mountPath: mount.path, name: volume.name, readOnly: mount.readOnly };
      if (mount.subPath !== undefined) m.subPath = mount.subPath;
      c.volumeMounts = [...(c.volumeMounts ?? []), m];
    }
    for (const { app, name, value } of this.env) {
      const c = find(app);
      if (!c) continue;
      const entry: any = { name };
      if (value.value !== undefined) entry.value = resolve([], value.value, this.apiObject);
      if (value.valueFrom !== undefined) {
        entry.valueFrom = sortKeys(resolve([], kplus.k8s.toJson_EnvVarSource(value.valueFrom), this.apiObject));
      }
      c.env = [...(c.env ?? []), entry];
    }
    for (const [app, check] of probes) {
      const c = find(this.nameOf(app));
      if (c) c.startupProbe = sortKeys(check._toJson());
    }
    if (this.labels.size > 0 || this.annotations.size > 0) {
      const metadata = (template.metadata ??= {});
      applyMetadata(metadata, 'labels', this.labels);
      applyMetadata(metadata, 'annotations', this.annotations);
    }
  }

  private checkApp(name: string): string {
    const names = this.appContainerNames();
    if (!names.includes(name)) throw unknownContainer(this.path, name, names);
    return name;
  }

  private checkMetadata(what: string, existing: any, key: string, value: string): void {
    const current = existing?.[key];
    if (current !== undefined && String(current) !== value) {
      throw new Error(
        `PodComposer '${this.path}': the pod template already has the ${what} '${key}: ${current}'; it cannot ` +
          `also be '${value}': remove it from the manifest, or drop the pattern that sets it`,
      );
    }
  }

  private rendered(app: AppTarget): any {
    const name = typeof app === 'string' ? app : app.name;
    const found = this.containers().find((c) => c.name === name);
    if (!found) throw unknownContainer(this.path, name, this.appContainerNames());
    return found;
  }

  private template(): any {
    return podTemplateOf(this.kind, this.base()) ?? {};
  }

  private spec(): any {
    return this.template().spec ?? {};
  }

  private containers(): any[] {
    return this.spec().containers ?? [];
  }
}

function applyMetadata(metadata: any, field: 'labels' | 'annotations', edits: Map<string, MetadataEdit>): void {
  if (edits.size === 0) return;
  const values: { [key: string]: string } = { ...(metadata[field] ?? {}) };
  for (const [key, edit] of edits) values[key] = typeof edit.value === 'string' ? edit.value : edit.value.produce();
  metadata[field] = sortKeys(values);
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function unknownContainer(path: string, name: string, names: string[]): Error {
  return new Error(
    `PodComposer '${path}': the pod template has no app container named '${name}' (it has ` +
      `${names.map((n) => `'${n}'`).join(', ') || 'none'}); name one of them`,
  );
}
