import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configMapVolume } from '../core/config-volume';
import { HealthCheck } from '../core/health-check';
import { checkAbsolutePath, checkInteger, derivedName } from '../core/names';
import { Sidecar } from '../core/pod-parts';
import { PodPattern, SidecarPatternProps } from '../core/pod-pattern';
import { reference } from '../core/references';
import { mib } from '../core/render';
import { HelperMount, SharedVolume } from '../core/shared-volume';
import { trustVolumeName } from '../core/tls-trust';
import { FluentBitConfig } from './fluent-bit-config';
import { mergeUserEnv, mountLogsIntoApp } from './log-shipper';

/** Where the image reads its configuration (`fluent-bit -c /fluent-bit/etc/fluent-bit.conf`). */
const CONFIG_MOUNT_PATH = '/fluent-bit/etc';
/** The sidecar's own writable volume: tail position databases and the file buffers of the outputs. */
const STATE_MOUNT_PATH = '/fluent-bit/state';
/** Where the outputs' CA bundles are mounted, one directory each. */
const TLS_MOUNT_PATH = '/fluent-bit/tls';

/** Props for `FluentBitSidecar`. */
export interface FluentBitSidecarProps extends SidecarPatternProps {
  /** The volume the app writes its log files to. The sidecar mounts it read-only. */
  readonly logVolume: SharedVolume;

  /** The configuration: `FluentBitConfig.generate({...})` or `FluentBitConfig.fromConfigMap(configMap)`. */
  readonly config: FluentBitConfig;

  /**
   * Where the sidecar mounts `logVolume`. Input paths must lie under it.
   * @default '/var/log/app'
   */
  readonly logMountPath?: string;

  /**
   * Also mount `logVolume` read-write into the app container at this path.
   * @default - the app's mount is left to you (`composer.mountIntoApp(logVolume, path, { readOnly: false })`)
   */
  readonly appMountPath?: string;

  /**
   * Extra environment variables, for example credentials a ConfigMap of your own refers to as `${VAR}`.
   * Take secrets with `EnvValue.fromSecretValue()`.
   * @default - only the variables generated outputs need
   */
  readonly env?: { [name: string]: kplus.EnvValue };

  /**
   * The user id Fluent Bit runs as. It must be able to read the app's log files: files the app creates with
   * mode 0600 need the app's user id here.
   * @default 65534 (nobody)
   */
  readonly runAsUser?: number;

  /**
   * Size limit of the sidecar's own state volume, in MiB: tail position databases and the records the outputs
   * could not deliver yet (a generated configuration's `bufferSizeLimitMiB`, which must leave 16 MiB free).
   * @default 256
   */
  readonly stateSizeLimitMiB?: number;

  /**
   * Seconds the app takes to shut down after SIGTERM. A native sidecar is stopped only after the app has
   * exited, within the same `terminationGracePeriodSeconds`, so Fluent Bit's Grace must fit in what the app
   * leaves of it (checked at synth). A classic sidecar stops at the same time as the app.
   * @default 0 - the app exits at once on SIGTERM
   */
  readonly appShutdownSeconds?: number;
}

/**
 * A Fluent Bit sidecar that tails the app's log files from a shared volume and ships them to Elasticsearch,
 * Loki, a forward receiver or stdout.
 *
 * It renders as a native sidecar by default (Kubernetes 1.29+), so that a Job using it completes and Fluent
 * Bit flushes after the app has stopped; as a classic sidecar on older targets. It mounts the log volume
 * read-only, keeps its file positions on a small volume of its own, runs as a non-root user with a read-only
 * root file system, and is probed on Fluent Bit's health endpoint. Its `Grace` must be shorter than the
 * pod's `terminationGracePeriodSeconds` (checked at synth).
 *
 * @example
 * const logs = SharedVolume.emptyDir(chart, 'app-logs');
 * new FluentBitSidecar(chart, 'log-forwarder', {
 *   workload: app.workload,
 *   logVolume: logs,
 *   appMountPath: '/var/log/app',
 *   config: FluentBitConfig.generate({
 *     outputs: [FluentBitOutput.elasticsearch({ host: 'elasticsearch-svc', index: 'app-logs' })],
 *   }),
 * });
 */
export class FluentBitSidecar extends PodPattern {
  /**
   * The default image: an exact Fluent Bit release of a maintained line, built for amd64, arm64 and arm/v7
   * (see docs/images.md).
   */
  public static readonly DEFAULT_IMAGE = 'fluent/fluent-bit:5.0.3';

  /** The ConfigMap the sidecar reads its configuration from (generated or yours). */
  public readonly configMap: kplus.IConfigMap;

  /** The sidecar as added to the pod. */
  public readonly sidecar: Sidecar;

