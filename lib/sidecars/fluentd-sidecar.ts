import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configMapVolume, userConfigVolumeName } from '../core/config-volume';
import {
  checkAbsolutePath,
  checkDnsLabel,
  checkHost,
  checkInteger,
  checkPort,
  checkRelativePath,
  derivedName,
} from '../core/names';
import { Sidecar, SidecarMode } from '../core/pod-parts';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { referenceSecretValue } from '../core/references';
import { mib } from '../core/render';
import { HelperMount, SharedVolume } from '../core/shared-volume';
import { TlsTrust, trustVolumeName } from '../core/tls-trust';
import { mergeUserEnv, mountLogsIntoApp } from './log-shipper';

/** Where the image reads its configuration (`fluentd -c /fluentd/etc/$FLUENTD_CONF`). */
const CONFIG_MOUNT_PATH = '/fluentd/etc';
/** Where the Elasticsearch CA bundle is mounted. */
const TLS_MOUNT_PATH = '/fluentd/tls';

/** Props for `FluentdSidecar`. */
export interface FluentdSidecarProps extends PodPatternProps {
  /**
   * Native or classic rendering. Fluentd sidecars are classic by default, as they are usually run; in a Job
   * or CronJob pass `SidecarMode.AUTO` (native on Kubernetes 1.29+) or `SidecarMode.NATIVE`.
   * @default SidecarMode.CLASSIC
   */
  readonly mode?: SidecarMode;

  /** The volume the app writes its log files to. The sidecar mounts it read-only. */
  readonly logVolume: SharedVolume;

  /**
   * The Fluentd configuration, mounted at `/fluentd/etc`. It replaces the image's own configuration
   * files there: point `<source>` at `logMountPath`, and keep `pos_file` and file buffers under
   * `stateMountPath` (every other path is read-only or not writable for the sidecar's user). For a ConfigMap
   * defined in the app, a hash of its data becomes the pod annotation
   * `checksum.cdk8s-pod-patterns/<containerName>`, so that a change rolls the pods.
   */
  readonly configMap: kplus.IConfigMap;

  /**
   * The key of the main configuration file in `configMap` (`FLUENTD_CONF`).
   * @default 'fluent.conf' (the image's default)
   */
  readonly configFile?: string;

  /**
   * The volume name of `configMap` in the pod spec.
   * @default - the ConfigMap's name when it is a DNS-1123 label, else `<containerName>-config`
   */
  readonly configVolumeName?: string;

  /**
   * Where the sidecar mounts `logVolume`.
   * @default '/var/log/app'
   */
  readonly logMountPath?: string;

  /**
   * Where the sidecar's own writable volume is mounted, for `pos_file` and file buffers.
   * @default '/fluentd/state'
   */
  readonly stateMountPath?: string;

  /**
   * Size limit of the state volume, in MiB. File buffers count against it.
   * @default 256
   */
  readonly stateSizeLimitMiB?: number;

  /**
   * Also mount `logVolume` read-write into the app container at this path.
   * @default - the app's mount is left to you (`composer.mountIntoApp(logVolume, path, { readOnly: false })`)
   */
  readonly appMountPath?: string;

  /**
   * The Elasticsearch host, passed as `FLUENT_ELASTICSEARCH_HOST` for the configuration to read with
   * `"#{ENV['FLUENT_ELASTICSEARCH_HOST']}"`.
   * @default - no Elasticsearch variables; the configuration names its destination itself
   */
  readonly elasticsearchHost?: string;

  /**
   * The Elasticsearch port (`FLUENT_ELASTICSEARCH_PORT`). Needs `elasticsearchHost`.
   * @default 9200
   */
  readonly elasticsearchPort?: number;

  /**
   * Connect to Elasticsearch over HTTPS (`FLUENT_ELASTICSEARCH_SCHEME=https`). Needs `elasticsearchHost`.
   * @default false (the image's default scheme, http)
   */
  readonly elasticsearchTls?: boolean;

  /**
   * The CA bundle that signed Elasticsearch's certificate (Elasticsearch 8 makes its own CA by default). It
   * is mounted read-only at `/fluentd/tls` and its path passed as `FLUENT_ELASTICSEARCH_CA_FILE`, with
   * `FLUENT_ELASTICSEARCH_SSL_VERIFY=true`: read them in your configuration's elasticsearch `<match>` with
   * `ca_file "#{ENV['FLUENT_ELASTICSEARCH_CA_FILE']}"` and `ssl_verify "#{ENV['FLUENT_ELASTICSEARCH_SSL_VERIFY']}"`.
   * Needs `elasticsearchTls`.
   * @default - the image's system trust store
   */
  readonly elasticsearchTlsTrust?: TlsTrust;

