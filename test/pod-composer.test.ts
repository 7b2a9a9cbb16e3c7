import { Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  HealthCheck,
  KubernetesVersion,
  PodComposer,
  SharedVolume,
  SidecarMode,
  WorkloadKind,
} from '../lib';
import { checkPodSpec } from '../lib/core/pod-checks';
import { chartWithApp, containerNamed, only, onlyPodSpec, synthValid } from './util/manifest';

const busybox = (name: string) => ({ name, image: 'busybox:1.36', command: ['true'] });

function appOf(kind?: WorkloadKind, version?: KubernetesVersion) {
  const { chart, app } = chartWithApp('web', { name: 'app', image: 'nginx:1.27', portNumber: 8080 }, { kind, version });
  return { chart, app, composer: app.composer };
}

const names = (containers: any[] | undefined) => (containers ?? []).map((c: any) => c.name);

describe('start-up order', () => {
  test('init steps run in the order declared', () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('one'));
    composer.addInitStep(busybox('two'));
    composer.addInitStep(busybox('three'));
    const manifests = synthValid(chart);
    expect(names(onlyPodSpec(manifests).initContainers)).toEqual(['one', 'two', 'three']);
    expect(manifests).toMatchSnapshot();
  });

  test("'after' moves a step behind one declared later, keeping the rest in declared order", () => {
    const { chart, composer } = appOf();
    const later = { containerName: 'migrate' };
    composer.addInitStep(busybox('seed-data'), { after: [later] });
    composer.addInitStep(busybox('wait-db'));
    composer.addInitStep(busybox('migrate'));
    composer.addInitStep(busybox('warm-cache'));
    expect(names(onlyPodSpec(synthValid(chart)).initContainers)).toEqual([
      'wait-db',
      'migrate',
      'seed-data',
      'warm-cache',
    ]);
    expect(composer.startupOrder()).toEqual(['wait-db', 'migrate', 'seed-data', 'warm-cache']);
  });

  test('a cycle is an error that names the steps', () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('a'), { after: [{ containerName: 'c' }] });
    composer.addInitStep(busybox('b'), { after: [{ containerName: 'a' }] });
    composer.addInitStep(busybox('c'), { after: [{ containerName: 'b' }] });
    expect(() => Testing.synth(chart)).toThrow(
      "[test/web/Workload/PodComposer] PodComposer 'test/web/Workload': the start-up order has a cycle: a -> c -> b -> a; " +
        "remove one of these 'after' dependencies",
    );
  });

  test("'after' naming a container that is not a helper of this pod is an error", () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('a'), { after: [{ containerName: 'elsewhere' }] });
    expect(() => Testing.synth(chart)).toThrow(
      "'a' is declared to run after 'elsewhere', which is not an init step or native sidecar of this pod; " +
        "add 'elsewhere' to the same workload or remove it from 'after'",
    );
  });

  test('a native sidecar starts at its place in the order, before the steps after it', () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('wait-db'));
    const proxy = composer.addSidecar({ ...busybox('proxy'), startupProbe: HealthCheck.tcpSocket(15000) });
    composer.addInitStep(busybox('uses-proxy'), { after: [proxy] });
    const spec = onlyPodSpec(synthValid(chart));
    expect(names(spec.initContainers)).toEqual(['wait-db', 'proxy', 'uses-proxy']);
    expect(containerNamed(spec, 'proxy').restartPolicy).toBe('Always');
    expect(containerNamed(spec, 'proxy').startupProbe).toEqual({
      failureThreshold: 30,
      periodSeconds: 2,
      tcpSocket: { port: 15000 },
      timeoutSeconds: 1,
    });
  });

  test('parts added after construction and after a first synth still render (lazy)', () => {
    const { chart, composer, app } = appOf();
    app.exposeViaService();
    expect(onlyPodSpec(synthValid(chart)).initContainers).toBeUndefined();
    composer.addInitStep(busybox('late'));
    expect(names(onlyPodSpec(synthValid(chart)).initContainers)).toEqual(['late']);
  });
});

