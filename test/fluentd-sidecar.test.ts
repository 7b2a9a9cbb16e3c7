import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  FluentdSidecar,
  FluentdSidecarProps,
  KubernetesVersion,
  SharedVolume,
  SidecarMode,
  WorkloadKind,
} from '../lib';
import { chartWithApp, containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

function setup(kind?: WorkloadKind, version?: KubernetesVersion) {
  const { chart, app } = chartWithApp(
    'api-server',
    { name: 'api-server', image: 'company/api-server:6.1.0', portNumber: 8080 },
    { kind, version },
  );
  const logs = SharedVolume.emptyDir(chart, 'log-volume');
  const configMap = kplus.ConfigMap.fromConfigMapName(chart, 'fluentd-config', 'fluentd-config');
  return { chart, app, logs, configMap };
}

function fluentd(extra: Partial<FluentdSidecarProps> = {}, kind?: WorkloadKind, version?: KubernetesVersion) {
  const { chart, app, logs, configMap } = setup(kind, version);
  new FluentdSidecar(chart, 'fluentd', {
    workload: app.workload,
    logVolume: logs,
    configMap,
    elasticsearchHost: 'elasticsearch-svc',
    ...extra,
  });
  return { chart, app };
}

describe('FluentdSidecar rendering', () => {
  test("renders the seed's classic sidecar: image, Elasticsearch env, resources, read-only log mount", () => {
    const { chart } = fluentd({ appMountPath: '/var/log/app' });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server', 'fluentd']);
    const c = containerNamed(spec, 'fluentd');
    expect(c).toMatchObject({
      image: 'fluent/fluentd-kubernetes-daemonset:v1.19.3-debian-elasticsearch8-1.1',
      resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '500m', memory: '500Mi' } },
    });
    expect(envOf(c)).toEqual({
      FLUENT_ELASTICSEARCH_HOST: 'elasticsearch-svc',
      FLUENT_ELASTICSEARCH_PORT: '9200',
      FLUENTD_SYSTEMD_CONF: 'disable',
    });
    expect(c.volumeMounts).toEqual([
      { name: 'log-volume', mountPath: '/var/log/app', readOnly: true },
      { name: 'fluentd-config', mountPath: '/fluentd/etc', readOnly: true },
      { name: 'fluentd-state', mountPath: '/fluentd/state', readOnly: false },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'log-volume', emptyDir: {} },
      { name: 'fluentd-config', configMap: { name: 'fluentd-config' } },
      { name: 'fluentd-state', emptyDir: { sizeLimit: '256Mi' } },
    ]);
  });

  test('runs as a non-root user on a writable root file system (Ruby needs a sticky /tmp)', () => {
    const c = containerNamed(onlyPodSpec(synthValid(fluentd().chart)), 'fluentd');
    expect(c.securityContext).toMatchObject({
      runAsUser: 65534,
      runAsNonRoot: true,
      readOnlyRootFilesystem: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('runAsUser and readOnlyRootFilesystem can be overridden', () => {
    const c = containerNamed(
      onlyPodSpec(synthValid(fluentd({ runAsUser: 0, readOnlyRootFilesystem: true }).chart)),
      'fluentd',
    );
    expect(c.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true });
  });

  test('mode AUTO renders a native sidecar on 1.29', () => {
    const manifests = synthValid(fluentd({ mode: SidecarMode.AUTO }).chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server']);
    expect(spec.initContainers).toEqual([expect.objectContaining({ name: 'fluentd', restartPolicy: 'Always' })]);
  });

  test('mode AUTO stays classic on 1.28', () => {
    const spec = onlyPodSpec(synthValid(fluentd({ mode: SidecarMode.AUTO }, undefined, KubernetesVersion.V1_28).chart));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server', 'fluentd']);
    expect(spec.initContainers).toBeUndefined();
  });

  test('in a Job, the classic default is an error that says what to do', () => {
    const { chart } = fluentd({}, WorkloadKind.job());
    expect(() => Testing.synth(chart)).toThrow(
      "sidecar 'fluentd' would render as a classic sidecar in a Job (SidecarMode.CLASSIC): the pod would never " +
        "complete because the sidecar never exits. Set its 'mode' to SidecarMode.AUTO or SidecarMode.NATIVE " +
        '(Kubernetes 1.29+), or run it outside the Job',
    );
  });

  test('in a Job with mode NATIVE it renders in initContainers, so the Job completes', () => {
    const manifests = synthValid(fluentd({ mode: SidecarMode.NATIVE }, WorkloadKind.job()).chart);
    expect(manifests).toMatchSnapshot();
    const spec = only(manifests, 'Job').spec.template.spec;
    expect(spec.initContainers).toEqual([expect.objectContaining({ name: 'fluentd', restartPolicy: 'Always' })]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server']);
  });

  test('attaches to a plain cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    new FluentdSidecar(chart, 'fluentd', {
      workload: deployment,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      configMap: new kplus.ConfigMap(chart, 'cfg', { data: { 'fluent.conf': '<system>\n</system>\n' } }),
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['main', 'fluentd']);
    // a generated ConfigMap name is known at construction, and becomes the volume name
    const cmName = only(manifests, 'ConfigMap').metadata.name;
    expect(spec.volumes).toContainEqual({ name: cmName, configMap: { name: cmName } });
    expect(envOf(containerNamed(spec, 'fluentd'))).toEqual({
      FLUENTD_SYSTEMD_CONF: 'disable',
    });
  });
});

describe('FluentdSidecar props', () => {
  test('elasticsearchPort, elasticsearchTls and credentials from a Secret', () => {
    const { chart, app, logs, configMap } = setup();
    new FluentdSidecar(chart, 'fluentd', {
      workload: app.workload,
      logVolume: logs,
      configMap,
      elasticsearchHost: 'es.example.com',
      elasticsearchPort: 443,
      elasticsearchTls: true,
      elasticsearchUser: 'shipper',
      elasticsearchPassword: { secret: kplus.Secret.fromSecretName(chart, 's', 'es-creds'), key: 'password' },
    });
    const c = containerNamed(onlyPodSpec(synthValid(chart)), 'fluentd');
    expect(envOf(c)).toMatchObject({
      FLUENT_ELASTICSEARCH_HOST: 'es.example.com',
      FLUENT_ELASTICSEARCH_PORT: '443',
      FLUENT_ELASTICSEARCH_SCHEME: 'https',
      FLUENT_ELASTICSEARCH_USER: 'shipper',
      FLUENT_ELASTICSEARCH_PASSWORD: { secretKeyRef: { name: 'es-creds', key: 'password' } },
    });
    // the password is never a plain value
    expect(c.env.find((e: any) => e.name === 'FLUENT_ELASTICSEARCH_PASSWORD').value).toBeUndefined();
  });

  test('without elasticsearchHost there are no Elasticsearch variables', () => {
    const c = containerNamed(onlyPodSpec(synthValid(fluentd({ elasticsearchHost: undefined }).chart)), 'fluentd');
    expect(Object.keys(envOf(c))).toEqual(['FLUENTD_SYSTEMD_CONF']);
  });

  test('configFile sets FLUENTD_CONF; configVolumeName names the volume', () => {
    const spec = onlyPodSpec(synthValid(fluentd({ configFile: 'sidecar.conf', configVolumeName: 'fd-conf' }).chart));
    const c = containerNamed(spec, 'fluentd');
    expect(envOf(c).FLUENTD_CONF).toBe('sidecar.conf');
    expect(c.volumeMounts[1]).toEqual({ name: 'fd-conf', mountPath: '/fluentd/etc', readOnly: true });
  });

  test('a ConfigMap name that cannot name a volume gives a volume name derived from the container', () => {
    const { chart, app, logs } = setup();
    new FluentdSidecar(chart, 'fluentd', {
      workload: app.workload,
      logVolume: logs,
      configMap: kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fluentd.v2'),
    });
    expect(onlyPodSpec(synthValid(chart)).volumes).toContainEqual({
      name: 'fluentd-config',
      configMap: { name: 'fluentd.v2' },
    });
  });

  test('logMountPath, stateMountPath and stateSizeLimitMiB move and size the mounts', () => {
    const spec = onlyPodSpec(
      synthValid(fluentd({ logMountPath: '/logs', stateMountPath: '/var/lib/fluentd', stateSizeLimitMiB: 64 }).chart),
    );
    const c = containerNamed(spec, 'fluentd');
    expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/logs', '/fluentd/etc', '/var/lib/fluentd']);
    expect(spec.volumes).toContainEqual({ name: 'fluentd-state', emptyDir: { sizeLimit: '64Mi' } });
  });

  test('containerName, image, resources and env change the container', () => {
    const spec = onlyPodSpec(
      synthValid(
        fluentd({
          containerName: 'log-shipper',
          image: 'fluent/fluentd-kubernetes-daemonset:v1.16.5-debian-elasticsearch8-1.0',
          resources: { memory: { request: Size.mebibytes(100), limit: Size.mebibytes(300) } },
          env: { FLUENT_UID: kplus.EnvValue.fromValue('65534') },
        }).chart,
      ),
    );
    const c = containerNamed(spec, 'log-shipper');
    expect(c.image).toBe('fluent/fluentd-kubernetes-daemonset:v1.16.5-debian-elasticsearch8-1.0');
    expect(c.resources).toEqual({ limits: { memory: '300Mi' }, requests: { memory: '100Mi' } });
    expect(envOf(c).FLUENT_UID).toBe('65534');
    expect(spec.volumes.map((v: any) => v.name)).toContain('log-shipper-state');
  });
});

describe('FluentdSidecar configuration ConfigMap', () => {
  test('a ConfigMap defined in the app is hashed into the pod template, so a change rolls the pods', () => {
    const hashOf = (conf: string) => {
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'api', { container: { image: 'company/api:1.0.0', portNumber: 8080 } });
      new FluentdSidecar(chart, 'fluentd', {
        workload: app.workload,
        logVolume: SharedVolume.emptyDir(chart, 'logs'),
        configMap: new kplus.ConfigMap(chart, 'cfg', { data: { 'fluent.conf': conf } }),
      });
      return only(synthValid(chart), 'Deployment').spec.template.metadata.annotations[
        'checksum.cdk8s-pod-patterns/fluentd'
      ];
    };
    expect(hashOf('<system>\n</system>\n')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashOf('a')).not.toBe(hashOf('b'));
  });

  test('an imported ConfigMap has no hash annotation (its content is unknown)', () => {
    const annotations = only(synthValid(fluentd().chart), 'Deployment').spec.template.metadata.annotations;
    expect(annotations).toBeUndefined();
  });

  test('throws for a ConfigMap or an Elasticsearch password Secret of another namespace', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'api', {
      kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }),
      container: { image: 'company/api:1.0.0', portNumber: 8080 },
    });
    const logVolume = SharedVolume.emptyDir(chart, 'logs');
    const elsewhere = new kplus.ConfigMap(chart, 'cfg', { metadata: { name: 'fluentd', namespace: 'tools' } });
    expect(() => new FluentdSidecar(chart, 'a', { workload: app.workload, logVolume, configMap: elsewhere })).toThrow(
      'FluentdSidecar \'a\': the ConfigMap \'fluentd\' is in namespace "tools" but the workload is in "production"; ' +
        'a pod mounts ConfigMaps of its own namespace only',
    );
    const secret = new kplus.Secret(chart, 'es', { metadata: { name: 'es-creds', namespace: 'tools' } });
    expect(
      () =>
        new FluentdSidecar(chart, 'b', {
          workload: app.workload,
          logVolume,
          configMap: kplus.ConfigMap.fromConfigMapName(chart, 'imported', 'fluentd-config'),
          elasticsearchHost: 'es',
          elasticsearchUser: 'shipper',
          elasticsearchPassword: { secret, key: 'password' },
        }),
    ).toThrow(
      'FluentdSidecar \'b\': the Secret \'es-creds\' is in namespace "tools" but the workload is in "production"; ' +
        'a pod reads Secrets of its own namespace only',
    );
  });
});

