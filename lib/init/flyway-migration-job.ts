import { ApiObject, ApiObjectMetadata, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkObjectMetadata, checkObjectName } from '../core/workload-checks';
import { checkPullPolicy, hardenRenderedContainer } from '../core/hardening';
import { checkDnsLabel, checkImage, checkInteger } from '../core/names';
import { PodComposer } from '../core/pod-composer';
import { FlywayMigration, FlywayMigrationOptions } from './flyway-migration';

/** Props for `FlywayMigrationJob`. */
export interface FlywayMigrationJobProps extends FlywayMigrationOptions {
  /**
   * The Job's metadata (name, namespace, labels). A Job's pod template cannot be changed once created: give
   * each release its own name, or set `ttlAfterFinished` so the finished Job is removed before the next one.
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The Flyway container's name.
   * @default 'flyway'
   */
  readonly containerName?: string;

  /**
   * The Flyway image.
   * @default FlywayMigration.DEFAULT_IMAGE ('flyway/flyway:10.12.0')
   */
  readonly image?: string;

  /**
   * When the kubelet pulls the image. An image without a tag, or tagged `latest`, is refused with
   * `IF_NOT_PRESENT`.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * The Flyway container's requests and limits.
   * @default - 100m CPU / 256 MiB requested, 500m CPU / 512 MiB limit
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * How many times a failed migration is retried.
   * @default 2
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy
   */
  readonly backoffLimit?: number;

  /**
   * Delete the Job this long after it finishes.
   * @default - the Job is kept
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Fail the Job when it runs longer than this.
   * @default - no deadline
   */
  readonly activeDeadline?: Duration;
}

/**
 * Runs Flyway once, as the main container of a Job: the way to migrate once per release rather than in
 * every pod of a workload. It is configured like `FlywayMigration` (credentials only through `FLYWAY_USER`
 * and `FLYWAY_PASSWORD`, scripts mounted read-only, a hash of the scripts' ConfigMap on the pod template)
 * and runs with the same hardening (uid 65534, read-only root file system, no capabilities).
 *
 * @example
 * const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
 * new FlywayMigrationJob(chart, 'migrate', {
 *   metadata: { name: 'user-service-migrate-5-0-0' },
 *   jdbcUrl: 'jdbc:postgresql://postgres-svc:5432/users',
 *   user: { secret: credentials, key: 'username' },
 *   password: { secret: credentials, key: 'password' },
 *   scripts: FlywayScripts.fromConfigMap(sqlConfigMap),
 *   ttlAfterFinished: Duration.hours(1),
 * });
 */
export class FlywayMigrationJob extends Construct {
  /** The Job. */
  public readonly job: kplus.Job;

  /** The Flyway container. */
  public readonly container: kplus.Container;

  /** The annotation that carries the hash of the scripts' ConfigMap, when there is one. */
  public readonly checksumAnnotation?: string;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: FlywayMigrationJobProps) {
    super(scope, id);
    const owner = `FlywayMigrationJob '${id}'`;
    const name = checkDnsLabel(owner, 'containerName', props.containerName ?? 'flyway');
    const image = checkImage(owner, 'image', props.image ?? FlywayMigration.DEFAULT_IMAGE);
    const backoffLimit = checkInteger(owner, 'backoffLimit', props.backoffLimit ?? 2, 0, 100);
    // a Job's name is also a label value on its pods: at most 63 characters
    checkObjectMetadata(owner, props.metadata, 63);
    // both render as int32 seconds
    if (props.ttlAfterFinished)
      checkInteger(owner, 'ttlAfterFinished', props.ttlAfterFinished.toSeconds({ integral: false }), 0, 2147483647);
    if (props.activeDeadline)
      checkInteger(owner, 'activeDeadline', props.activeDeadline.toSeconds({ integral: false }), 1, 2147483647);
    checkPullPolicy(owner, image, props.imagePullPolicy);

    this.job = new kplus.Job(this, 'Job', {
      // an explicit `name: undefined` would erase the name cdk8s generates
      metadata: props.metadata && Object.fromEntries(Object.entries(props.metadata).filter(([, v]) => v !== undefined)),
      backoffLimit,
      ttlAfterFinished: props.ttlAfterFinished,
      activeDeadline: props.activeDeadline,
    });
    checkObjectName(owner, ApiObject.of(this.job), 63);
    const parts = FlywayMigration._containerParts(this, PodComposer.of(this.job), owner, name, props, props.resources);
    this.container = this.job.addContainer({
      name,
      image,
      args: parts.args,
      envVariables: parts.env,
      resources: parts.resources,
      volumeMounts: [
        {
          volume: parts.scriptsMount.volume.volume,
          path: parts.scriptsMount.path,
          subPath: parts.scriptsMount.subPath,
          readOnly: true,
        },
        { volume: parts.scratch.volume, path: '/tmp', readOnly: false },
      ],
    });
    // the same hardening as every helper container, termination message included
    hardenRenderedContainer(this.job, '/spec/template/spec/containers/0', { imagePullPolicy: props.imagePullPolicy });
    this.checksumAnnotation = parts.checksumAnnotation;
  }
}
