import { ApiObject, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configMapVolume } from '../core/config-volume';
import { HealthCheck } from '../core/health-check';
import { checkDataKey, checkInteger, checkPort, derivedName } from '../core/names';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { SidecarMode } from '../core/pod-parts';
import { mib } from '../core/render';
import { checkObjectName } from '../core/workload-checks';
import { HelperMount } from '../core/shared-volume';
import { TlsTrust, trustVolumeName } from '../core/tls-trust';
import { EnvoyHealthCheck } from './envoy-health-check';

/** The protocol the generated bootstrap speaks to the app. */
export enum EnvoyProtocol {
  /** HTTP/1.1 to the app; routes time out after Envoy's default 15 s. */
  HTTP1 = 'HTTP1',
  /** HTTP/2 (cleartext) to the app; routes time out after Envoy's default 15 s. */
  HTTP2 = 'HTTP2',
  /**
   * gRPC: HTTP/2 to the app, with no route timeout and no stream idle timeout, so that long-lived streams
   * are not cut.
   */
  GRPC = 'GRPC',
}

/** Envoy's log level (`--log-level`). */
export enum EnvoyLogLevel {
  /** trace */
  TRACE = 'trace',
  /** debug */
  DEBUG = 'debug',
  /** info (Envoy's default) */
  INFO = 'info',
  /** warning */
  WARNING = 'warning',
  /** error */
  ERROR = 'error',
  /** critical */
  CRITICAL = 'critical',
  /** off */
  OFF = 'off',
}

/** Options for `EnvoyConfig.bootstrap()`. */
export interface EnvoyBootstrapOptions {
  /**
   * The port of the one listener, which forwards every request to the app. Keep it out of 15000-15090,
   * which Istio's proxy reserves when the pod is in a mesh.
   * @default 10000
   */
  readonly listenerPort?: number;

  /**
   * The app's port on 127.0.0.1 that the listener forwards to.
   * @default - the app container's `portNumber`
   */
  readonly upstreamPort?: number;

  /**
   * The port of a second listener that answers `GET /ready` from the admin interface, for the kubelet's
   * probes. The admin interface itself listens on 127.0.0.1 only: anything that reaches it can stop Envoy or
   * read its configuration. Keep it out of 15000-15090 (Istio's proxy uses 15021 for its own health).
   * @default 9902
   */
  readonly healthPort?: number;

  /**
   * The protocol spoken to the app.
   * @default EnvoyProtocol.HTTP1
   */
  readonly protocol?: EnvoyProtocol;

  /**
   * Seconds a stream may stay without activity before Envoy resets it (the HTTP connection manager's
   * `stream_idle_timeout`); 0 turns the timeout off.
   * @default - 0 for EnvoyProtocol.GRPC (long-lived streams), else Envoy's default (300)
   */
  readonly streamIdleTimeoutSeconds?: number;

  /**
   * Speak TLS to the app, verifying its certificate with this CA bundle (mounted read-only at
   * `/etc/envoy/tls`).
   * @default - plain text to the app on 127.0.0.1
   */
  readonly upstreamTlsTrust?: TlsTrust;
}

/** Options for `EnvoyConfig.fromConfigMap()`. */
export interface EnvoyConfigMapOptions {
  /**
   * The ConfigMap key that holds the bootstrap; it is mounted as `/etc/envoy/<key>`.
   * @default 'envoy.yaml'
   */
  readonly key?: string;

  /**
   * The listener ports your configuration opens, declared as container ports.
   * @default - none declared (only the admin port)
   */
  readonly listenerPorts?: number[];

  /**
   * What the kubelet probes: a health listener of your configuration (`EnvoyHealthCheck.httpGet(port)`), or
   * the admin interface's `/ready` when your configuration binds the admin interface to 0.0.0.0.
   * @default EnvoyHealthCheck.adminReady()
   */
  readonly healthCheck?: EnvoyHealthCheck;
}

const BOOTSTRAP_KEY = 'envoy.yaml';
/** Out of 15000-15090, which Istio's proxy reserves: the listener port of Envoy's own image. */
const DEFAULT_LISTENER_PORT = 10000;
const DEFAULT_HEALTH_PORT = 9902;
const CONFIG_DIR = '/etc/envoy';
const TLS_DIR = '/etc/envoy-tls';

/**
 * Where Envoy's bootstrap comes from: your own ConfigMap, or a minimal bootstrap generated from typed
 * options (one listener forwarding to the app on 127.0.0.1).
 */
