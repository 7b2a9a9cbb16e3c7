/**
 * Generator (c), the floor: the same plain objects, cloned per workload from workload 0's render with the
 * names changed, and serialized with cdk8s's own YAML writer. No constructs, no resolution, no mapping:
 * what is left is building the objects and writing YAML, which any generator of these manifests pays.
 */
import { createHash } from 'crypto';
import { Names } from 'cdk8s';
import { CHART_ID, workloadId } from './shape';

/** The pod label cdk8s-plus selects a workload's pods by. */
const SELECTOR_LABEL = 'cdk8s.io/metadata.addr';

/** The address `constructs` gives the construct at `path` (under the App, whose id is ''). */
function constructAddress(path: string[]): string {
  const hash = createHash('sha1');
  for (const id of ['', ...path]) {
    hash.update(id);
    hash.update('\n');
  }
  return `c8${hash.digest('hex')}`;
}

/** Something with a construct's path and address, which is all cdk8s's `Names` reads. */
function pathNode(path: string[]): any {
  return { node: { path: path.join('/'), addr: constructAddress(path) } };
}

/** The names cdk8s gives workload `i`'s objects: the same construct paths give the same names. */
function namesOf(i: number) {
  const base = [CHART_ID, workloadId(i)];
  return {
    deployment: Names.toDnsLabel(pathNode([...base, 'Workload', 'Resource'])),
    selector: Names.toLabelValue(pathNode([...base, 'Workload'])),
    configMap: Names.toDnsLabel(pathNode([...base, 'logs-shipper', 'Config', 'Resource'])),
    service: Names.toDnsLabel(pathNode([...base, 'Service', 'Resource'])),
  };
}

/** A deep copy of a JSON value. */
function copy(value: any): any {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const out: any = {};
    for (const key of Object.keys(value)) out[key] = copy(value[key]);
    return out;
  }
  return value;
}

/** Workload i's plain objects, made from workload 0's. */
export class Floor {
  private readonly deployment: any;
  private readonly configMap: any;
  private readonly service: any;

  constructor(workload0: any[]) {
    const ofKind = (kind: string) => {
      const found = workload0.find((o) => o.kind === kind);
      if (!found) throw new Error(`bench: the floor's template has no ${kind}`);
      return found;
    };
    this.deployment = ofKind('Deployment');
    this.configMap = ofKind('ConfigMap');
    this.service = ofKind('Service');
  }

  /** The objects of workload `i`, in the order cdk8s writes them. */
  public objects(i: number): any[] {
    const names = namesOf(i);
    const deployment = copy(this.deployment);
    deployment.metadata.name = names.deployment;
    deployment.spec.selector.matchLabels[SELECTOR_LABEL] = names.selector;
    const template = deployment.spec.template;
    template.metadata.labels[SELECTOR_LABEL] = names.selector;
    for (const volume of template.spec.volumes) {
      if (volume.configMap?.name === this.configMap.metadata.name) volume.configMap.name = names.configMap;
    }
    const configMap = copy(this.configMap);
    configMap.metadata.name = names.configMap;
    const service = copy(this.service);
    service.metadata.name = names.service;
    service.spec.selector[SELECTOR_LABEL] = names.selector;
    return [deployment, configMap, service];
  }
}
