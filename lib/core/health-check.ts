import { k8s } from 'cdk8s-plus-28';
import { checkAbsolutePath, checkInteger, checkPort } from './names';
import { dropUndefined } from './plain-json';

/** Timing of a health check. */
export interface HealthCheckOptions {
  /**
   * Seconds between checks.
   * @default 2
   */
  readonly periodSeconds?: number;

  /**
   * Failed checks in a row before the container counts as failed.
   * @default 30 (a minute at the default period)
   */
  readonly failureThreshold?: number;

  /**
   * Seconds one check may take.
   * @default 1
   */
  readonly timeoutSeconds?: number;

  /**
   * Seconds after the start before the first check.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
}

/**
 * A probe for a helper container (startup, liveness or readiness).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
export class HealthCheck {
  /** An HTTP GET to `path` on `port`; success is a status from 200 to 399. */
  public static httpGet(path: string, port: number, options: HealthCheckOptions = {}): HealthCheck {
    checkAbsolutePath('HealthCheck.httpGet', 'path', path);
    checkPort('HealthCheck.httpGet', 'port', port);
    return new HealthCheck({ httpGet: { path, port: k8s.IntOrString.fromNumber(port) } }, options);
  }

  /** A TCP connection to `port`. */
  public static tcpSocket(port: number, options: HealthCheckOptions = {}): HealthCheck {
    checkPort('HealthCheck.tcpSocket', 'port', port);
    return new HealthCheck({ tcpSocket: { port: k8s.IntOrString.fromNumber(port) } }, options);
  }

  /** A command run in the container; success is exit code 0. */
  public static exec(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    if (command.length === 0) {
      throw new Error("HealthCheck.exec: 'command' must not be empty");
    }
    return new HealthCheck({ exec: { command } }, options);
  }

  private constructor(
    private readonly action: k8s.Probe,
    private readonly options: HealthCheckOptions,
  ) {
    const o = 'HealthCheck';
    if (options.periodSeconds !== undefined) checkInteger(o, 'periodSeconds', options.periodSeconds, 1, 3600);
    if (options.failureThreshold !== undefined) checkInteger(o, 'failureThreshold', options.failureThreshold, 1, 10000);
    if (options.timeoutSeconds !== undefined) checkInteger(o, 'timeoutSeconds', options.timeoutSeconds, 1, 3600);
    if (options.initialDelaySeconds !== undefined) {
      checkInteger(o, 'initialDelaySeconds', options.initialDelaySeconds, 0, 3600);
    }
  }

  /**
   * The probe as cdk8s-plus's generated classes hold it (ports as `IntOrString`), for a JSON patch on a
   * cdk8s-plus workload: such a workload converts its manifest through those classes after the patches.
   * @internal
   */
  public _toKube(): k8s.Probe {
    return {
      ...this.action,
      failureThreshold: this.options.failureThreshold ?? 30,
      initialDelaySeconds: this.options.initialDelaySeconds,
      periodSeconds: this.options.periodSeconds ?? 2,
      timeoutSeconds: this.options.timeoutSeconds ?? 1,
    };
  }

  /** @internal */
  public _toJson(): any {
    const port = (p: any) => ({ ...p, port: p.port.value });
    return dropUndefined({
      ...(this.action.httpGet ? { httpGet: port(this.action.httpGet) } : {}),
      ...(this.action.tcpSocket ? { tcpSocket: port(this.action.tcpSocket) } : {}),
      ...(this.action.exec ? { exec: this.action.exec } : {}),
      failureThreshold: this.options.failureThreshold ?? 30,
      initialDelaySeconds: this.options.initialDelaySeconds,
      periodSeconds: this.options.periodSeconds ?? 2,
      timeoutSeconds: this.options.timeoutSeconds ?? 1,
    });
  }
}
