import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configMapVolume } from '../core/config-volume';
import { HealthCheck } from '../core/health-check';
import { checkSameNamespace, namespaceOf } from '../core/namespace';
import { checkAbsolutePath, checkEnvName, checkInteger, derivedName } from '../core/names';
import { Sidecar } from '../core/pod-parts';
import { PodPattern, SidecarPatternProps } from '../core/pod-pattern';
import { mib } from '../core/render';
import { SharedVolume } from '../core/shared-volume';
import { FluentBitConfig } from './fluent-bit-config';

/** Where the image reads its configuration (`fluent-bit -c /fluent-bit/etc/fluent-bit.conf`). */
const CONFIG_MOUNT_PATH = '/fluent-bit/etc';
/** The sidecar's own writable volume: tail position databases. */
const STATE_MOUNT_PATH = '/fluent-bit/state';

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
   * Size limit of the sidecar's own state volume (tail position databases), in MiB.
   * @default 32
   */
  readonly stateSizeLimitMiB?: number;
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
    const stateSize = checkInteger(owner, 'stateSizeLimitMiB', props.stateSizeLimitMiB ?? 32, 1, 1024);
    const runAsUser = checkInteger(owner, 'runAsUser', props.runAsUser ?? 65534, 0, 2147483647);

    const bound = props.config._bind(this, {
      owner,
      containerName: this.containerName,
      namespace: namespaceOf(props.workload),
      logMountPath: this.logMountPath,
      configMountPath: CONFIG_MOUNT_PATH,
      stateMountPath: STATE_MOUNT_PATH,
    });
    this.configMap = bound.configMap;

    const env: { [name: string]: kplus.EnvValue } = {};
    for (const e of bound.env) {
      checkSameNamespace(owner, props.workload, e.secret);
      env[e.name] = e.value;
    }
    for (const [name, value] of Object.entries(props.env ?? {})) {
      checkEnvName(owner, 'env', name);
      if (env[name] !== undefined) {
        throw new Error(
          `${owner}: 'env' must not set ${name}, which carries an output's credential; choose another name`,
        );
      }
      env[name] = value;
    }

    const configVolume = configMapVolume(this, this.composer, this.configMap, {
      owner,
      containerName: this.containerName,
      volumeName: bound.volumeName,
    });
    const stateVolume = SharedVolume.emptyDir(this, derivedName(this.containerName, 'state'), {
      sizeLimitMiB: stateSize,
    });
    const config = props.config;
    const health = (options: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }) =>
      config.healthCheck ? HealthCheck.httpGet('/api/v1/health', config.httpPort, options) : undefined;

    this.sidecar = this.composer.addSidecar(
      {
        name: this.containerName,
        image: props.image ?? 'fluent/fluent-bit:3.0',
        command:
          config.configFile === 'fluent-bit.conf'
            ? undefined
            : ['/fluent-bit/bin/fluent-bit', '-c', `${CONFIG_MOUNT_PATH}/${config.configFile}`],
        env: Object.keys(env).length > 0 ? env : undefined,
        ports: [{ number: config.httpPort }],
        mounts: [
          { volume: props.logVolume, path: this.logMountPath, readOnly: true },
          { volume: configVolume, path: CONFIG_MOUNT_PATH, readOnly: true },
          { volume: stateVolume, path: STATE_MOUNT_PATH, readOnly: false },
        ],
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: mib(64), limit: mib(128) },
        },
        runAsUser,
        readOnlyRootFilesystem: true,
        // Startup: up to a minute for the first answer. Liveness: three failed checks in a row, ten seconds
        // apart, restart Fluent Bit (the health endpoint fails once outputs keep erroring, see HC_* keys).
        startupProbe: health({ periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 1 }),
        livenessProbe: health({ periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 }),
      },
      { mode: props.mode, after: props.after },
    );

    if (props.appMountPath !== undefined) {
      const appPath = checkAbsolutePath(owner, 'appMountPath', props.appMountPath);
      this.composer.mountIntoApp(props.logVolume, appPath, { readOnly: false });
    }

    const grace = config.graceSeconds;
    const workload = props.workload;
    this.node.addValidation({
      validate: () => {
        const period = workload.terminationGracePeriod?.toSeconds() ?? 30;
        if (grace < period) return [];
        return [
          `${owner}: Fluent Bit's Grace (${grace} s) must be shorter than the pod's terminationGracePeriodSeconds ` +
            `(${period} s), or the kubelet kills it before it has flushed; lower 'graceSeconds' or raise the ` +
            "workload's 'terminationGracePeriod'",
        ];
      },
    });
  }
}
