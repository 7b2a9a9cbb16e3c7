import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Which cdk8s-plus workload an `AppWorkload` wraps, with that workload's own props (everything
 * cdk8s-plus models stays available).
 */
export class WorkloadKind {
  /** A Deployment (the default). */
  public static deployment(props: kplus.DeploymentProps = {}): WorkloadKind {
    return new WorkloadKind(
      'Deployment',
      (scope, id, app, harden) => new kplus.Deployment(scope, id, withApp(props, app, harden)),
    );
  }

  /** A StatefulSet. */
  public static statefulSet(props: kplus.StatefulSetProps = {}): WorkloadKind {
    return new WorkloadKind(
      'StatefulSet',
      (scope, id, app, harden) => new kplus.StatefulSet(scope, id, withApp(props, app, harden)),
    );
  }

  /** A DaemonSet. */
  public static daemonSet(props: kplus.DaemonSetProps = {}): WorkloadKind {
    return new WorkloadKind(
      'DaemonSet',
      (scope, id, app, harden) => new kplus.DaemonSet(scope, id, withApp(props, app, harden)),
    );
  }

  /** A Job (its pods run to completion). */
  public static job(props: kplus.JobProps = {}): WorkloadKind {
    return new WorkloadKind('Job', (scope, id, app, harden) => new kplus.Job(scope, id, withApp(props, app, harden)));
  }

  /** A CronJob (its pods run to completion). */
  public static cronJob(props: kplus.CronJobProps): WorkloadKind {
    return new WorkloadKind(
      'CronJob',
      (scope, id, app, harden) => new kplus.CronJob(scope, id, withApp(props, app, harden)),
    );
  }

  /** A bare Pod. */
  public static pod(props: kplus.PodProps = {}): WorkloadKind {
    return new WorkloadKind('Pod', (scope, id, app, harden) => new kplus.Pod(scope, id, withApp(props, app, harden)));
  }

  private constructor(
    /** The Kubernetes kind: 'Deployment', 'Job', ... */
    public readonly kind: string,
    private readonly build: (
      scope: Construct,
      id: string,
      app: kplus.ContainerProps,
      harden: Harden,
    ) => kplus.AbstractPod,
  ) {}

  /**
   * Creates the workload with `app` as its first container; `harden` gives every container of the props
   * (the app's, and any others the kind's props list) its security context.
   * @internal
   */
  public _create(
    scope: Construct,
    id: string,
    app: kplus.ContainerProps,
    harden: (container: kplus.ContainerProps, where: string) => kplus.ContainerProps = (c) => c,
  ): kplus.AbstractPod {
    return this.build(scope, id, app, harden);
  }
}

type Harden = (container: kplus.ContainerProps, where: string) => kplus.ContainerProps;

/** The workload's props with the app container first, every container hardened. */
function withApp<T extends kplus.AbstractPodProps>(props: T, app: kplus.ContainerProps, harden: Harden): T {
  return {
    ...props,
    containers: [
      harden(app, 'container'),
      ...(props.containers ?? []).map((c, i) => harden(c, `kind containers[${i}]`)),
    ],
    initContainers: props.initContainers?.map((c, i) => harden(c, `kind initContainers[${i}]`)),
  };
}