export class EnvoyConfig {
  /**
   * A generated minimal bootstrap: the admin interface on 127.0.0.1 at the admin port, one listener that
   * forwards every request to the app on 127.0.0.1 through a static cluster, and a health listener that
   * answers the kubelet's probes with the admin interface's `/ready`. It is rendered into a ConfigMap in the
   * workload's namespace.
   */
  public static bootstrap(options: EnvoyBootstrapOptions = {}): EnvoyConfig {
    const owner = 'EnvoyConfig.bootstrap';
    const listenerPort = checkPort(owner, 'listenerPort', options.listenerPort ?? DEFAULT_LISTENER_PORT);
    const healthPort = checkPort(owner, 'healthPort', options.healthPort ?? DEFAULT_HEALTH_PORT);
    if (options.upstreamPort !== undefined) checkPort(owner, 'upstreamPort', options.upstreamPort);
    if (healthPort === listenerPort) {
      throw new Error(`${owner}: 'healthPort' and 'listenerPort' are both ${listenerPort}; give each its own port`);
    }
    const protocol = options.protocol ?? EnvoyProtocol.HTTP1;
    const idle =
      options.streamIdleTimeoutSeconds !== undefined
        ? checkInteger(owner, 'streamIdleTimeoutSeconds', options.streamIdleTimeoutSeconds, 0, 7 * 24 * 3600)
        : protocol === EnvoyProtocol.GRPC
          ? 0
          : undefined;
    return new EnvoyConfig(BOOTSTRAP_KEY, [listenerPort], undefined, EnvoyHealthCheck.httpGet(healthPort), {
      listenerPort,
      healthPort,
      upstreamPort: options.upstreamPort,
      protocol,
      streamIdleTimeoutSeconds: idle,
      upstreamTlsTrust: options.upstreamTlsTrust,
    });
  }

  /** Your own Envoy configuration, from a key of a ConfigMap. */
  public static fromConfigMap(configMap: kplus.IConfigMap, options: EnvoyConfigMapOptions = {}): EnvoyConfig {
    const owner = `EnvoyConfig.fromConfigMap '${configMap.name}'`;
    const key = checkDataKey(owner, 'key', 'ConfigMap', options.key ?? BOOTSTRAP_KEY);
    const listenerPorts = options.listenerPorts ?? [];
    listenerPorts.forEach((p) => checkPort(owner, 'listenerPorts', p));
    const duplicate = listenerPorts.find((p, i) => listenerPorts.indexOf(p) !== i);
    if (duplicate !== undefined) {
      throw new Error(`${owner}: 'listenerPorts' lists ${duplicate} twice; list each port once`);
    }
    return new EnvoyConfig(
      key,
      [...listenerPorts],
      configMap,
      options.healthCheck ?? EnvoyHealthCheck.adminReady(),
      undefined,
    );
  }

  private constructor(
    /** The ConfigMap key of the bootstrap file. */
    public readonly key: string,
    /** The listener ports, declared as container ports. */
    public readonly listenerPorts: number[],
    /** The user's ConfigMap, when the configuration is not generated. */
    public readonly configMap: kplus.IConfigMap | undefined,
    /** What the kubelet probes. */
    public readonly healthCheck: EnvoyHealthCheck,
    private readonly generated?: GeneratedBootstrap,
  ) {}

  /** Whether the bootstrap is generated. */
  public get isGenerated(): boolean {
    return this.generated !== undefined;
  }

  /** @internal */
  public _generated(): GeneratedBootstrap | undefined {
    return this.generated;
  }
}

/** The resolved options of a generated bootstrap. */
interface GeneratedBootstrap {
  readonly listenerPort: number;
  readonly healthPort: number;
  readonly upstreamPort?: number;
  readonly protocol: EnvoyProtocol;
  readonly streamIdleTimeoutSeconds?: number;
  readonly upstreamTlsTrust?: TlsTrust;
}

/** Props for `EnvoySidecar`. */
export interface EnvoySidecarProps extends PodPatternProps {
  /**
   * Native or classic rendering. Envoy sidecars are classic by default, as most are deployed today; pass
   * `SidecarMode.AUTO` or `SidecarMode.NATIVE` for a Job, or to start Envoy before the app.
   * @default SidecarMode.CLASSIC
   */
  readonly mode?: SidecarMode;

  /**
   * The Envoy configuration.
   * @default EnvoyConfig.bootstrap() - a generated bootstrap forwarding port 10000 to the app's port
   */
  readonly config?: EnvoyConfig;

