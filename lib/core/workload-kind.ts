import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Which cdk8s-plus workload an `AppWorkload` wraps, with that workload's own props (everything
 * cdk8s-plus models stays available).
 */
export class WorkloadKind {
  /** A Deployment (the default). */
  public static deployment(props: kplus.DeploymentProps = {}): WorkloadKind {
    return new WorkloadKind('Deployment', (scope, id) => new kplus.Deployment(scope, id, props));
  }

  /** A StatefulSet. */
  public static statefulSet(props: kplus.StatefulSetProps = {}): WorkloadKind {
    return new WorkloadKind('StatefulSet', (scope, id) => new kplus.StatefulSet(scope, id, props));
  }

  /** A DaemonSet. */
  public static daemonSet(props: kplus.DaemonSetProps = {}): WorkloadKind {
    return new WorkloadKind('DaemonSet', (scope, id) => new kplus.DaemonSet(scope, id, props));
  }

  /** A Job (its pods run to completion). */
  public static job(props: kplus.JobProps = {}): WorkloadKind {
    return new WorkloadKind('Job', (scope, id) => new kplus.Job(scope, id, props));
  }

  /** A CronJob (its pods run to completion). */
  public static cronJob(props: kplus.CronJobProps): WorkloadKind {
    return new WorkloadKind('CronJob', (scope, id) => new kplus.CronJob(scope, id, props));
  }

  /** A bare Pod. */
  public static pod(props: kplus.PodProps = {}): WorkloadKind {
    return new WorkloadKind('Pod', (scope, id) => new kplus.Pod(scope, id, props));
  }

  private constructor(
    /** The Kubernetes kind: 'Deployment', 'Job', ... */
    public readonly kind: string,
    private readonly build: (scope: Construct, id: string) => kplus.AbstractPod,
  ) {}

  /** @internal */
  public _create(scope: Construct, id: string): kplus.AbstractPod {
    return this.build(scope, id);
  }
}
