import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkLabels, checkObjectMetadata, checkReplicas, checkSchedule } from './workload-checks';

/**
 * Which cdk8s-plus workload an `AppWorkload` wraps, with that workload's own props (everything
 * cdk8s-plus models stays available).
 */
export class WorkloadKind {
  /** A Deployment (the default). */
  public static deployment(props: kplus.DeploymentProps = {}): WorkloadKind {
    checkKindProps('deployment', props);
    checkReplicas('WorkloadKind.deployment', props.replicas);
    return new WorkloadKind(
      'Deployment',
      (scope, id, app, harden) => new kplus.Deployment(scope, id, withApp(props, app, harden)),
    );
  }

  /** A StatefulSet. */
  public static statefulSet(props: kplus.StatefulSetProps = {}): WorkloadKind {
    checkKindProps('statefulSet', props);
    checkReplicas('WorkloadKind.statefulSet', props.replicas);
    return new WorkloadKind('StatefulSet', (scope, id, app, harden) => {
      const hasPort = [app, ...(props.containers ?? [])].some((c) => c.portNumber !== undefined || c.ports?.length);
      if (props.service === undefined && !hasPort) {
        throw new Error(
          `WorkloadKind.statefulSet: a StatefulSet needs a Service, made from its containers' ports, but no ` +
            `container has a port; give the app container 'portNumber', or pass 'service'`,
        );
      }
      return new kplus.StatefulSet(scope, id, withApp(props, app, harden));
    });
  }

  /** A DaemonSet. */
  public static daemonSet(props: kplus.DaemonSetProps = {}): WorkloadKind {
    checkKindProps('daemonSet', props);
    return new WorkloadKind(
      'DaemonSet',
      (scope, id, app, harden) => new kplus.DaemonSet(scope, id, withApp(props, app, harden)),
    );
  }

  /** A Job (its pods run to completion). */
  public static job(props: kplus.JobProps = {}): WorkloadKind {
    checkKindProps('job', props);
    return new WorkloadKind('Job', (scope, id, app, harden) => new kplus.Job(scope, id, withApp(props, app, harden)));
  }

  /** A CronJob (its pods run to completion). */
  public static cronJob(props: kplus.CronJobProps): WorkloadKind {
    checkKindProps('cronJob', props);
    checkSchedule('WorkloadKind.cronJob', props.schedule);
    return new WorkloadKind(
      'CronJob',
      (scope, id, app, harden) => new kplus.CronJob(scope, id, withApp(props, app, harden)),
    );
  }

  /** A bare Pod. */
  public static pod(props: kplus.PodProps = {}): WorkloadKind {
    checkKindProps('pod', props);
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
  const metadata = props.metadata && definedOnly(props.metadata);
  return {
    ...props,
    // cdk8s spreads metadata over its defaults: an explicit `name: undefined` would erase the generated name
    ...(metadata ? { metadata } : {}),
    containers: [
      harden(app, 'container'),
      ...(props.containers ?? []).map((c, i) => harden(c, `kind containers[${i}]`)),
    ],
    initContainers: props.initContainers?.map((c, i) => harden(c, `kind initContainers[${i}]`)),
  };
}

/** Checks the metadata a kind's props carry: the object's and, for workloads with a template, the pod's. */
function checkKindProps(kind: string, props: kplus.AbstractPodProps & { podMetadata?: ApiObjectMetadata }): void {
  const owner = `WorkloadKind.${kind}`;
  // A CronJob's name gets an 11-character suffix for its Jobs, which must fit in 63.
  checkObjectMetadata(owner, props.metadata, kind === 'cronJob' ? 52 : 253);
  checkLabels(owner, 'podMetadata.labels', props.podMetadata?.labels);
}

/** The object without its keys whose value is undefined. */
function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