  /**
   * The admin interface's port. The preStop drain calls its `/drain_listeners` on 127.0.0.1. With a generated
   * bootstrap it listens on 127.0.0.1 only and the probes reach its `/ready` through the health listener; with
   * your own configuration the probes call what `EnvoyConfig.fromConfigMap(cm, { healthCheck })` names.
   * @default 9901
   */
  readonly adminPort?: number;

  /**
   * `--service-cluster`: the cluster name Envoy reports (node.cluster).
   * @default - not set
   */
  readonly serviceCluster?: string;

  /**
   * `--service-node`: the node id Envoy reports (node.id).
   * @default - not set
   */
  readonly serviceNode?: string;

  /**
   * Seconds Envoy drains for when the pod stops: a preStop hook asks the admin interface for a graceful drain
   * (`POST /drain_listeners?graceful`, so clients are told to close their connections), then waits this long
   * while in-flight requests finish. Also passed as `--drain-time-s`. 0 turns the hook off. Must be less than
   * the pod's `terminationGracePeriodSeconds`.
   * @default 5
   */
  readonly drainSeconds?: number;

  /**
   * `--log-level`.
   * @default - Envoy's default (info)
   */
  readonly logLevel?: EnvoyLogLevel;

  /**
   * Make Envoy's listener the pod's front door: Services made with `exposeViaService` target the listener
   * port instead of the app's port. Uses the generated listener, or the first of `listenerPorts`.
   * @default false
   */
  readonly receiveServiceTraffic?: boolean;
}

/** Requests and limits of the seed's Envoy sidecar. */
const ENVOY_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
  memory: { request: mib(64), limit: mib(256) },
};

/**
 * The preStop drain, run by bash: the envoyproxy/envoy image (Ubuntu based) has bash but neither curl nor
 * wget, and the admin interface accepts state changes only by POST. The values come from the container's
 * environment. A failed request still leaves the wait, so in-flight requests get their time either way.
 */
const DRAIN_SCRIPT = [
  'status="no answer"',
  'if exec 3<>"/dev/tcp/127.0.0.1/${ENVOY_ADMIN_PORT}"; then',
  "  printf 'POST /drain_listeners?graceful HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' >&3",
  '  IFS= read -r -t 2 status <&3 || status="no answer"',
  '  exec 3>&-',
  'fi',
  'echo "envoy drain requested: ${status%$\'\\r\'}; waiting ${ENVOY_DRAIN_SECONDS}s"',
  'sleep "${ENVOY_DRAIN_SECONDS}"',
  '',
].join('\n');

/**
 * An Envoy proxy beside the app: its admin interface, listener ports and configuration, with a graceful
 * drain when the pod stops and probes on the admin `/ready`.
 *
 * With no `config`, a minimal bootstrap is generated into a ConfigMap: one listener on port 10000 forwarding
 * to the app's port on 127.0.0.1 (HTTP/1.1, HTTP/2 or gRPC), the admin interface on 127.0.0.1 only, and a
 * health listener on port 9902 that answers the probes with the admin `/ready`. Both defaults lie outside
 * 15000-15090, which Istio's proxy reserves, so the sidecar can share a pod with `IstioInjection`. Arguments are rendered one
 * argv element each (`-c`, `/etc/envoy/envoy.yaml`, ...).
 *
 * @example
 * const app = new AppWorkload(chart, 'grpc-service', {
 *   container: { name: 'grpc-service', image: 'company/grpc-service:2.0.0', portNumber: 50051 },
 * });
 * new EnvoySidecar(chart, 'envoy', {
 *   workload: app.workload,
 *   config: EnvoyConfig.bootstrap({ protocol: EnvoyProtocol.GRPC }),
 *   serviceCluster: 'grpc-service',
 *   serviceNode: 'grpc-service',
 * });
 */
export class EnvoySidecar extends PodPattern {
  /** The default image: an exact Envoy release of a supported line, built for amd64 and arm64 (see docs/images.md). */
  public static readonly DEFAULT_IMAGE = 'envoyproxy/envoy:v1.38.2';

  /** The admin interface's port. */
  public readonly adminPort: number;

  /** The listener ports declared as container ports. */
  public readonly listenerPorts: number[];

  /** The ConfigMap holding the configuration (generated, or yours). */
  public readonly configMap: kplus.IConfigMap;

  /** The path of the configuration file in the container (`-c`). */
  public readonly configPath: string;

