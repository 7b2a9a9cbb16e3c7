import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Which cdk8s-plus workload an `AppWorkload` wraps, with that workload's own props (everything
 * cdk8s-plus models stays available).
 */
export class WorkloadKind {
  /** A Deployment (the default). */
  public static deployment(props: kplus.DeploymentProps = {}): WorkloadKind {
    return new WorkloadKind('Deployment', (scope, id, app) => new kplus.Deployment(scope, id, withApp(props, app)));
  }

  /** A StatefulSet. */
  public static statefulSet(props: kplus.StatefulSetProps = {}): WorkloadKind {
    return new WorkloadKind('StatefulSet', (scope, id, app) => new kplus.StatefulSet(scope, id, withApp(props, app)));
  }

  /** A DaemonSet. */
  public static daemonSet(props: kplus.DaemonSetProps = {}): WorkloadKind {
    return new WorkloadKind('DaemonSet', (scope, id, app) => new kplus.DaemonSet(scope, id, withApp(props, app)));
  }

  /** A Job (its pods run to completion). */
  public static job(props: kplus.JobProps = {}): WorkloadKind {
    return new WorkloadKind('Job', (scope, id, app) => new kplus.Job(scope, id, withApp(props, app)));
  }

  /** A CronJob (its pods run to completion). */
  public static cronJob(props: kplus.CronJobProps): WorkloadKind {
    return new WorkloadKind('CronJob', (scope, id, app) => new kplus.CronJob(scope, id, withApp(props, app)));
  }

  /** A bare Pod. */
  public static pod(props: kplus.PodProps = {}): WorkloadKind {
    return new WorkloadKind('Pod', (scope, id, app) => new kplus.Pod(scope, id, withApp(props, app)));
  }

  private constructor(
    /** The Kubernetes kind: 'Deployment', 'Job', ... */
    public readonly kind: string,
    private readonly build: (scope: Construct, id: string, app: kplus.ContainerProps) => kplus.AbstractPod,
  ) {}

  /** @internal */
  public _create(scope: Construct, id: string, app: kplus.ContainerProps): kplus.AbstractPod {
    return this.build(scope, id, app);
  }
}

/** The workload's props with the app container first. */
function withApp<T extends kplus.AbstractPodProps>(props: T, app: kplus.ContainerProps): T {
  return { ...props, containers: [app, ...(props.containers ?? [])] };
}