describe('native versus classic sidecars', () => {
  test('native by default (target 1.29)', () => {
    const { chart, composer } = appOf();
    composer.addSidecar(busybox('logs'));
    const spec = onlyPodSpec(synthValid(chart));
    expect(names(spec.initContainers)).toEqual(['logs']);
    expect(names(spec.containers)).toEqual(['app']);
  });

  test('classic when the target is 1.28', () => {
    const { chart, composer } = appOf(undefined, KubernetesVersion.V1_28);
    composer.addSidecar(busybox('logs'));
    const manifests = synthValid(chart);
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers).toBeUndefined();
    expect(names(spec.containers)).toEqual(['app', 'logs']);
    expect(containerNamed(spec, 'logs').restartPolicy).toBeUndefined();
    expect(manifests).toMatchSnapshot();
  });

  test('a per-workload version overrides the target', () => {
    const chart = Testing.chart();
    KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28);
    const app = new AppWorkload(chart, 'web', {
      container: { image: 'nginx:1.27' },
      kubernetesVersion: KubernetesVersion.of(30),
    });
    app.composer.addSidecar(busybox('logs'));
    expect(names(onlyPodSpec(synthValid(chart)).initContainers)).toEqual(['logs']);
  });

  test('SidecarMode.CLASSIC renders classic even on 1.29', () => {
    const { chart, composer } = appOf();
    composer.addSidecar(busybox('fluentd'), { mode: SidecarMode.CLASSIC });
    expect(names(onlyPodSpec(synthValid(chart)).containers)).toEqual(['app', 'fluentd']);
  });

  test('a classic sidecar in a Job is an error that says what to do', () => {
    const { chart, composer } = appOf(WorkloadKind.job(), KubernetesVersion.V1_28);
    composer.addSidecar(busybox('logs'));
    expect(() => Testing.synth(chart)).toThrow(
      "sidecar 'logs' would render as a classic sidecar in a Job (target Kubernetes 1.28): the pod would never " +
        'complete because the sidecar never exits. Target Kubernetes 1.29+ (KubernetesVersion.setTarget) so it ' +
        'renders as a native sidecar, or run it outside the Job',
    );
  });

  test('a native sidecar in a CronJob renders in initContainers', () => {
    const { chart, composer } = appOf(WorkloadKind.cronJob({ schedule: Cron.daily() }));
    composer.addSidecar(busybox('logs'));
    const cron = only(synthValid(chart), 'CronJob');
    expect(names(cron.spec.jobTemplate.spec.template.spec.initContainers)).toEqual(['logs']);
  });

  test('SidecarMode.NATIVE on 1.28 is an error', () => {
    const { chart, composer } = appOf(undefined, KubernetesVersion.V1_28);
    composer.addSidecar(busybox('logs'), { mode: SidecarMode.NATIVE });
    expect(() => Testing.synth(chart)).toThrow(
      "sidecar 'logs' is set to SidecarMode.NATIVE but the target is Kubernetes 1.28; native sidecars need 1.29+. " +
        'Target 1.29+ (KubernetesVersion.setTarget) or use SidecarMode.AUTO',
    );
  });

  test('a native sidecar that others wait for must have a startupProbe', () => {
    const { chart, composer } = appOf();
    const proxy = composer.addSidecar(busybox('proxy'));
    composer.addInitStep(busybox('needs-proxy'), { after: [proxy] });
    expect(() => Testing.synth(chart)).toThrow(
      "'needs-proxy' runs after native sidecar 'proxy', which has no startupProbe; only a startup probe makes " +
        'Kubernetes wait for a sidecar to be ready. Give the sidecar a startupProbe',
    );
  });

  test('an init step cannot wait for a classic sidecar', () => {
    const { chart, composer } = appOf(undefined, KubernetesVersion.V1_28);
    const proxy = composer.addSidecar({ ...busybox('proxy'), startupProbe: HealthCheck.tcpSocket(1) });
    composer.addInitStep(busybox('needs-proxy'), { after: [proxy] });
    expect(() => Testing.synth(chart)).toThrow(
      "init step 'needs-proxy' runs after sidecar 'proxy', which renders as a classic sidecar and so starts only " +
        'after every init step; make the sidecar native (Kubernetes 1.29+) or drop the dependency',
    );
  });
});

