/**
 * The whole app as the rules see it: every object, the pods inside workloads, Services and the pods they
 * select, where ConfigMaps and Secrets live, Namespaces, and the target Kubernetes version.
 */
import { podTemplatePath } from '../core/pod-template';

/** One container of a pod, with where it sits. */
export interface ContainerView {
  readonly container: any;
  readonly name: string;
  /** The container's field path ('spec.template.spec.initContainers[1]'). */
  readonly field: string;
  /** An init container (a regular step or a native sidecar). */
  readonly init: boolean;
  /** An init container with `restartPolicy: Always`. */
  readonly native: boolean;
  /** The position in its list. */
  readonly index: number;
}

/** A pod: a bare Pod or the template of a workload. */
export interface PodView {
  /** The object that holds it (the Pod, or the Deployment...). */
  readonly object: any;
  readonly kind: string;
  readonly name: string;
  /** The namespace it runs in ('default' when none is written). */
  readonly namespace: string;
  /** The pod's metadata (the template's, or the Pod's own). */
  readonly metadata: any;
  /** The pod's metadata path ('spec.template.metadata'). */
  readonly metadataPath: string;
  readonly spec: any;
  /** The pod spec's path ('spec.template.spec'). */
  readonly specPath: string;
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
  readonly initContainers: ContainerView[];
  readonly containers: ContainerView[];
  /** Init containers then app containers. */
  readonly all: ContainerView[];
}

function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringMap(value: unknown): { [key: string]: string } {
  return isObject(value) ? (value as { [key: string]: string }) : {};
}

function containerViews(spec: any, specPath: string, key: 'initContainers' | 'containers'): ContainerView[] {
  const list = Array.isArray(spec[key]) ? spec[key] : [];
  return list
    .map((c: any, index: number) => ({ c, index }))
    .filter(({ c }: { c: any }) => isObject(c))
    .map(({ c, index }: { c: any; index: number }) => ({
      container: c,
      name: String(c.name ?? `#${index}`),
      field: `${specPath}.${key}[${index}]`,
      init: key === 'initContainers',
      native: key === 'initContainers' && c.restartPolicy === 'Always',
      index,
    }));
}

/** The pod of an object, or undefined when the object holds none. */
export function podOf(object: any): PodView | undefined {
  if (!isObject(object) || typeof object.kind !== 'string') return undefined;
  const path = podTemplatePath(object.kind);
  if (!path) return undefined;
  let node: any = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  if (!isObject(node)) return undefined;
  const metadata = node.metadata;
  const spec = node.spec;
  const base = path.join('.');
  if (!isObject(spec)) return undefined;
  const specPath = base ? `${base}.spec` : 'spec';
  const initContainers = containerViews(spec, specPath, 'initContainers');
  const containers = containerViews(spec, specPath, 'containers');
  return {
    object,
    kind: object.kind,
    name: String(object.metadata?.name ?? ''),
    namespace: namespaceOf(object),
    metadata: isObject(metadata) ? metadata : {},
    metadataPath: base ? `${base}.metadata` : 'metadata',
    spec,
    specPath,
    labels: stringMap(metadata?.labels),
    annotations: stringMap(metadata?.annotations),
    initContainers,
    containers,
    all: [...initContainers, ...containers],
  };
}

/** The namespace an object lives in: its own, else 'default'. */
export function namespaceOf(object: any): string {
  const ns = object?.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** Whether every key of `selector` is in `labels` with the same value (an empty selector matches nothing). */
export function selects(selector: { [key: string]: string }, labels: { [key: string]: string }): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** The whole app. */
export class ManifestIndex {
  /** Every object that looks like a Kubernetes object (a kind and a metadata map). */
  public readonly objects: any[];
  public readonly pods: PodView[];
  public readonly services: any[];
  /** Namespace objects by name. */
  public readonly namespaces = new Map<string, any>();
  /** Where each Secret and ConfigMap is defined: kind, then name, then namespaces. */
  private readonly defined = new Map<string, Map<string, string[]>>();
  private readonly selected = new Map<any, PodView[]>();
  private readonly podByObject = new Map<any, PodView>();
  /** Pods by `namespace \0 key \0 value` of each of their labels, built on first use. */
  private byLabel?: Map<string, PodView[]>;

  constructor(
    objects: any[],
    /** The target Kubernetes minor version (29 for 1.29). */
    public readonly minor: number,
  ) {
    this.objects = objects.filter((o) => isObject(o) && typeof o.kind === 'string' && isObject(o.metadata));
    this.pods = [];
    this.services = [];
    for (const o of this.objects) {
      const pod = podOf(o);
      if (pod) {
        this.pods.push(pod);
        this.podByObject.set(o, pod);
      }
      if (o.kind === 'Service') this.services.push(o);
      if (o.kind === 'Namespace' && typeof o.metadata.name === 'string') this.namespaces.set(o.metadata.name, o);
      if ((o.kind === 'Secret' || o.kind === 'ConfigMap') && typeof o.metadata.name === 'string') {
        let byName = this.defined.get(o.kind);
        if (!byName) this.defined.set(o.kind, (byName = new Map()));
        byName.set(o.metadata.name, [...(byName.get(o.metadata.name) ?? []), namespaceOf(o)]);
      }
    }
  }

  /**
   * This app without the pods of some objects, for rules that look at one pod at a time: the same index, its
   * pod views shared, not built again.
   */
  public withoutPodsOf(objects: ReadonlySet<any>): ManifestIndex {
    const view: { pods: PodView[] } = Object.create(this);
    view.pods = this.pods.filter((p) => !objects.has(p.object));
    return view as ManifestIndex;
  }

  /** The pod an object of the app holds, or undefined. */
  public podOf(object: any): PodView | undefined {
    return this.podByObject.get(object);
  }

  /** The namespaces where the app defines a Secret or ConfigMap of this name. */
  public definedIn(kind: 'Secret' | 'ConfigMap', name: string): string[] {
    return this.defined.get(kind)?.get(name) ?? [];
  }

  /** The pods a Service selects: same namespace, every selector label on the pod. */
  public podsSelectedBy(service: any): PodView[] {
    let pods = this.selected.get(service);
    if (!pods) {
      const selector = stringMap(service.spec?.selector);
      const ns = namespaceOf(service);
      // the pods that carry the selector's first label, then the whole selector: linear in the app's size
      const first = Object.keys(selector)[0];
      const candidates = first === undefined ? [] : (this.labelIndex().get(labelKey(ns, first, selector[first])) ?? []);
      pods = candidates.filter((p) => selects(selector, p.labels));
      this.selected.set(service, pods);
    }
    return pods;
  }

  private labelIndex(): Map<string, PodView[]> {
    if (!this.byLabel) {
      this.byLabel = new Map();
      for (const pod of this.pods) {
        for (const [k, v] of Object.entries(pod.labels)) {
          const key = labelKey(pod.namespace, k, v);
          const list = this.byLabel.get(key);
          if (list) list.push(pod);
          else this.byLabel.set(key, [pod]);
        }
      }
    }
    return this.byLabel;
  }
}

function labelKey(namespace: string | undefined, key: string, value: string): string {
  return `${namespace ?? ''}\0${key}\0${value}`;
}
