import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppSecurity } from './app-security';
import { KubernetesVersion } from './kubernetes-version';
import { PodComposer } from './pod-composer';
import { ServiceExposeOptions } from './service-exposure';
import { EffectiveResources } from './resource-accounting';
import { checkPortName } from './names';
import { checkContainerProps, checkObjectName } from './workload-checks';
import { WorkloadKind } from './workload-kind';

/** Props for `AppWorkload`. */
export interface AppWorkloadProps {
  /** The app container. */
  readonly container: kplus.ContainerProps;

  /**
   * The workload kind and its cdk8s-plus props.
   * @default WorkloadKind.deployment()
   */
  readonly kind?: WorkloadKind;

  /**
   * The Kubernetes version this workload targets (decides native versus classic sidecars).
   * @default - the target set with `KubernetesVersion.setTarget`, else 1.29
   */
  readonly kubernetesVersion?: KubernetesVersion;

  /**
   * The Pod Security Standards profile of the containers this workload creates (the app container and any
   * others the kind's props list). Containers added later with `workload.addContainer` are left as given.
   * @default AppSecurity.restricted()
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   */
  readonly security?: AppSecurity;
}

/**
 * The base workload: one pod template with an app container, onto which init and sidecar patterns
 * compose. It wraps a cdk8s-plus workload (`workload`) for anything not modelled here.
 *
 * @example
 * const app = new AppWorkload(chart, 'order-service', {
 *   kind: WorkloadKind.deployment({ replicas: 3 }),
 *   container: { image: 'company/order-service:3.4.1', portNumber: 8080 },
 * });
 * new WaitForService(app, 'wait-for-postgres', {
 *   workload: app.workload,
 *   targets: [WaitTarget.tcp('postgres-svc', 5432)],
 * });
 * app.exposeViaService();
 */
export class AppWorkload extends Construct {
  /** The underlying cdk8s-plus workload. */
  public readonly workload: kplus.AbstractPod;

  /** The app container. */
  public readonly container: kplus.Container;

  /** The composition mechanism patterns add to. */
  public readonly composer: PodComposer;

  /** The Pod Security Standards profile the workload's own containers are held to. */
  public readonly security: AppSecurity;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: AppWorkloadProps) {
    super(scope, id);
    const kind = props.kind ?? WorkloadKind.deployment();
    this.security = props.security ?? AppSecurity.restricted();
    const owner = `AppWorkload '${this.node.path}'`;
    // The app container is passed at construction: a StatefulSet derives its Service's ports from it.
    this.workload = kind._create(this, 'Workload', props.container, (c, where) => {
      const at = `${owner}: ${where}${c.name ? ` '${c.name}'` : ''}`;
      checkContainerProps(at, c);
      return { ...c, securityContext: this.security._apply(at, c.securityContext) };
    });
    checkObjectName(owner, ApiObject.of(this.workload), kind.kind === 'CronJob' ? 52 : 253);
    this.container = this.workload.containers[0];
    this.composer = PodComposer.of(this.workload);
    if (props.kubernetesVersion) {
      this.composer.overrideKubernetesVersion(props.kubernetesVersion);
    }
  }

  /**
   * Exposes the app through a Service. When a proxy sidecar (such as `OAuth2ProxySidecar`) is the pod's
   * front door, the Service targets the proxy's port, not the app's.
   */
  public exposeViaService(options: ServiceExposeOptions = {}): kplus.Service {
    const name = options.name;
    if (name !== undefined && (name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))) {
      throw new Error(
        `AppWorkload '${this.node.path}': the Service's 'name' must be a DNS-1035 label (lower-case letters, ` +
          `digits and '-', starting with a letter, at most 63 characters), got ${JSON.stringify(name)}`,
      );
    }
    if (options.portName !== undefined) checkPortName(`AppWorkload '${this.node.path}'`, 'portName', options.portName);
    const service = this.composer.exposeViaService(this, 'Service', options);
    checkObjectName(`AppWorkload '${this.node.path}': exposeViaService`, ApiObject.of(service));
    return service;
  }

  /** The workload as a Deployment; throws for another kind. */
  public get deployment(): kplus.Deployment {
    return this.as(kplus.Deployment, 'deployment', 'Deployment');
  }

  /** The workload as a StatefulSet; throws for another kind. */
  public get statefulSet(): kplus.StatefulSet {
    return this.as(kplus.StatefulSet, 'statefulSet', 'StatefulSet');
  }

  /** The workload as a DaemonSet; throws for another kind. */
  public get daemonSet(): kplus.DaemonSet {
    return this.as(kplus.DaemonSet, 'daemonSet', 'DaemonSet');
  }

  /** The workload as a Job; throws for another kind. */
  public get job(): kplus.Job {
    return this.as(kplus.Job, 'job', 'Job');
  }

  /** The workload as a CronJob; throws for another kind. */
  public get cronJob(): kplus.CronJob {
    return this.as(kplus.CronJob, 'cronJob', 'CronJob');
  }

  /** The workload as a bare Pod; throws for another kind. */
  public get pod(): kplus.Pod {
    return this.as(kplus.Pod, 'pod', 'Pod');
  }

  /** The pod's effective requests and limits for scheduling. */
  public effectiveResources(): EffectiveResources {
    return this.composer.effectiveResources();
  }

  private as<T extends kplus.AbstractPod>(type: new (...args: any[]) => T, accessor: string, kind: string): T {
    if (this.workload instanceof type) return this.workload;
    const actual = ApiObject.of(this.workload).kind;
    const own = ACCESSORS[actual];
    throw new Error(
      `AppWorkload '${this.node.path}': '${accessor}' is for a ${kind} (WorkloadKind.${accessor}()), but this ` +
        `workload is a ${actual}; use '${own}', or 'workload' for what every kind has`,
    );
  }
}

/** The typed accessor of each kind. */
const ACCESSORS: { [kind: string]: string } = {
  Deployment: 'deployment',
  StatefulSet: 'statefulSet',
  DaemonSet: 'daemonSet',
  Job: 'job',
  CronJob: 'cronJob',
  Pod: 'pod',
};
