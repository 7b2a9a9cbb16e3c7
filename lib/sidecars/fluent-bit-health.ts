import { checkPort } from '../core/names';

/**
 * What a Fluent Bit configuration serves for the kubelet's probes. A configuration of your own must say it
 * (`FluentBitConfig.fromConfigMap(cm, { health })`): the image's stock configuration has the HTTP server off,
 * and a probe on a server that is not there keeps a native sidecar, and so the app, from ever starting.
 *
 * The probes call `/api/v1/uptime`, which answers as long as Fluent Bit runs. They do not call
 * `/api/v1/health`: that endpoint fails while an output keeps erroring, and a liveness probe on it would
 * restart Fluent Bit during a backend outage, losing whatever it had buffered in memory.
 */
export class FluentBitHealth {
  /**
   * The configuration turns on the HTTP server (`HTTP_Server On`) on the pod IP (`HTTP_Listen 0.0.0.0`) at
   * `port` (`HTTP_Port`): the sidecar gets startup and liveness probes on `/api/v1/uptime`.
   *
   * @param port the `HTTP_Port` of the configuration
   */
  public static httpServer(port: number = 2020): FluentBitHealth {
    return new FluentBitHealth(checkPort('FluentBitHealth.httpServer', 'port', port));
  }

  /**
   * The configuration serves no HTTP endpoint: the sidecar gets no probes and declares no port. As a native
   * sidecar it is then not waited for: the app may start before Fluent Bit reads its first line.
   */
  public static none(): FluentBitHealth {
    return new FluentBitHealth(undefined);
  }

  private constructor(
    /** The HTTP server's port, or undefined when the configuration serves none. */
    public readonly port?: number,
  ) {}
}
