import * as kplus from 'cdk8s-plus-28';

/** Options for `PodComposer.exposeViaService`. */
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
