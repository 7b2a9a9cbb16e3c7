/**
 * Each pattern works in its real image, beside the others, and keeps working when its backend misbehaves:
 * one test per finding of the image review (docs/images.md records the facts they rely on).
 */
import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  EnvoyConfig,
  EnvoyHealthCheck,
  EnvoyProtocol,
  EnvoySidecar,
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  FluentdSidecar,
  FlywayMigration,
  FlywayScripts,
  HealthCheck,
  IstioInjection,
  KubernetesVersion,
  OAuth2LocalhostApp,
  OAuth2Provider,
  OAuth2ProxySidecar,
  SharedVolume,
  SidecarMode,
  TlsTrust,
  WaitForService,
  WaitTarget,
  WorkloadKind,
} from '../lib';
import { chartWithApp, containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

const ISTIO_RESERVED = (port: number) => port >= 15000 && port <= 15090;

describe('Envoy beside Istio', () => {
  test("the generated bootstrap's default ports lie outside Istio's 15000-15090", () => {
    // GIVEN an Envoy sidecar with defaults in a pod Istio injects
    const { chart, app } = chartWithApp('api', { name: 'api', image: 'company/api:1.0.0', portNumber: 8080 });
    new EnvoySidecar(chart, 'envoy', { workload: app.workload });
    new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: true });
    // WHEN synthesized THEN no container port is one of istio-proxy's
    const envoy = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy');
    const ports = envoy.ports.map((p: any) => p.containerPort);
    expect(ports).toEqual([10000, 9902]);
    expect(ports.filter(ISTIO_RESERVED)).toEqual([]);
    expect(envoy.startupProbe.httpGet.port).toBe(9902);
  });
});

describe("Istio's classic proxy and network init steps", () => {
  test('warns with the fixes when a network step runs before a classic proxy', () => {
    // GIVEN a wait step in a pod whose Istio proxy is classic
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0', portNumber: 8080 });
    new WaitForService(chart, 'wait-db', { workload: app.workload, targets: [WaitTarget.tcp('db', 5432)] });
    const mesh = new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: false });
    // THEN the warning names the step and both fixes
    expect(mesh.warnings).toEqual([
      "IstioInjection 'mesh': the init step(s) 'wait-db' use the network, but Istio's proxy may be classic " +
        "('nativeSidecar' is false): it starts after every init step while Istio's rules already redirect their " +
        "traffic, so they cannot connect. Set 'nativeSidecar' true (Istio 1.24+, Kubernetes 1.29+), or list their " +
        "targets in 'excludeOutboundPorts' / 'excludeOutboundIpRanges'",
    ]);
  });

  test('no warning with a native proxy, nor once the targets are excluded; the exclusions are annotations', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0', portNumber: 8080 });
    new WaitForService(chart, 'wait-db', { workload: app.workload, targets: [WaitTarget.tcp('db', 5432)] });
    const mesh = new IstioInjection(chart, 'mesh', {
      workload: app.workload,
      excludeOutboundPorts: [5432, 8200],
      excludeOutboundIpRanges: ['10.96.0.0/12'],
    });
    expect(mesh.warnings).toEqual([]);
    const annotations = only(synthValid(chart), 'Deployment').spec.template.metadata.annotations;
    expect(annotations['traffic.sidecar.istio.io/excludeOutboundPorts']).toBe('5432,8200');
    expect(annotations['traffic.sidecar.istio.io/excludeOutboundIPRanges']).toBe('10.96.0.0/12');

    const native = chartWithApp('api', { image: 'company/api:1.0.0' });
    new WaitForService(native.chart, 'wait-db', { workload: native.app.workload, targets: [WaitTarget.tcp('db', 1)] });
    expect(
      new IstioInjection(native.chart, 'mesh', { workload: native.app.workload, nativeSidecar: true }).warnings,
    ).toEqual([]);
  });

  test('a target of Kubernetes 1.28 means a classic proxy', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' }, { version: KubernetesVersion.V1_28 });
    new WaitForService(chart, 'wait-db', { workload: app.workload, targets: [WaitTarget.tcp('db', 5432)] });
    const mesh = new IstioInjection(chart, 'mesh', { workload: app.workload });
    expect(mesh.warnings[0]).toContain('(the target is Kubernetes 1.28)');
  });

  test('throws for an exclusion that is not a CIDR range', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    expect(
      () => new IstioInjection(chart, 'mesh', { workload: app.workload, excludeOutboundIpRanges: ['10.0.0.0'] }),
    ).toThrow(
      "IstioInjection 'mesh': 'excludeOutboundIpRanges' entries must be IPv4 CIDR ranges such as '10.96.0.0/12', got \"10.0.0.0\"",
    );
  });
});