  /**
   * The Elasticsearch user (`FLUENT_ELASTICSEARCH_USER`). Needs `elasticsearchPassword`.
   * @default - no authentication
   */
  readonly elasticsearchUser?: string;

  /**
   * The Elasticsearch password, from a Secret (`FLUENT_ELASTICSEARCH_PASSWORD`, a secretKeyRef).
   * @default - no authentication
   */
  readonly elasticsearchPassword?: kplus.SecretValue;

  /**
   * Extra environment variables. Take secrets with `EnvValue.fromSecretValue()`.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * The user id Fluentd runs as. The image runs as root by default, to read the node's /var/log as a
   * DaemonSet; a sidecar reads only the shared log volume, so it does not need root. Files the app creates
   * with mode 0600 need the app's user id here.
   * @default 65534 (nobody)
   */
  readonly runAsUser?: number;

  /**
   * Make the root file system read-only. Off by default: Fluentd's supervisor creates a temporary directory
   * at start, and Ruby accepts only a temporary directory that is not world-writable or has the sticky bit.
   * The image's `/tmp` (mode 1777) qualifies; an emptyDir (mode 0777) does not, so with a read-only root
   * Fluentd exits with "could not find a temporary directory". Turn it on only with an image whose `TMPDIR`
   * is writable by `runAsUser` and not world-writable.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/**
 * A classic Fluentd log-shipping sidecar, as in the widespread `fluent/fluentd-kubernetes-daemonset`
 * set-up: it reads the app's log files from a shared volume mounted read-only and ships them with a
 * configuration of yours from a ConfigMap, with the Elasticsearch host and port in the environment.
 *
 * It renders as a classic sidecar (a container beside the app) unless `mode` says otherwise; in a Job or
 * CronJob use `SidecarMode.AUTO` or `NATIVE`, as a classic sidecar would keep the pod from completing.
 *
 * @example
 * new FluentdSidecar(chart, 'fluentd', {
 *   workload: app.workload,
 *   logVolume: logs,
 *   configMap: kplus.ConfigMap.fromConfigMapName(chart, 'fluentd-config', 'fluentd-config'),
 *   elasticsearchHost: 'elasticsearch-svc',
 * });
 */
export class FluentdSidecar extends PodPattern {
  /**
   * The default image: Fluentd 1.19.3 with the Elasticsearch 8 plugins, build 1.1 of the maintained 1.19
   * line, a multi-arch (amd64, arm64) tag (see docs/images.md).
   */
  public static readonly DEFAULT_IMAGE = 'fluent/fluentd-kubernetes-daemonset:v1.19.3-debian-elasticsearch8-1.1';

  /** The sidecar as added to the pod. */
  public readonly sidecar: Sidecar;

  /** Where the sidecar sees the app's log files. */
  public readonly logMountPath: string;