describe('shared volumes', () => {
  test('producers mount read-write, consumers read-only, subPath supported', () => {
    const { chart, composer } = appOf();
    const content = SharedVolume.emptyDir(chart, 'content');
    composer.addInitStep({ ...busybox('fill'), mounts: [{ volume: content, path: '/data', readOnly: false }] });
    composer.mountIntoApp(content, '/usr/share/nginx/html', { subPath: 'html' });
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'fill').volumeMounts).toEqual([
      { mountPath: '/data', name: 'content', readOnly: false },
    ]);
    expect(containerNamed(spec, 'app').volumeMounts).toEqual([
      { mountPath: '/usr/share/nginx/html', name: 'content', readOnly: true, subPath: 'html' },
    ]);
    expect(spec.volumes).toEqual([{ emptyDir: {}, name: 'content' }]);
  });

  test('memory-backed emptyDir gets a size limit by default', () => {
    const { chart, composer } = appOf();
    const secrets = SharedVolume.emptyDir(chart, 'secrets', { memory: true });
    composer.mountIntoApp(secrets, '/secrets');
    expect(onlyPodSpec(synthValid(chart)).volumes).toEqual([
      { emptyDir: { medium: 'Memory', sizeLimit: '16Mi' }, name: 'secrets' },
    ]);
    expect(secrets.memoryBacked).toBe(true);
  });

  test('ConfigMap and Secret volumes', () => {
    const { chart, composer } = appOf();
    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config');
    const secret = kplus.Secret.fromSecretName(chart, 'sec', 'tls');
    composer.mountIntoApp(SharedVolume.fromConfigMap(chart, cm, { name: 'config-vol' }), '/config');
    composer.mountIntoApp(SharedVolume.fromSecret(chart, secret), '/tls');
    const spec = onlyPodSpec(synthValid(chart));
    expect(spec.volumes).toEqual([
      { configMap: { name: 'app-config' }, name: 'config-vol' },
      { name: 'secret-tls', secret: { defaultMode: 0o400, secretName: 'tls' } },
    ]);
  });

  test('the same handle added twice is one volume; two volumes with one name are an error', () => {
    const { chart, composer } = appOf();
    const a = SharedVolume.emptyDir(chart, 'shared');
    composer.addVolume(a);
    composer.addVolume(a);
    expect(onlyPodSpec(synthValid(chart)).volumes).toHaveLength(1);
    const b = SharedVolume.emptyDir(composer, 'shared');
    expect(() => composer.addVolume(b)).toThrow(
      "PodComposer 'test/web/Workload': two different volumes are named 'shared'; share one SharedVolume handle, " +
        'or give one of them another name',
    );
  });

  test('a volume name that is not a DNS-1123 label is rejected', () => {
    const chart = Testing.chart();
    expect(() => SharedVolume.emptyDir(chart, 'Web_Content')).toThrow(
      "SharedVolume 'Web_Content': 'name' must be a DNS-1123 label (lower-case letters, digits and '-', starting " +
        'and ending with a letter or digit, at most 63 characters), got "Web_Content"',
    );
  });
});