  /** How the sidecar is rendered. */
  public readonly mode: SidecarMode;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: EnvoySidecarProps) {
    super(scope, id, props);
    const owner = this.owner;
    const config = props.config ?? EnvoyConfig.bootstrap();
    const generated = config._generated();
    this.mode = props.mode ?? SidecarMode.CLASSIC;
    this.adminPort = checkPort(owner, 'adminPort', props.adminPort ?? 9901);
    this.listenerPorts = [...config.listenerPorts];
    this.configPath = `${CONFIG_DIR}/${config.key}`;
    const drainSeconds = checkInteger(owner, 'drainSeconds', props.drainSeconds ?? 5, 0, 600);
    const serviceCluster = checkEnvoyName(owner, 'serviceCluster', props.serviceCluster);
    const serviceNode = checkEnvoyName(owner, 'serviceNode', props.serviceNode);

    if ([...this.listenerPorts, generated?.healthPort].includes(this.adminPort)) {
      throw new Error(
        `${owner}: 'adminPort' ${this.adminPort} is also a listener port; give the admin interface its own port`,
      );
    }
    this.checkGracePeriod(drainSeconds);
    // The kubelet probes the health listener (of a generated bootstrap, or the one your configuration names),
    // else the admin interface.
    const probePort = config.healthCheck.port ?? this.adminPort;
    const probePath = config.healthCheck.path;
    // What the pod IP serves: the listeners and the health listener (a generated bootstrap's admin interface
    // listens on 127.0.0.1); or the listeners, and the admin interface when your configuration is probed on it.
    const servedPorts = [
      ...new Set([...(probePort === this.adminPort ? [this.adminPort] : []), ...this.listenerPorts, probePort]),
    ];
    const envoyPorts = [this.adminPort, ...servedPorts];
    const describePorts =
      `admin ${this.adminPort}` +
      (this.listenerPorts.length > 0 ? `, listener ${this.listenerPorts.join(', ')}` : '') +
      (generated ? `, health ${generated.healthPort}` : '');
    const appPort = this.composer.appPortNumber();
    const upstreamPort = generated ? (generated.upstreamPort ?? appPort) : undefined;
    for (const port of new Set([appPort, upstreamPort])) {
      if (port !== undefined && envoyPorts.includes(port)) {
        throw new Error(
          `${owner}: the app's port ${port} is also an Envoy port (${describePorts}); containers of a pod share ` +
            'one network, so give each its own port',
        );
      }
    }

    if (generated) {
      if (upstreamPort === undefined) {
        throw new Error(
          `${owner}: the app container declares no port, so the generated bootstrap has nowhere to forward; ` +
            "give the app container a 'portNumber' or pass EnvoyConfig.bootstrap({ upstreamPort })",
        );
      }
      const document = bootstrapDocument(this.adminPort, generated, upstreamPort, generated.upstreamTlsTrust?.key);
      this.configMap = new kplus.ConfigMap(this, 'Config', {
        metadata: { namespace: this.composer.namespace },
        data: { [config.key]: Yaml.stringify(document) },
      });
      checkObjectName(owner, ApiObject.of(this.configMap));
    } else {
      this.configMap = config.configMap!;
    }
    const volume = configMapVolume(this, this.composer, this.configMap, {
      owner,
      containerName: this.containerName,
      volumeName: derivedName(this.containerName, 'config'),
    });
    const mounts: HelperMount[] = [{ volume, path: CONFIG_DIR }];
    if (generated?.upstreamTlsTrust) {
      const trust = generated.upstreamTlsTrust._mount(
        this,
        this.composer,
        owner,
        trustVolumeName(this.containerName, 0),
        TLS_DIR,
      );
      mounts.push({ volume: trust.volume, path: trust.directory, readOnly: true });
    }

    if (props.receiveServiceTraffic) {
      if (this.listenerPorts.length === 0) {
        throw new Error(
          `${owner}: 'receiveServiceTraffic' needs a listener port; list it in EnvoyConfig.fromConfigMap(cm, ` +
            '{ listenerPorts })',
        );
      }
      this.composer.claimFrontDoor(this.listenerPorts[0], this.containerName);
    }

    const args = ['-c', this.configPath];
    if (serviceCluster !== undefined) args.push('--service-cluster', serviceCluster);
    if (serviceNode !== undefined) args.push('--service-node', serviceNode);
    if (props.logLevel !== undefined) args.push('--log-level', props.logLevel);
    if (drainSeconds > 0) args.push('--drain-time-s', String(drainSeconds), '--drain-strategy', 'immediate');
    // Kubernetes restarts containers; hot restart would only bind an abstract socket that a second Envoy in
    // the same pod network would clash with.
    args.push('--disable-hot-restart');

    this.composer.addSidecar(
      {
        name: this.containerName,
        image: props.image ?? EnvoySidecar.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        args,
        env:
          drainSeconds > 0
            ? {
                ENVOY_ADMIN_PORT: kplus.EnvValue.fromValue(String(this.adminPort)),
                ENVOY_DRAIN_SECONDS: kplus.EnvValue.fromValue(String(drainSeconds)),
              }
            : undefined,
        ports: servedPorts.map((number) => ({ number })),
        mounts,
        resources: props.resources ?? ENVOY_RESOURCES,
        startupProbe: HealthCheck.httpGet(probePath, probePort),
        readinessProbe: HealthCheck.httpGet(probePath, probePort, { periodSeconds: 5, failureThreshold: 3 }),
        preStopCommand: drainSeconds > 0 ? ['bash', '-c', DRAIN_SCRIPT] : undefined,
      },
      { mode: this.mode, after: props.after },
    );

    if (props.mode === undefined) {
      this.node.addValidation({
        validate: () =>
          this.composer.runsToCompletion
            ? [
                `${owner}: Envoy renders as a classic sidecar by default, which would keep a ` +
                  `${this.composer.workloadKind}'s pod running; pass mode: SidecarMode.AUTO (native on Kubernetes 1.29+)`,
              ]
            : [],
      });
    }
  }

  private checkGracePeriod(drainSeconds: number): void {
    const grace = this.composer.terminationGracePeriodSeconds;
    if (drainSeconds > 0 && drainSeconds >= grace) {
      throw new Error(
        `${this.owner}: 'drainSeconds' (${drainSeconds}) must be less than the pod's terminationGracePeriodSeconds ` +
          `(${grace}), or Kubernetes kills Envoy mid-drain; lower 'drainSeconds' or raise the workload's ` +
          "'terminationGracePeriod'",
      );
    }
  }
}