describe('Envoy with your own ConfigMap', () => {
  test('the probes target the health port and path you name, which is declared as a port', () => {
    // GIVEN a configuration that binds admin to 127.0.0.1 and serves health on 8081
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0', portNumber: 8080 });
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      config: EnvoyConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'envoy-config'), {
        listenerPorts: [10000],
        healthCheck: EnvoyHealthCheck.httpGet(8081, '/healthz'),
      }),
    });
    const envoy = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy');
    expect(envoy.startupProbe.httpGet).toEqual({ path: '/healthz', port: 8081 });
    expect(envoy.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8081 });
    expect(envoy.ports.map((p: any) => p.containerPort)).toEqual([10000, 8081]);
  });
});

describe('oauth2-proxy in front of an app bound to localhost', () => {
  const oauth = (chart: any, workload: kplus.AbstractPod, localhostApp?: OAuth2LocalhostApp) =>
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload,
      provider: OAuth2Provider.google(),
      secret: kplus.Secret.fromSecretName(chart, 'oauth', 'oauth2-proxy-secret'),
      redirectUrl: 'https://dash.example.com/oauth2/callback',
      emailDomains: ['example.com'],
      localhostApp,
    });

  test("the app's startup probe asks the proxy's /ready instead of a TCP check of the pod IP; Services target the proxy", () => {
    const { chart, app } = chartWithApp('dash', { name: 'grafana', image: 'grafana/grafana:10.4.0', portNumber: 3000 });
    oauth(chart, app.workload, OAuth2LocalhostApp.probeProxyReady());
    app.exposeViaService({ port: 80 });
    const manifests = synthValid(chart);
    const grafana = containerNamed(onlyPodSpec(manifests), 'grafana');
    expect(grafana.startupProbe).toEqual({
      httpGet: { path: '/ready', port: 4180 },
      failureThreshold: 30,
      periodSeconds: 2,
      timeoutSeconds: 1,
    });
    expect(only(manifests, 'Service').spec.ports).toEqual([{ port: 80, targetPort: 4180 }]);
  });

  test('a check you name, on a StatefulSet (which keeps the app port)', () => {
    const { chart, app } = chartWithApp(
      'dash',
      { name: 'grafana', image: 'grafana/grafana:10.4.0', portNumber: 3000 },
      { kind: WorkloadKind.statefulSet() },
    );
    const check = HealthCheck.exec(['wget', '-q', '--spider', 'http://127.0.0.1:3000/api/health']);
    oauth(chart, app.workload, OAuth2LocalhostApp.probeWith(check));
    const grafana = containerNamed(onlyPodSpec(synthValid(chart)), 'grafana');
    expect(grafana.startupProbe.exec.command).toEqual(['wget', '-q', '--spider', 'http://127.0.0.1:3000/api/health']);
    expect(grafana.ports).toEqual([{ containerPort: 3000 }]);
  });
});

describe('Flyway on arm64, without outbound calls', () => {
  test('defaults to the multi-arch image of the same version; update check and telemetry can be turned back on', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    const credentials = kplus.Secret.fromSecretName(chart, 'db', 'db');
    new FlywayMigration(chart, 'flyway', {
      workload: app.workload,
      jdbcUrl: 'jdbc:postgresql://db:5432/app',
      user: { secret: credentials, key: 'user' },
      password: { secret: credentials, key: 'password' },
      scripts: FlywayScripts.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'sql', 'sql')),
      checkForUpdates: true,
      telemetry: true,
    });
    const flyway = containerNamed(onlyPodSpec(synthValid(chart)), 'flyway');
    expect(flyway.image).toBe('flyway/flyway:10.12.0');
    expect(flyway.args).toEqual(['migrate']);
    expect(envOf(flyway).REDGATE_DISABLE_TELEMETRY).toBeUndefined();
  });
});