describe('validation', () => {
  test('a helper named like the app container is an error', () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('app'));
    expect(() => Testing.synth(chart)).toThrow(
      "two containers are named 'app' (init and app containers share one namespace); rename one of them",
    );
  });

  test('two helpers with one name are refused when added', () => {
    const { composer } = appOf();
    composer.addInitStep(busybox('wait'));
    expect(() => composer.addSidecar(busybox('wait'))).toThrow(
      "PodComposer 'test/web/Workload': a helper container named 'wait' is already in this pod; give one of them " +
        "another 'containerName'",
    );
  });

  test('probes on an init step are refused', () => {
    const { composer } = appOf();
    expect(() => composer.addInitStep({ ...busybox('wait'), startupProbe: HealthCheck.tcpSocket(80) })).toThrow(
      "Init step 'wait': init steps run to completion and may not have probes or a preStop hook (the API server " +
        'rejects them); add it as a sidecar instead',
    );
  });

  test('a cdk8s-plus init container with a port gets a startupProbe from cdk8s-plus: reported', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'app:1' }] });
    deployment.addInitContainer({ name: 'setup', image: 'setup:1', portNumber: 9000 });
    PodComposer.of(deployment).addInitStep(busybox('wait'));
    expect(() => Testing.synth(chart)).toThrow(
      "init container 'setup' has a startupProbe, which the API server rejects",
    );
  });

  test('bad container and port names are refused when added', () => {
    const { composer } = appOf();
    expect(() => composer.addInitStep(busybox('Wait_DB'))).toThrow(
      "Init step 'Wait_DB': 'name' must be a DNS-1123 label",
    );
    expect(() =>
      composer.addSidecar({ ...busybox('proxy'), ports: [{ number: 8080, name: 'http-proxy-port-1' }] }),
    ).toThrow(
      `Sidecar 'proxy': 'ports name' "http-proxy-port-1" is longer than 15 characters; use a name such as 'http' or 'admin'`,
    );
    expect(() => composer.addSidecar({ ...busybox('proxy'), ports: [{ number: 70000 }] })).toThrow(
      "Sidecar 'proxy': 'ports' must be an integer 1-65535, got 70000",
    );
  });

  test('a sidecar listening on the app port is an error', () => {
    const { chart, composer } = appOf();
    composer.addSidecar({ ...busybox('proxy'), ports: [{ number: 8080 }] });
    expect(() => Testing.synth(chart)).toThrow(
      "containers 'proxy' and 'app' both listen on port 8080/TCP; they share the pod's network, so one would fail " +
        'to bind it. Give one of them another port',
    );
  });

  test('an init step may use a port a sidecar or the app uses later', () => {
    const { chart, composer } = appOf();
    composer.addInitStep({ ...busybox('probe-once'), ports: [{ number: 8080 }] });
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('two mounts at one path in a container are an error', () => {
    const { chart, composer } = appOf();
    const a = SharedVolume.emptyDir(chart, 'a');
    const b = SharedVolume.emptyDir(chart, 'b');
    composer.addInitStep({
      ...busybox('fill'),
      mounts: [
        { volume: a, path: '/data' },
        { volume: b, path: '/data' },
      ],
    });
    expect(() => Testing.synth(chart)).toThrow(
      "container 'fill' mounts two volumes at '/data'; give each mount its own path",
    );
  });

  test('mount paths must be absolute and plain', () => {
    const { chart, composer } = appOf();
    const a = SharedVolume.emptyDir(chart, 'a');
    expect(() => composer.addInitStep({ ...busybox('fill'), mounts: [{ volume: a, path: '/data/../etc' }] })).toThrow(
      `Init step 'fill': 'mount path of volume 'a'' must not contain '..', '.' or empty segments, got "/data/../etc"`,
    );
  });

  test('checkPodSpec reports undeclared volumes, restartPolicy on app containers and Job restart policies', () => {
    const spec = {
      restartPolicy: 'Always',
      containers: [{ name: 'app', restartPolicy: 'Always', volumeMounts: [{ name: 'ghost', mountPath: '/x' }] }],
      initContainers: [{ name: 'init', restartPolicy: 'OnFailure' }],
    };
    expect(checkPodSpec(spec, 'Job')).toEqual([
      "container 'app' mounts volume 'ghost', which the pod does not declare; declare it under the pod's volumes (with this library, mount a SharedVolume handle, which adds it)",
      "init container 'init' has restartPolicy 'OnFailure'; only 'Always' is allowed",
      "app container 'app' sets restartPolicy; only init containers (native sidecars) may",
      "a Job's pods must have restartPolicy 'Never' or 'OnFailure', got 'Always'",
    ]);
    expect(checkPodSpec({ restartPolicy: 'Never', containers: [{ name: 'app' }] }, 'Deployment')).toEqual([
      "a Deployment's pods must have restartPolicy 'Always', got 'Never'",
    ]);
  });

  test('a Job pod with restartPolicy Always is reported at synth', () => {
    const { chart, composer } = appOf(WorkloadKind.job({ restartPolicy: kplus.RestartPolicy.ALWAYS }));
    composer.addInitStep(busybox('wait'));
    expect(() => Testing.synth(chart)).toThrow(
      "a Job's pods must have restartPolicy 'Never' or 'OnFailure', got 'Always'",
    );
  });
});

describe('every workload kind', () => {
  test.each([
    ['Deployment', WorkloadKind.deployment()],
    ['StatefulSet', WorkloadKind.statefulSet()],
    ['DaemonSet', WorkloadKind.daemonSet()],
    ['Job', WorkloadKind.job()],
    ['CronJob', WorkloadKind.cronJob({ schedule: Cron.daily() })],
    ['Pod', WorkloadKind.pod()],
  ])('%s gets its helpers in its pod template', (kind, workloadKind) => {
    const { chart, composer } = appOf(workloadKind);
    expect(composer.workloadKind).toBe(kind);
    composer.addInitStep(busybox('wait'));
    composer.addSidecar(busybox('logs'));
    const spec = onlyPodSpec(synthValid(chart));
    expect(names(spec.initContainers)).toEqual(['wait', 'logs']);
    expect(names(spec.containers)).toEqual(['app']);
  });
});