/** Checks a value for --service-cluster / --service-node. */
function checkEnvoyName(owner: string, prop: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(value)) {
    throw new Error(
      `${owner}: '${prop}' must be a name of letters, digits, '.', '_' and '-' (at most 253 characters, such as ` +
        `'grpc-service'), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** The generated minimal bootstrap (Envoy v3 API). */
function bootstrapDocument(adminPort: number, options: GeneratedBootstrap, upstreamPort: number, caKey?: string) {
  const route: any = { cluster: 'app' };
  if (options.protocol === EnvoyProtocol.GRPC) route.timeout = '0s';
  const idle = options.streamIdleTimeoutSeconds;
  return {
    admin: { address: socket('127.0.0.1', adminPort) },
    static_resources: {
      listeners: [
        httpListener('ingress', options.listenerPort, { prefix: '/' }, route, idle),
        // The kubelet's probes reach the pod IP, not 127.0.0.1: this listener forwards /ready (only) to the
        // admin interface.
        httpListener('health', options.healthPort, { path: '/ready' }, { cluster: 'admin' }),
      ],
      clusters: [
        {
          ...staticCluster('app', upstreamPort),
          ...(caKey !== undefined
            ? {
                transport_socket: {
                  name: 'envoy.transport_sockets.tls',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
                    common_tls_context: { validation_context: { trusted_ca: { filename: `${TLS_DIR}/${caKey}` } } },
                  },
                },
              }
            : {}),
          ...(options.protocol !== EnvoyProtocol.HTTP1
            ? {
                typed_extension_protocol_options: {
                  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
                    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
                    explicit_http_config: { http2_protocol_options: {} },
                  },
                },
              }
            : {}),
        },
        staticCluster('admin', adminPort),
      ],
    },
  };
}

function socket(address: string, port: number) {
  return { socket_address: { address, port_value: port } };
}

/** A listener on 0.0.0.0 whose HTTP connection manager routes the matching requests to one cluster. */
function httpListener(name: string, port: number, match: any, route: any, streamIdleTimeoutSeconds?: number) {
  return {
    name,
    address: socket('0.0.0.0', port),
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type':
                'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
              stat_prefix: `${name}_http`,
              codec_type: 'AUTO',
              ...(streamIdleTimeoutSeconds !== undefined
                ? { stream_idle_timeout: `${streamIdleTimeoutSeconds}s` }
                : {}),
              route_config: {
                name,
                virtual_hosts: [{ name, domains: ['*'], routes: [{ match, route }] }],
              },
              http_filters: [
                {
                  name: 'envoy.filters.http.router',
                  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** A cluster of one endpoint on 127.0.0.1. */
function staticCluster(name: string, port: number) {
  return {
    name,
    type: 'STATIC',
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socket('127.0.0.1', port) } }] }],
    },
  };
}