describe('image tags and pull policy', () => {
  test.each([
    ['busybox', 'has no tag'],
    ['busybox:latest', "has the floating tag 'latest'"],
    ['envoyproxy/envoy:v1.30-latest', "has the floating tag 'v1.30-latest'"],
  ])('refuses %s with IfNotPresent', (image, what) => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    expect(
      () => new WaitForService(chart, 'wait', { workload: app.workload, targets: [WaitTarget.tcp('db', 1)], image }),
    ).toThrow(
      `Init step 'wait': 'image' ${JSON.stringify(image)} ${what} and is pulled IfNotPresent, so each node keeps the ` +
        "copy it pulled first; pin an exact tag or digest (such as 'busybox:1.37.0'), or set 'imagePullPolicy' to " +
        'ImagePullPolicy.ALWAYS',
    );
  });

  test('accepts a floating tag with Always, and a registry port or a digest', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    new WaitForService(chart, 'a', {
      workload: app.workload,
      targets: [WaitTarget.tcp('db', 1)],
      image: 'busybox:latest',
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
    });
    new WaitForService(chart, 'b', {
      workload: app.workload,
      targets: [WaitTarget.tcp('db', 2)],
      image: `registry.local:5000/busybox@sha256:${'a'.repeat(64)}`,
    });
    const [a] = onlyPodSpec(synthValid(chart)).initContainers;
    expect(a.imagePullPolicy).toBe('Always');
  });
});

describe('Fluent Bit during an output outage', () => {
  test('buffers on the state volume with a size limit and unlimited retries', () => {
    const { chart, app } = chartWithApp('api', { name: 'api', image: 'company/api:1.0.0' });
    new FluentBitSidecar(chart, 'fb', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      config: FluentBitConfig.generate({
        outputs: [FluentBitOutput.stdout(), FluentBitOutput.forward({ host: 'agg' })],
        bufferSizeLimitMiB: 100,
        retryLimit: 50,
      }),
    });
    const manifests = synthValid(chart);
    const conf = manifests.find((m) => m.kind === 'ConfigMap').data['fluent-bit.conf'];
    expect(conf).toContain('storage.path              /fluent-bit/state/buffer');
    expect(conf).toContain('storage.type     filesystem');
    expect(conf.match(/storage\.total_limit_size 50M/g)).toHaveLength(2);
    expect(conf.match(/Retry_Limit +50/g)).toHaveLength(2);
    expect(onlyPodSpec(manifests).volumes).toContainEqual({ name: 'fb-state', emptyDir: { sizeLimit: '256Mi' } });
  });

  test('throws when the buffers would not fit in the state volume', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    expect(
      () =>
        new FluentBitSidecar(chart, 'fb', {
          workload: app.workload,
          logVolume: SharedVolume.emptyDir(chart, 'logs'),
          stateSizeLimitMiB: 64,
          config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()] }),
        }),
    ).toThrow(
      "FluentBitSidecar 'fb': the outputs may buffer 200 MiB ('bufferSizeLimitMiB') but the state volume holds 64 MiB " +
        "('stateSizeLimitMiB'), which must be at least 16 MiB more (a full emptyDir evicts the pod); raise " +
        "'stateSizeLimitMiB' to 216 or lower 'bufferSizeLimitMiB'",
    );
  });
});

describe('TLS to log backends and upstreams, verification on', () => {
  test('Fluent Bit: a CA bundle from a Secret is mounted and named by tls.ca_file', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    const ca = kplus.Secret.fromSecretName(chart, 'es-ca', 'es-http-certs-public');
    new FluentBitSidecar(chart, 'fb', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      config: FluentBitConfig.generate({
        outputs: [FluentBitOutput.elasticsearch({ host: 'es', tls: true, tlsTrust: TlsTrust.fromSecret(ca) })],
      }),
    });
    const manifests = synthValid(chart);
    const conf = manifests.find((m) => m.kind === 'ConfigMap').data['fluent-bit.conf'];
    expect(conf).toContain('tls.verify               On');
    expect(conf).toContain('tls.ca_file              /fluent-bit/tls/1/ca.crt');
    const spec = onlyPodSpec(manifests);
    expect(containerNamed(spec, 'fb').volumeMounts).toContainEqual({
      name: 'fb-ca',
      mountPath: '/fluent-bit/tls/1',
      readOnly: true,
    });
    expect(spec.volumes).toContainEqual({
      name: 'fb-ca',
      secret: { secretName: 'es-http-certs-public', defaultMode: 292 },
    });
  });

  test("Fluent Bit: 'tlsTrust' needs TLS", () => {
    const ca = TlsTrust.fromConfigMap(kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'ca', 'ca'));
    expect(() => FluentBitOutput.loki({ host: 'loki', tlsTrust: ca })).toThrow(
      "FluentBitOutput.loki: 'tlsTrust' needs 'tls: true'; without TLS there is no certificate to verify",
    );
  });

  test('Fluentd: the CA file and verification reach the configuration as env vars', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    new FluentdSidecar(chart, 'fluentd', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      configMap: kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fluentd-config'),
      elasticsearchHost: 'es',
      elasticsearchTls: true,
      elasticsearchTlsTrust: TlsTrust.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'ca', 'es-ca'), 'ca.pem'),
    });
    const fluentd = containerNamed(onlyPodSpec(synthValid(chart)), 'fluentd');
    expect(envOf(fluentd)).toMatchObject({
      FLUENT_ELASTICSEARCH_SCHEME: 'https',
      FLUENT_ELASTICSEARCH_CA_FILE: '/fluentd/tls/ca.pem',
      FLUENT_ELASTICSEARCH_SSL_VERIFY: 'true',
    });
    expect(envOf(fluentd).FLUENT_ELASTICSEARCH_SED_DISABLE).toBeUndefined();
  });

  test('Envoy: TLS to the app, verified with the bundle', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0', portNumber: 8443 });
    new EnvoySidecar(chart, 'envoy', {
      workload: app.workload,
      config: EnvoyConfig.bootstrap({
        upstreamTlsTrust: TlsTrust.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'ca', 'internal-ca')),
      }),
    });
    const manifests = synthValid(chart);
    const bootstrap = manifests.find((m) => m.kind === 'ConfigMap').data['envoy.yaml'];
    expect(bootstrap).toContain('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext');
    expect(bootstrap).toContain('filename: /etc/envoy-tls/ca.crt');
    expect(containerNamed(onlyPodSpec(manifests), 'envoy').volumeMounts).toContainEqual({
      name: 'envoy-ca',
      mountPath: '/etc/envoy-tls',
      readOnly: true,
    });
  });
});