describe('FluentdSidecar validation', () => {
  test.each([
    [
      { elasticsearchHost: 'es\n<match **>' },
      "FluentdSidecar 'fluentd': 'elasticsearchHost' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"es\\n<match **>\"",
    ],
    [
      { elasticsearchHost: 'es"; system("id")' },
      "FluentdSidecar 'fluentd': 'elasticsearchHost' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"es\\\"; system(\\\"id\\\")\"",
    ],
    [{ elasticsearchPort: 0 }, "FluentdSidecar 'fluentd': 'elasticsearchPort' must be an integer 1-65535, got 0"],
    [
      { elasticsearchHost: undefined, elasticsearchPort: 9200 },
      "FluentdSidecar 'fluentd': 'elasticsearchPort' needs 'elasticsearchHost'; give the host too, or drop 'elasticsearchPort'",
    ],
    [
      { elasticsearchUser: 'u' },
      "FluentdSidecar 'fluentd': 'elasticsearchUser' and 'elasticsearchPassword' go together; give both or neither",
    ],
    [
      { logMountPath: 'logs' },
      "FluentdSidecar 'fluentd': 'logMountPath' must be absolute (start with /), got \"logs\"",
    ],
    [
      { logMountPath: '/fluentd/etc/logs' },
      "FluentdSidecar 'fluentd': 'logMountPath' must not be '/' nor lie in '/fluentd/etc' (where the configuration is mounted), got \"/fluentd/etc/logs\"",
    ],
    [
      { stateMountPath: '/var/log/app' },
      "FluentdSidecar 'fluentd': 'logMountPath' and 'stateMountPath' must differ (the log volume is read-only), both are \"/var/log/app\"",
    ],
    [
      { configFile: '/etc/fluent.conf' },
      "FluentdSidecar 'fluentd': 'configFile' must be a relative path of plain segments (letters, digits, '.', '_', '-'; no '..', no leading '/'), got \"/etc/fluent.conf\"",
    ],
    [
      { stateSizeLimitMiB: 0 },
      "FluentdSidecar 'fluentd': 'stateSizeLimitMiB' must be a whole number from 1 to 1048576, got 0",
    ],
    [
      { configVolumeName: 'Config' },
      "FluentdSidecar 'fluentd': 'configVolumeName' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got \"Config\"",
    ],
    [{ runAsUser: 1.5 }, "FluentdSidecar 'fluentd': 'runAsUser' must be a whole number from 0 to 2147483647, got 1.5"],
    [
      { env: { FLUENT_ELASTICSEARCH_HOST: kplus.EnvValue.fromValue('other') } },
      "FluentdSidecar 'fluentd': 'env' must not set FLUENT_ELASTICSEARCH_HOST, which the sidecar sets from its props; use the prop",
    ],
    [
      { image: 'fluentd:v1 ; id' },
      "FluentdSidecar 'fluentd': 'image' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', got \"fluentd:v1 ; id\"",
    ],
  ])('throws for %j', (extra, message) => {
    expect(() => fluentd(extra as any)).toThrow(message);
  });

  test('a hostile user name is rejected', () => {
    const { chart, app, logs, configMap } = setup();
    expect(
      () =>
        new FluentdSidecar(chart, 'fluentd', {
          workload: app.workload,
          logVolume: logs,
          configMap,
          elasticsearchHost: 'es',
          elasticsearchUser: '#{`id`}',
          elasticsearchPassword: { secret: kplus.Secret.fromSecretName(chart, 's', 'x'), key: 'p' },
        }),
    ).toThrow(
      "FluentdSidecar 'fluentd': 'elasticsearchUser' must be a user name of letters, digits, '.', '_', '@', '+' and '-', got \"#{`id`}\"",
    );
  });
});
