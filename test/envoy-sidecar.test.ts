import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  AppWorkload,
  EnvoyConfig,
  EnvoyLogLevel,
  EnvoyProtocol,
  EnvoySidecar,
  KubernetesVersion,
  SidecarMode,
  WorkloadKind,
} from '../lib';
import { chartWithApp, containerNamed, only, onlyPodSpec, synthValid } from './util/manifest';

function appOf(options: { kind?: WorkloadKind; version?: KubernetesVersion; port?: number } = {}) {
  return chartWithApp(
    'grpc',
    { name: 'app', image: 'company/grpc-service:2.0.0', portNumber: options.port ?? 50051 },
    options,
  );
}

/** The generated bootstrap, parsed. */
function bootstrapOf(manifests: any[]): any {
  return parse(only(manifests, 'ConfigMap').data['envoy.yaml']);
}

const names = (containers: any[] | undefined) => (containers ?? []).map((c: any) => c.name);

describe('EnvoySidecar', () => {
  test('defaults: a classic sidecar with the seed resources, a generated bootstrap and split arguments', () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', { workload: app.workload });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(names(spec.containers)).toEqual(['app', 'envoy']);
    expect(spec.initContainers).toBeUndefined();
    const envoy = containerNamed(spec, 'envoy');
    expect(envoy.image).toBe('envoyproxy/envoy:v1.38.2');
    expect(envoy.args).toEqual([
      '-c',
      '/etc/envoy/envoy.yaml',
      '--drain-time-s',
      '5',
      '--drain-strategy',
      'immediate',
      '--disable-hot-restart',
    ]);
    expect(envoy.resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '200m', memory: '256Mi' },
    });
    // the admin interface (9901) listens on 127.0.0.1 only: the pod IP serves the listener and the health port
    expect(envoy.ports).toEqual([
      { containerPort: 10000, protocol: 'TCP' },
      { containerPort: 9902, protocol: 'TCP' },
    ]);
    expect(envoy.volumeMounts).toEqual([{ name: 'envoy-config', mountPath: '/etc/envoy', readOnly: true }]);
    expect(spec.volumes).toEqual([
      { name: 'envoy-config', configMap: { name: only(manifests, 'ConfigMap').metadata.name } },
    ]);
  });

  test('probes call /ready on the health listener; the preStop hook drains through the admin interface', () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      adminPort: 9000,
      config: EnvoyConfig.bootstrap({ healthPort: 15020 }),
    });
    const envoy = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy');
    expect(envoy.startupProbe.httpGet).toEqual({ path: '/ready', port: 15020 });
    expect(envoy.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 15020 }, periodSeconds: 5 });
    expect(envoy.livenessProbe).toBeUndefined();
    const [shell, flag, script] = envoy.lifecycle.preStop.exec.command;
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toContain('POST /drain_listeners?graceful HTTP/1.1');
    expect(script).toContain('sleep "${ENVOY_DRAIN_SECONDS}"');
    expect(envoy.env).toEqual([
      { name: 'ENVOY_ADMIN_PORT', value: '9000' },
      { name: 'ENVOY_DRAIN_SECONDS', value: '5' },
    ]);
  });

  test('the generated bootstrap has what Envoy requires, with ports consistent with the props', () => {
    const { chart, app } = appOf({ port: 8080 });
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      adminPort: 9000,
      config: EnvoyConfig.bootstrap({ listenerPort: 8443 }),
    });
    const manifests = synthValid(chart);
    const bootstrap = bootstrapOf(manifests);
    // the admin interface can stop Envoy and dump its configuration: it listens on the loopback only
    expect(bootstrap.admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 9000 });

    const [listener, health] = bootstrap.static_resources.listeners;
    expect(bootstrap.static_resources.listeners).toHaveLength(2);
    expect(listener.name).toEqual(expect.any(String));
    expect(listener.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 8443 });
    const [hcm] = listener.filter_chains[0].filters;
    expect(hcm.name).toBe('envoy.filters.network.http_connection_manager');
    expect(hcm.typed_config['@type']).toBe(
      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    );
    expect(hcm.typed_config.stat_prefix).toEqual(expect.any(String));
    const [vhost] = hcm.typed_config.route_config.virtual_hosts;
    expect(vhost.domains).toEqual(['*']);
    expect(vhost.routes).toEqual([{ match: { prefix: '/' }, route: { cluster: 'app' } }]);
    expect(hcm.typed_config.http_filters).toEqual([
      {
        name: 'envoy.filters.http.router',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ]);

    const [cluster, admin] = bootstrap.static_resources.clusters;
    expect(bootstrap.static_resources.clusters).toHaveLength(2);
    expect(cluster).toMatchObject({ name: 'app', type: 'STATIC', connect_timeout: '1s' });
    expect(cluster.load_assignment.cluster_name).toBe('app');
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      address: '127.0.0.1',
      port_value: 8080,
    });
    expect(cluster.typed_extension_protocol_options).toBeUndefined();

    // the health listener forwards /ready, and nothing else, to the admin interface
    expect(health.name).toBe('health');
    expect(health.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 9902 });
    const [healthHcm] = health.filter_chains[0].filters;
    expect(healthHcm.name).toBe('envoy.filters.network.http_connection_manager');
    expect(healthHcm.typed_config.http_filters).toEqual(hcm.typed_config.http_filters);
    expect(healthHcm.typed_config.route_config.virtual_hosts).toEqual([
      { name: 'health', domains: ['*'], routes: [{ match: { path: '/ready' }, route: { cluster: 'admin' } }] },
    ]);
    expect(admin).toMatchObject({ name: 'admin', type: 'STATIC', connect_timeout: '1s' });
    expect(admin.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      address: '127.0.0.1',
      port_value: 9000,
    });

    // the container declares exactly the ports the bootstrap opens on the pod IP
    const envoy = containerNamed(onlyPodSpec(manifests), 'envoy');
    expect(envoy.ports.map((p: any) => p.containerPort)).toEqual([8443, 9902]);
  });

  test.each([
    [EnvoyProtocol.HTTP2, undefined],
    [EnvoyProtocol.GRPC, '0s'],
  ])('protocol %s speaks HTTP/2 to the app (route timeout %s)', (protocol, timeout) => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', { workload: app.workload, config: EnvoyConfig.bootstrap({ protocol }) });
    const bootstrap = bootstrapOf(synthValid(chart));
    const options = bootstrap.static_resources.clusters[0].typed_extension_protocol_options;
    expect(options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      explicit_http_config: { http2_protocol_options: {} },
    });
    const route =
      bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0]
        .routes[0].route;
    expect(route.timeout).toBe(timeout);
  });

  test("'upstreamPort' overrides the app container's port", () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', { workload: app.workload, config: EnvoyConfig.bootstrap({ upstreamPort: 7000 }) });
    const cluster = bootstrapOf(synthValid(chart)).static_resources.clusters[0];
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value).toBe(7000);
  });

  test("a generated ConfigMap lives in the workload's namespace and its hash rolls the pods", () => {
    const { chart, app } = appOf({ kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }) });
    const envoy = new EnvoySidecar(chart, 'envoy', { workload: app.workload });
    const manifests = synthValid(chart);
    expect(only(manifests, 'ConfigMap').metadata.namespace).toBe('production');
    const hash = only(manifests, 'Deployment').spec.template.metadata.annotations['checksum.cdk8s-pod-patterns/envoy'];
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    (envoy.configMap as kplus.ConfigMap).addData('extra.yaml', 'x: 1');
    const after = only(Testing.synth(chart), 'Deployment').spec.template.metadata.annotations;
    expect(after['checksum.cdk8s-pod-patterns/envoy']).not.toBe(hash);
  });

  test('a user ConfigMap: mounted at /etc/envoy, -c points at its key, its listener ports are declared', () => {
    const { chart, app } = appOf();
    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'envoy-grpc-config');
    const envoy = new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      config: EnvoyConfig.fromConfigMap(cm, { key: 'grpc.yaml', listenerPorts: [15001, 15006] }),
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    const spec = onlyPodSpec(manifests);
    const container = containerNamed(spec, 'envoy');
    expect(container.args.slice(0, 2)).toEqual(['-c', '/etc/envoy/grpc.yaml']);
    expect(container.ports.map((p: any) => p.containerPort)).toEqual([9901, 15001, 15006]);
    // the kubelet probes the admin interface of your configuration, on the pod IP
    expect(container.startupProbe.httpGet).toEqual({ path: '/ready', port: 9901 });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 9901 });
    expect(spec.volumes).toEqual([{ name: 'envoy-config', configMap: { name: 'envoy-grpc-config' } }]);
    expect(envoy.configPath).toBe('/etc/envoy/grpc.yaml');
    // an imported ConfigMap's content is unknown: no hash annotation
    expect(only(manifests, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });

  test("a ConfigMap defined in the app is hashed into the pod's annotations", () => {
    const { chart, app } = appOf();
    const cm = new kplus.ConfigMap(chart, 'cm', { data: { 'envoy.yaml': 'admin: {}' } });
    new EnvoySidecar(chart, 'envoy', { workload: app.workload, config: EnvoyConfig.fromConfigMap(cm) });
    const annotations = only(synthValid(chart), 'Deployment').spec.template.metadata.annotations;
    expect(Object.keys(annotations)).toEqual(['checksum.cdk8s-pod-patterns/envoy']);
  });

  test("'serviceCluster', 'serviceNode' and 'logLevel' become separate argv elements", () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      serviceCluster: 'grpc-service',
      serviceNode: 'grpc-service.production',
      logLevel: EnvoyLogLevel.WARNING,
    });
    const args = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy').args;
    expect(args.slice(0, 8)).toEqual([
      '-c',
      '/etc/envoy/envoy.yaml',
      '--service-cluster',
      'grpc-service',
      '--service-node',
      'grpc-service.production',
      '--log-level',
      'warning',
    ]);
  });

  test("'drainSeconds' sets --drain-time-s and the wait; 0 turns the preStop hook off", () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'long', { workload: app.workload, drainSeconds: 20 });
    const { chart: chart0, app: app0 } = appOf();
    new EnvoySidecar(chart0, 'off', { workload: app0.workload, drainSeconds: 0 });
    const long = containerNamed(onlyPodSpec(synthValid(chart)), 'long');
    expect(long.args).toContain('20');
    expect(long.env).toContainEqual({ name: 'ENVOY_DRAIN_SECONDS', value: '20' });
    const off = containerNamed(onlyPodSpec(synthValid(chart0)), 'off');
    expect(off.lifecycle).toBeUndefined();
    expect(off.env).toBeUndefined();
    expect(off.args).toEqual(['-c', '/etc/envoy/envoy.yaml', '--disable-hot-restart']);
  });

  test('SidecarMode.AUTO renders native from Kubernetes 1.29 and classic on 1.28', () => {
    const native = appOf();
    new EnvoySidecar(native.chart, 'envoy', { workload: native.app.workload, mode: SidecarMode.AUTO });
    const classic = appOf({ version: KubernetesVersion.V1_28 });
    new EnvoySidecar(classic.chart, 'envoy', { workload: classic.app.workload, mode: SidecarMode.AUTO });

    const nativeSpec = onlyPodSpec(synthValid(native.chart));
    expect(names(nativeSpec.initContainers)).toEqual(['envoy']);
    expect(nativeSpec.initContainers[0].restartPolicy).toBe('Always');
    expect(nativeSpec.initContainers[0].lifecycle.preStop).toBeDefined();
    const classicSpec = onlyPodSpec(synthValid(classic.chart));
    expect(names(classicSpec.containers)).toEqual(['app', 'envoy']);
    expect(classicSpec.initContainers).toBeUndefined();
  });

  test('a Job with a native Envoy sidecar', () => {
    const { chart, app } = appOf({ kind: WorkloadKind.job() });
    new EnvoySidecar(chart, 'envoy', { workload: app.workload, mode: SidecarMode.NATIVE });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['envoy', 'Always']]);
    expect(spec.restartPolicy).toBe('Never');
  });

  test("the default classic mode in a Job is an error that says to pass 'mode'", () => {
    const { chart, app } = appOf({ kind: WorkloadKind.job() });
    new EnvoySidecar(chart, 'envoy', { workload: app.workload });
    expect(() => Testing.synth(chart)).toThrow(
      "[test/envoy] EnvoySidecar 'envoy': Envoy renders as a classic sidecar by default, which would keep a Job's " +
        'pod running; pass mode: SidecarMode.AUTO (native on Kubernetes 1.29+)',
    );
  });

  test("'receiveServiceTraffic' makes Services target the listener port, before or after", () => {
    const { chart, app } = appOf();
    app.exposeViaService({ name: 'before' });
    new EnvoySidecar(chart, 'envoy', { workload: app.workload, receiveServiceTraffic: true });
    app.composer.exposeViaService(chart, 'after', { name: 'after', port: 80 });
    const manifests = synthValid(chart);
    expect(only(manifests, 'Service', 'before').spec.ports).toEqual([{ port: 50051, targetPort: 10000 }]);
    expect(only(manifests, 'Service', 'after').spec.ports).toEqual([{ port: 80, targetPort: 10000 }]);
    expect(app.composer.frontDoorOwner).toBe('envoy');
  });

  test('attaches to a plain cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    new EnvoySidecar(chart, 'envoy', { workload: deployment });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(names(onlyPodSpec(manifests).containers)).toEqual(['main', 'envoy']);
    expect(
      bootstrapOf(manifests).static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address
        .socket_address.port_value,
    ).toBe(8080);
  });

  test("'image' and 'resources' override the defaults", () => {
    const { chart, app } = appOf();
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      image: 'envoyproxy/envoy:v1.31.2',
      resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) } },
    });
    const envoy = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy');
    expect(envoy.image).toBe('envoyproxy/envoy:v1.31.2');
    expect(envoy.resources).toEqual({ requests: { cpu: '100m' }, limits: { cpu: '500m' } });
  });

  describe('validation', () => {
    const attach = (props: Partial<ConstructorParameters<typeof EnvoySidecar>[2]>, port?: number) => {
      const { chart, app } = appOf({ port });
      return () => new EnvoySidecar(chart, 'envoy', { workload: app.workload, ...props });
    };

    test('ports', () => {
      expect(attach({ adminPort: 70000 })).toThrow(
        "EnvoySidecar 'envoy': 'adminPort' must be an integer 1-65535, got 70000",
      );
      expect(() => EnvoyConfig.bootstrap({ listenerPort: 0 })).toThrow(
        "EnvoyConfig.bootstrap: 'listenerPort' must be an integer 1-65535, got 0",
      );
      expect(() => EnvoyConfig.bootstrap({ upstreamPort: 1.5 })).toThrow(
        "EnvoyConfig.bootstrap: 'upstreamPort' must be an integer 1-65535, got 1.5",
      );
      expect(attach({ adminPort: 10000 })).toThrow(
        "EnvoySidecar 'envoy': 'adminPort' 10000 is also a listener port; give the admin interface its own port",
      );
      expect(attach({}, 9901)).toThrow(
        "EnvoySidecar 'envoy': the app's port 9901 is also an Envoy port (admin 9901, listener 10000, health 9902); " +
          'containers of a pod share one network, so give each its own port',
      );
      expect(attach({}, 9902)).toThrow("EnvoySidecar 'envoy': the app's port 9902 is also an Envoy port");
      expect(() => EnvoyConfig.bootstrap({ healthPort: 10000 })).toThrow(
        "EnvoyConfig.bootstrap: 'healthPort' and 'listenerPort' are both 10000; give each its own port",
      );
      expect(attach({ adminPort: 9902 })).toThrow(
        "EnvoySidecar 'envoy': 'adminPort' 9902 is also a listener port; give the admin interface its own port",
      );
    });

    test("the app's port may not be an Envoy port with your own configuration either", () => {
      const { chart, app } = appOf({ port: 15001 });
      const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'envoy-config');
      expect(
        () =>
          new EnvoySidecar(chart, 'envoy', {
            workload: app.workload,
            config: EnvoyConfig.fromConfigMap(cm, { listenerPorts: [15001] }),
          }),
      ).toThrow(
        "EnvoySidecar 'envoy': the app's port 15001 is also an Envoy port (admin 9901, listener 15001); containers " +
          'of a pod share one network, so give each its own port',
      );
    });

    test('an app without a port and no upstreamPort', () => {
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', { container: { image: 'x:1' } });
      expect(() => new EnvoySidecar(chart, 'envoy', { workload: app.workload })).toThrow(
        "EnvoySidecar 'envoy': the app container declares no port, so the generated bootstrap has nowhere to " +
          "forward; give the app container a 'portNumber' or pass EnvoyConfig.bootstrap({ upstreamPort })",
      );
    });

    test('drainSeconds', () => {
      expect(attach({ drainSeconds: 601 })).toThrow(
        "EnvoySidecar 'envoy': 'drainSeconds' must be a whole number from 0 to 600, got 601",
      );
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', {
        kind: WorkloadKind.deployment({ terminationGracePeriod: Duration.seconds(10) }),
        container: { image: 'x:1', portNumber: 8080 },
      });
      expect(() => new EnvoySidecar(chart, 'envoy', { workload: app.workload, drainSeconds: 10 })).toThrow(
        "EnvoySidecar 'envoy': 'drainSeconds' (10) must be less than the pod's terminationGracePeriodSeconds (10), " +
          "or Kubernetes kills Envoy mid-drain; lower 'drainSeconds' or raise the workload's 'terminationGracePeriod'",
      );
    });

    test('a ConfigMap key, duplicate listener ports, and receiveServiceTraffic without a listener', () => {
      const chart = Testing.chart();
      const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'envoy-config');
      expect(() => EnvoyConfig.fromConfigMap(cm, { key: '../envoy.yaml' })).toThrow(
        "EnvoyConfig.fromConfigMap 'envoy-config': 'key' must be a ConfigMap key (letters, digits, '-', '_' and '.', " +
          'at most 253 characters), got "../envoy.yaml"',
      );
      expect(() => EnvoyConfig.fromConfigMap(cm, { listenerPorts: [15001, 15001] })).toThrow(
        "EnvoyConfig.fromConfigMap 'envoy-config': 'listenerPorts' lists 15001 twice; list each port once",
      );
      expect(attach({ config: EnvoyConfig.fromConfigMap(cm), receiveServiceTraffic: true })).toThrow(
        "EnvoySidecar 'envoy': 'receiveServiceTraffic' needs a listener port; list it in " +
          'EnvoyConfig.fromConfigMap(cm, { listenerPorts })',
      );
    });

    test('a ConfigMap of another namespace', () => {
      const { chart, app } = appOf({ kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }) });
      const cm = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'envoy', namespace: 'tools' } });
      expect(
        () => new EnvoySidecar(chart, 'envoy', { workload: app.workload, config: EnvoyConfig.fromConfigMap(cm) }),
      ).toThrow(
        'EnvoySidecar \'envoy\': the ConfigMap \'envoy\' is in namespace "tools" but the workload is in "production"; ' +
          'a pod mounts ConfigMaps of its own namespace only',
      );
    });

    test.each(['grpc; rm -rf /', '$(touch /tmp/pwned)', 'a\nb', "it's", '-c'])(
      'a hostile serviceCluster %j is rejected',
      (value) => {
        expect(attach({ serviceCluster: value })).toThrow(
          "EnvoySidecar 'envoy': 'serviceCluster' must be a name of letters, digits, '.', '_' and '-' (at most 253 " +
            `characters, such as 'grpc-service'), got ${JSON.stringify(value)}`,
        );
      },
    );

    test('hostile image and container names are rejected', () => {
      expect(attach({ image: 'envoy:1; curl evil' })).toThrow(
        "EnvoySidecar 'envoy': 'image' must be an image reference such as 'busybox:1.36' or " +
          '\'registry/name@sha256:...\', got "envoy:1; curl evil"',
      );
      expect(attach({ containerName: 'Envoy$(id)' })).toThrow(
        "EnvoySidecar 'envoy': 'containerName' must be a DNS-1123 label",
      );
    });

    test('the preStop script holds no user value: ports reach it only as numbers in the environment', () => {
      const a = appOf();
      new EnvoySidecar(a.chart, 'envoy', { workload: a.app.workload, adminPort: 9000, drainSeconds: 7 });
      const b = appOf();
      new EnvoySidecar(b.chart, 'envoy', { workload: b.app.workload });
      const scriptOf = (chart: any) =>
        containerNamed(onlyPodSpec(synthValid(chart)), 'envoy').lifecycle.preStop.exec.command[2];
      expect(scriptOf(a.chart)).toBe(scriptOf(b.chart));
    });
  });
});
