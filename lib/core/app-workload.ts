import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubernetesVersion } from './kubernetes-version';
import { PodComposer } from './pod-composer';
import { ServiceExposeOptions } from './service-exposure';
import { EffectiveResources } from './resource-accounting';
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
 * new WaitForService(chart, 'wait-for-postgres', {
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

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: AppWorkloadProps) {
    super(scope, id);
    const kind = props.kind ?? WorkloadKind.deployment();
    // The app container is passed at construction: a StatefulSet derives its Service's ports from it.
    this.workload = kind._create(this, 'Workload', props.container);
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
    return this.composer.exposeViaService(this, 'Service', options);
  }

  /** The pod's effective requests and limits for scheduling. */
  public effectiveResources(): EffectiveResources {
    return this.composer.effectiveResources();
  }
}