describe("Fluent Bit's shutdown budget", () => {
  test("a native sidecar's Grace must fit in what the app's shutdown leaves of the grace period", () => {
    const { chart, app } = chartWithApp(
      'api',
      { image: 'company/api:1.0.0' },
      {
        kind: WorkloadKind.deployment({ terminationGracePeriod: Duration.seconds(30) }),
      },
    );
    new FluentBitSidecar(chart, 'fb', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      appShutdownSeconds: 20,
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()], graceSeconds: 10 }),
    });
    expect(() => Testing.synth(chart)).toThrow(
      "FluentBitSidecar 'fb': Fluent Bit's Grace (10 s) must be shorter than what the app's shutdown " +
        "('appShutdownSeconds', 20 s) leaves of the pod's terminationGracePeriodSeconds (30 s)",
    );
  });

  test('a classic sidecar stops with the app: only its Grace counts', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    new FluentBitSidecar(chart, 'fb', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      mode: SidecarMode.CLASSIC,
      appShutdownSeconds: 20,
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()], graceSeconds: 10 }),
    });
    expect(() => synthValid(chart)).not.toThrow();
  });
});

describe('gRPC through Envoy', () => {
  test('no stream idle timeout for gRPC; configurable', () => {
    const bootstrapOf = (config: EnvoyConfig) => {
      const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0', portNumber: 50051 });
      new EnvoySidecar(chart, 'envoy', { workload: app.workload, config });
      return synthValid(chart).find((m) => m.kind === 'ConfigMap').data['envoy.yaml'];
    };
    expect(bootstrapOf(EnvoyConfig.bootstrap({ protocol: EnvoyProtocol.GRPC }))).toContain('stream_idle_timeout: 0s');
    expect(
      bootstrapOf(EnvoyConfig.bootstrap({ protocol: EnvoyProtocol.GRPC, streamIdleTimeoutSeconds: 3600 })),
    ).toContain('stream_idle_timeout: 3600s');
    expect(bootstrapOf(EnvoyConfig.bootstrap())).not.toContain('stream_idle_timeout');
  });
});

describe('WaitForService and HTTPS', () => {
  test('an https target without a deadline is a warning; with one it is not', () => {
    const { chart, app } = chartWithApp('api', { image: 'company/api:1.0.0' });
    new WaitForService(chart, 'wait-auth', {
      workload: app.workload,
      targets: [WaitTarget.http('https://auth:8443/ready')],
    });
    expect(app.composer.warnings).toEqual([
      "WaitForService 'wait-auth': https://auth:8443/ready is waited for over HTTPS with no deadline. busybox's wget " +
        'speaks TLS 1.2 with a few ciphers only, so an endpoint that accepts TLS 1.3 only never answers and the pod ' +
        "waits for ever; set 'deadlineSeconds', or wait for the port with WaitTarget.tcp()",
    ]);
    const other = chartWithApp('api', { image: 'company/api:1.0.0' });
    new WaitForService(other.chart, 'wait-auth', {
      workload: other.app.workload,
      targets: [WaitTarget.http('https://auth:8443/ready')],
      deadlineSeconds: 120,
    });
    expect(other.app.composer.warnings).toEqual([]);
  });
});
