import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkDnsLabel, checkImage, dnsLabelFromId } from './names';
import { PodComposer } from './pod-composer';
import { IPodPart, SidecarMode } from './pod-parts';

/** Props every pattern shares. */
export interface PodPatternProps {
  /**
   * The pod template to add to: `AppWorkload.workload` or any cdk8s-plus Deployment, StatefulSet, DaemonSet,
   * Job, CronJob or Pod; or any cdk8s `ApiObject` of kind Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * Job or CronJob, whoever made it (a `k8s.KubeDeployment`, an imported `KubeJob`, an object of an `Include`),
   * or a construct whose default child is one. Choose its app container with
   * `PodComposer.of(owner, { appContainer })` first; the default is its first container.
   */
  readonly workload: IConstruct;

  /**
   * The helper container's name.
   * @default - the construct id as a DNS-1123 label
   */
  readonly containerName?: string;

  /**
   * The helper container's image.
   * @default - a pinned image chosen by each pattern
   */
  readonly image?: string;

  /**
   * When the kubelet pulls the helper's image. An image without a tag, or tagged `latest`, is refused with
   * `IF_NOT_PRESENT`.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * The helper container's requests and limits.
   * @default - small explicit values chosen by each pattern
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Init steps and native sidecars this helper must start after.
   * @default - after the helpers declared before it
   */
  readonly after?: IPodPart[];
}

/** Props every sidecar pattern shares. */
export interface SidecarPatternProps extends PodPatternProps {
  /**
   * Native or classic rendering.
   * @default SidecarMode.AUTO (native from Kubernetes 1.29)
   */
  readonly mode?: SidecarMode;
}

/**
 * The base of every pattern: a construct that adds one helper container (and what it needs) to a
 * workload's pod through its `PodComposer`.
 */
export abstract class PodPattern extends Construct implements IPodPart {
  /** The helper container's name in the pod. */
  public readonly containerName: string;

  /** The composer of the workload this pattern adds to. */
  public readonly composer: PodComposer;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  protected constructor(scope: Construct, id: string, props: PodPatternProps) {
    super(scope, id);
    this.composer = PodComposer.of(props.workload);
    this.containerName = checkDnsLabel(
      `${this.constructor.name} '${id}'`,
      'containerName',
      props.containerName ?? dnsLabelFromId(id),
    );
    if (props.image !== undefined) checkImage(`${this.constructor.name} '${id}'`, 'image', props.image);
  }

  /** A short owner string for error messages: `WaitForService 'db'`. */
  protected get owner(): string {
    return `${this.constructor.name} '${this.node.id}'`;
  }
}
