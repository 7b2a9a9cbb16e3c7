import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { renderThrough } from './rendering';

/**
 * The pod-template annotation that names a pod's front door, `<container>:<port>`: the proxy every Service
 * that selects the pod must send its traffic to. The rules read it from any manifest.
 */
export const FRONT_DOOR_ANNOTATION = 'pod-patterns.cdk8s.io/front-door';

/** A port of an app container, by number and, when it has one, name. */
export interface AppPort {
  readonly number: number;
  readonly name?: string;
}

/** The proxy that receives a pod's Service traffic. */
export interface FrontDoorClaim {
  /** The proxy's container port. */
  readonly port: number;
  /** The proxy's container name. */
  readonly by: string;
}

/**
 * Sends the ports of a rendered Service that target an app container (by number or by name) to the front door.
 * With `everyPort`, every port goes to the front door (a Service made for the pod by the library).
 */
export function retargetServicePorts(service: any, appPorts: AppPort[], door: FrontDoorClaim, everyPort: boolean): any {
  const ports: any[] | undefined = service?.spec?.ports;
  if (!Array.isArray(ports)) return service;
  service.spec.ports = ports.map((p) => {
    const target = p.targetPort ?? p.port;
    const toApp = appPorts.some((a) => a.number === target || (a.name !== undefined && a.name === target));
    return everyPort || toApp ? { ...p, targetPort: door.port } : p;
  });
  return service;
}

/**
 * Services cdk8s-plus made for a workload: `workload.exposeViaService()` and a StatefulSet's governing Service
 * are created as children of the workload.
 */
export function servicesMadeByCdk8sPlus(workload: kplus.AbstractPod): kplus.Service[] {
  return workload.node.children.filter((c): c is kplus.Service => c instanceof kplus.Service);
}

/** Makes a Service render with its app-bound ports sent to the pod's front door, once a front door is claimed. */
export class FrontDoorRouting {
  private readonly routed = new Set<ApiObject>();

  constructor(
    private readonly door: () => FrontDoorClaim | undefined,
    private readonly appPorts: () => AppPort[],
  ) {}

  /** Routes a Service through the front door (idempotent). */
  public route(service: kplus.Service, everyPort: boolean): void {
    const api = ApiObject.of(service);
    if (this.routed.has(api)) return;
    this.routed.add(api);
    renderThrough(api, {
      transform: (json) => {
        const door = this.door();
        return door ? retargetServicePorts(json, this.appPorts(), door, everyPort) : json;
      },
    });
  }
}