  /** Where the sidecar sees the app's log files. */
  public readonly logMountPath: string;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: FluentBitSidecarProps) {
    super(scope, id, props);
    const owner = this.owner;
    this.logMountPath = checkAbsolutePath(owner, 'logMountPath', props.logMountPath ?? '/var/log/app');
    if (
      this.logMountPath === '/' ||
      this.logMountPath === '/fluent-bit' ||
      this.logMountPath.startsWith('/fluent-bit/')
    ) {
      throw new Error(
        `${owner}: 'logMountPath' must not be '/' nor lie in '/fluent-bit' (the image's own files), got ` +
          `${JSON.stringify(this.logMountPath)}`,
      );
    }
    const stateSize = checkInteger(owner, 'stateSizeLimitMiB', props.stateSizeLimitMiB ?? 256, 1, 1024 * 1024);
    const appShutdown = checkInteger(owner, 'appShutdownSeconds', props.appShutdownSeconds ?? 0, 0, 86400);
    const runAsUser = checkInteger(owner, 'runAsUser', props.runAsUser ?? 65534, 0, 2147483647);

    const bound = props.config._bind(this, {
      owner,
      containerName: this.containerName,
      namespace: this.composer.namespace,
      logMountPath: this.logMountPath,
      configMountPath: CONFIG_MOUNT_PATH,
      stateMountPath: STATE_MOUNT_PATH,
      stateSizeLimitMiB: stateSize,
      tlsMountPath: TLS_MOUNT_PATH,
    });
    this.configMap = bound.configMap;

    const credentials: { [name: string]: kplus.EnvValue } = {};
    for (const e of bound.env) {
      reference(owner, this.composer, e.secret);
      credentials[e.name] = e.value;
    }
    const env = mergeUserEnv(owner, credentials, props.env, "carries an output's credential; choose another name");

    const configVolume = configMapVolume(this, this.composer, this.configMap, {
      owner,
      containerName: this.containerName,
      volumeName: bound.volumeName,
    });
    const stateVolume = SharedVolume.emptyDir(this, derivedName(this.containerName, 'state'), {
      sizeLimitMiB: stateSize,
    });
    const trustMounts: HelperMount[] = bound.trusts.map((trust, i) => {
      const mounted = trust._mount(
        this,
        this.composer,
        owner,
        trustVolumeName(this.containerName, i),
        `${TLS_MOUNT_PATH}/${i + 1}`,
      );
      return { volume: mounted.volume, path: mounted.directory, readOnly: true };
    });
    const config = props.config;
    const httpPort = config.health.port;
    // /api/v1/uptime answers while Fluent Bit runs; output errors (a backend outage) never fail it
    const health = (options: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }) =>
      httpPort !== undefined ? HealthCheck.httpGet('/api/v1/uptime', httpPort, options) : undefined;

    this.sidecar = this.composer.addSidecar(
      {
        name: this.containerName,
        image: props.image ?? FluentBitSidecar.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        // the image's ENTRYPOINT and CMD both name the binary: give the whole command line
        command: ['/fluent-bit/bin/fluent-bit', '-c', `${CONFIG_MOUNT_PATH}/${config.configFile}`],
        env: Object.keys(env).length > 0 ? env : undefined,
        ports: httpPort !== undefined ? [{ number: httpPort }] : undefined,
        mounts: [
          { volume: props.logVolume, path: this.logMountPath, readOnly: true },
          { volume: configVolume, path: CONFIG_MOUNT_PATH, readOnly: true },
          { volume: stateVolume, path: STATE_MOUNT_PATH, readOnly: false },
          ...trustMounts,
        ],
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: mib(64), limit: mib(128) },
        },
        runAsUser,
        readOnlyRootFilesystem: true,
        // Startup: up to a minute for the first answer. Liveness: three failed checks in a row, ten seconds
        // apart, restart Fluent Bit: only when it no longer answers at all.
        startupProbe: health({ periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 1 }),
        livenessProbe: health({ periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 }),
      },
      { mode: props.mode, after: props.after },
    );

    mountLogsIntoApp(owner, this.composer, props.logVolume, props.appMountPath);

    const grace = config.graceSeconds;
    const composer = this.composer;
    const sidecar = this.sidecar;
    this.node.addValidation({
      validate: () => {
        const period = composer.terminationGracePeriodSeconds;
        // a native sidecar is stopped after the app has exited, from the same grace period
        const spent = this.composer.isNative(sidecar) ? appShutdown : 0;
        if (grace + spent < period) return [];
        const budget = spent > 0 ? `what the app's shutdown ('appShutdownSeconds', ${spent} s) leaves of ` : '';
        return [
          `${owner}: Fluent Bit's Grace (${grace} s) must be shorter than ${budget}the pod's ` +
            `terminationGracePeriodSeconds (${period} s), or the kubelet kills it before it has flushed; lower ` +
            "'graceSeconds' or raise the workload's 'terminationGracePeriod'",
        ];
      },
    });
  }
}