  /** Where the sidecar's writable state volume is mounted. */
  public readonly stateMountPath: string;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: FluentdSidecarProps) {
    super(scope, id, props);
    const owner = this.owner;
    this.logMountPath = checkAbsolutePath(owner, 'logMountPath', props.logMountPath ?? '/var/log/app');
    this.stateMountPath = checkAbsolutePath(owner, 'stateMountPath', props.stateMountPath ?? '/fluentd/state');
    for (const [prop, path] of [
      ['logMountPath', this.logMountPath],
      ['stateMountPath', this.stateMountPath],
    ]) {
      if (path === '/' || path === CONFIG_MOUNT_PATH || path.startsWith(`${CONFIG_MOUNT_PATH}/`)) {
        throw new Error(
          `${owner}: '${prop}' must not be '/' nor lie in '${CONFIG_MOUNT_PATH}' (where the configuration is ` +
            `mounted), got ${JSON.stringify(path)}`,
        );
      }
    }
    if (this.logMountPath === this.stateMountPath) {
      throw new Error(
        `${owner}: 'logMountPath' and 'stateMountPath' must differ (the log volume is read-only), both are ` +
          `${JSON.stringify(this.logMountPath)}`,
      );
    }
    const configFile = checkRelativePath(owner, 'configFile', props.configFile ?? 'fluent.conf');
    const stateSize = checkInteger(owner, 'stateSizeLimitMiB', props.stateSizeLimitMiB ?? 256, 1, 1024 * 1024);
    const runAsUser = checkInteger(owner, 'runAsUser', props.runAsUser ?? 65534, 0, 2147483647);

    const env: { [name: string]: kplus.EnvValue } = {};
    if (props.elasticsearchHost !== undefined) {
      env.FLUENT_ELASTICSEARCH_HOST = kplus.EnvValue.fromValue(
        checkHost(owner, 'elasticsearchHost', props.elasticsearchHost),
      );
      env.FLUENT_ELASTICSEARCH_PORT = kplus.EnvValue.fromValue(
        String(checkPort(owner, 'elasticsearchPort', props.elasticsearchPort ?? 9200)),
      );
      if (props.elasticsearchTls) env.FLUENT_ELASTICSEARCH_SCHEME = kplus.EnvValue.fromValue('https');
      if (props.elasticsearchTlsTrust !== undefined && !props.elasticsearchTls) {
        throw new Error(
          `${owner}: 'elasticsearchTlsTrust' needs 'elasticsearchTls: true'; without TLS there is no certificate to verify`,
        );
      }
    } else {
      for (const prop of [
        'elasticsearchPort',
        'elasticsearchTls',
        'elasticsearchTlsTrust',
        'elasticsearchUser',
        'elasticsearchPassword',
      ]) {
        if ((props as any)[prop] !== undefined) {
          throw new Error(`${owner}: '${prop}' needs 'elasticsearchHost'; give the host too, or drop '${prop}'`);
        }
      }
    }
    if ((props.elasticsearchUser === undefined) !== (props.elasticsearchPassword === undefined)) {
      throw new Error(`${owner}: 'elasticsearchUser' and 'elasticsearchPassword' go together; give both or neither`);
    }
    if (props.elasticsearchUser !== undefined && props.elasticsearchPassword !== undefined) {
      if (!/^[A-Za-z0-9._@+-]{1,256}$/.test(props.elasticsearchUser)) {
        throw new Error(
          `${owner}: 'elasticsearchUser' must be a user name of letters, digits, '.', '_', '@', '+' and '-', got ` +
            `${JSON.stringify(props.elasticsearchUser)}`,
        );
      }
      referenceSecretValue(owner, this.composer, 'elasticsearchPassword', props.elasticsearchPassword);
      env.FLUENT_ELASTICSEARCH_USER = kplus.EnvValue.fromValue(props.elasticsearchUser);
      env.FLUENT_ELASTICSEARCH_PASSWORD = kplus.EnvValue.fromSecretValue(props.elasticsearchPassword);
    }
    // The image's stock systemd source reads the node's journal, which a sidecar has no access to.
    env.FLUENTD_SYSTEMD_CONF = kplus.EnvValue.fromValue('disable');
    if (configFile !== 'fluent.conf') env.FLUENTD_CONF = kplus.EnvValue.fromValue(configFile);
    const trustMounts: HelperMount[] = [];
    if (props.elasticsearchTlsTrust !== undefined) {
      const mounted = props.elasticsearchTlsTrust._mount(
        this,
        this.composer,
        owner,
        trustVolumeName(this.containerName, 0),
        TLS_MOUNT_PATH,
      );
      trustMounts.push({ volume: mounted.volume, path: mounted.directory, readOnly: true });
      env.FLUENT_ELASTICSEARCH_CA_FILE = kplus.EnvValue.fromValue(mounted.file);
      env.FLUENT_ELASTICSEARCH_SSL_VERIFY = kplus.EnvValue.fromValue('true');
    }
    const allEnv = mergeUserEnv(owner, env, props.env, 'the sidecar sets from its props; use the prop');

    if (props.configVolumeName !== undefined) checkDnsLabel(owner, 'configVolumeName', props.configVolumeName);
    const configVolume = configMapVolume(this, this.composer, props.configMap, {
      owner,
      containerName: this.containerName,
      volumeName: props.configVolumeName ?? userConfigVolumeName(props.configMap, this.containerName),
    });
    const stateVolume = SharedVolume.emptyDir(this, derivedName(this.containerName, 'state'), {
      sizeLimitMiB: stateSize,
    });

    this.sidecar = this.composer.addSidecar(
      {
        name: this.containerName,
        image: props.image ?? FluentdSidecar.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        env: allEnv,
        mounts: [
          { volume: props.logVolume, path: this.logMountPath, readOnly: true },
          { volume: configVolume, path: CONFIG_MOUNT_PATH, readOnly: true },
          { volume: stateVolume, path: this.stateMountPath, readOnly: false },
          ...trustMounts,
        ],
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: mib(200), limit: mib(500) },
        },
        runAsUser,
        readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? false,
      },
      { mode: props.mode ?? SidecarMode.CLASSIC, after: props.after },
    );

    mountLogsIntoApp(owner, this.composer, props.logVolume, props.appMountPath);
  }
}
