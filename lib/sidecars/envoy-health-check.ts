import { checkAbsolutePath, checkPort } from '../core/names';

/**
 * What the kubelet probes on an Envoy that runs your own configuration (`EnvoyConfig.fromConfigMap`). The
 * kubelet calls the pod IP, never 127.0.0.1: a configuration that binds the admin interface to 127.0.0.1
 * (the safe choice) must serve its health on a listener of its own and name it here.
 */
export class EnvoyHealthCheck {
  /**
   * The admin interface's `/ready` at the sidecar's `adminPort`. Only for a configuration whose admin
   * interface listens on the pod IP (0.0.0.0), which also lets anything that reaches the pod stop Envoy.
   */
  public static adminReady(): EnvoyHealthCheck {
    return new EnvoyHealthCheck(undefined, '/ready');
  }

  /**
   * An HTTP GET on a port of your configuration that answers 200 when Envoy is ready (such as a listener
   * that routes `/ready` to the admin interface).
   *
   * @param port the listener's port
   * @param path the path it answers on
   */
  public static httpGet(port: number, path: string = '/ready'): EnvoyHealthCheck {
    checkPort('EnvoyHealthCheck.httpGet', 'port', port);
    checkAbsolutePath('EnvoyHealthCheck.httpGet', 'path', path);
    return new EnvoyHealthCheck(port, path);
  }

  private constructor(
    /** The port probed, or undefined for the admin port. */
    public readonly port: number | undefined,
    /** The path probed. */
    public readonly path: string,
  ) {}
}