describe('plain cdk8s-plus workloads', () => {
  test('a Deployment the user already has: its own init containers come first', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'existing', {
      containers: [{ image: 'app:1', name: 'app' }],
      initContainers: [{ image: 'setup:1', name: 'setup' }],
    });
    const composer = PodComposer.of(deployment);
    expect(PodComposer.of(deployment)).toBe(composer);
    composer.addInitStep(busybox('wait'));
    const spec = onlyPodSpec(synthValid(chart));
    expect(names(spec.initContainers)).toEqual(['setup', 'wait']);
  });

  test('a composer needs an app container before it can mount into it', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'empty');
    expect(() => PodComposer.of(deployment).appContainer).toThrow(
      "PodComposer 'test/empty': the workload has no app container yet; add it (workload.addContainer) before " +
        'attaching patterns',
    );
  });
});

describe('helper defaults', () => {
  test('small explicit resources, non-root, read-only root file system', () => {
    const { chart, composer } = appOf();
    composer.addInitStep(busybox('wait'));
    const c = containerNamed(onlyPodSpec(synthValid(chart)), 'wait');
    expect(c.resources).toEqual({ limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '10m', memory: '16Mi' } });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65534,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('env values from secrets render as secretKeyRef', () => {
    const { chart, composer } = appOf();
    const secret = kplus.Secret.fromSecretName(chart, 's', 'db');
    composer.addInitStep({
      ...busybox('migrate'),
      env: {
        DB_HOST: kplus.EnvValue.fromValue('postgres'),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }),
      },
    });
    expect(containerNamed(onlyPodSpec(synthValid(chart)), 'migrate').env).toEqual([
      { name: 'DB_HOST', value: 'postgres' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'db' } } },
    ]);
  });
});

describe('Services and the front door', () => {
  test('exposeViaService targets the app port', () => {
    const { chart, app } = appOf();
    app.exposeViaService({ port: 80 });
    const svc = only(synthValid(chart), 'Service');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  test('a front door claimed before or after exposing retargets every Service', () => {
    const { chart, app, composer } = appOf();
    app.exposeViaService({ port: 80 });
    composer.claimFrontDoor(4180, 'oauth2-proxy');
    composer.exposeViaService(chart, 'second', { port: 81 });
    const services = synthValid(chart).filter((m) => m.kind === 'Service');
    expect(services.map((s) => s.spec.ports[0].targetPort)).toEqual([4180, 4180]);
    expect(() => composer.claimFrontDoor(9000, 'envoy')).toThrow(
      "PodComposer 'test/web/Workload': 'envoy' and 'oauth2-proxy' both want to be the pod's front door; only one " +
        "proxy may receive the Service's traffic",
    );
  });
});

describe('troubleshootingGuide', () => {
  test('names the container behind each Init:N/M status and the commands to inspect it', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'orders', {
      kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }),
      container: { name: 'order-service', image: 'company/order-service:3.4.1' },
    });
    app.composer.addInitStep(busybox('wait-for-postgres'));
    app.composer.addSidecar({ ...busybox('log-forwarder'), startupProbe: HealthCheck.httpGet('/api/v1/health', 2020) });
    app.composer.addInitStep(busybox('flyway-migrate'));
    const guide = app.composer.troubleshootingGuide();
    expect(guide).toMatchSnapshot();
    expect(guide).toContain('  Init:0/3  wait-for-postgres (init step; must exit 0)');
    expect(guide).toContain(
      '  Init:1/3  log-forwarder (native sidecar; the next container starts once it passes its startupProbe)',
    );
    expect(guide).toContain(
      '      logs: kubectl logs <pod> -n production -c flyway-migrate   (crashed: add --previous)',
    );
    expect(guide).toMatch(
      /Find its pods: kubectl get pods -n production -l cdk8s.io\/metadata.addr=test-orders-Workload-/,
    );
  });
});

describe('rendering once per synth', () => {
  test('the manifest composed for validation is reused once; later changes are rendered by the next synth', () => {
    const { chart, app, composer } = appOf();
    composer.addInitStep(busybox('wait'));
    const first = synthValid(chart);
    expect(containerNamed(onlyPodSpec(first), 'app').env).toBeUndefined();
    app.container.env.addVariable('LATE', kplus.EnvValue.fromValue('1'));
    composer.addInitStep(busybox('late-step'));
    const second = onlyPodSpec(synthValid(chart));
    expect(containerNamed(second, 'app').env).toEqual([{ name: 'LATE', value: '1' }]);
    expect(names(second.initContainers)).toEqual(['wait', 'late-step']);
    // a direct render without a synth is never served from an earlier validation
    app.container.env.addVariable('DIRECT', kplus.EnvValue.fromValue('2'));
    expect(composer.startupOrder()).toEqual(['wait', 'late-step']);
    expect(containerNamed(onlyPodSpec(synthValid(chart)), 'app').env).toHaveLength(2);
  });
});
