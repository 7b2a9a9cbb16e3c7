import { Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppSecurity, AppWorkload, KubernetesVersion, WaitForService, WaitTarget, WorkloadKind } from '../lib';
import { restrictedViolations } from './security/restricted-profile';
import { containerNamed, only, onlyPodSpec, synthValid } from './util/manifest';

describe('AppWorkload', () => {
  test('a Deployment with the app container by default', () => {
    const chart = Testing.chart();
    new AppWorkload(chart, 'orders', {
      container: { name: 'order-service', image: 'company/order-service:3.4.1', portNumber: 8080 },
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const deployment = only(manifests, 'Deployment');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['order-service']);
  });

  test('the kind carries the cdk8s-plus props (name, namespace, replicas, labels)', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'orders', {
      kind: WorkloadKind.deployment({
        metadata: { name: 'order-service', namespace: 'production' },
        replicas: 3,
        select: false,
        podMetadata: { labels: { app: 'order-service' } },
      }),
      container: { image: 'company/order-service:3.4.1', portNumber: 8080 },
    });
    app.deployment.select(kplus.LabelSelector.of({ labels: { app: 'order-service' } }));
    const deployment = only(synthValid(chart), 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'order-service', namespace: 'production' });
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'order-service' } });
    // cdk8s-plus always adds its own address label to the pod template, even with select: false
    expect(Object.keys(deployment.spec.template.metadata.labels)).toEqual(['app', 'cdk8s.io/metadata.addr']);
  });

  test('a StatefulSet gets its ports from the app container', () => {
    const chart = Testing.chart();
    new AppWorkload(chart, 'db', {
      kind: WorkloadKind.statefulSet(),
      container: { image: 'postgres:16', portNumber: 5432 },
    });
    const manifests = synthValid(chart);
    expect(only(manifests, 'StatefulSet').spec.template.spec.containers[0].image).toBe('postgres:16');
  });

  test('extra containers of the kind props come after the app container', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', {
      kind: WorkloadKind.pod({ containers: [{ name: 'metrics', image: 'exporter:1' }] }),
      container: { name: 'web', image: 'nginx:1.27' },
    });
    expect(app.container.name).toBe('web');
    expect(onlyPodSpec(synthValid(chart)).containers.map((c: any) => c.name)).toEqual(['web', 'metrics']);
  });

  test('exposeViaService makes a Service to the app port', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', { container: { image: 'nginx:1.27', portNumber: 8080 } });
    app.exposeViaService({ name: 'web', port: 80, portName: 'http' });
    const svc = only(synthValid(chart), 'Service');
    expect(svc.metadata.name).toBe('web');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  test('exposeViaService without a port is an error that says what to give', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'worker', { container: { image: 'worker:1' } });
    expect(() => app.exposeViaService()).toThrow(
      "PodComposer 'test/worker/Workload': the app container declares no port; give it 'portNumber' or pass 'targetPort'",
    );
  });
});

describe('KubernetesVersion', () => {
  test('defaults to 1.29 and reads the nearest target', () => {
    const chart = Testing.chart();
    expect(KubernetesVersion.targetOf(chart).toString()).toBe('1.29');
    KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28);
    expect(KubernetesVersion.targetOf(chart).supportsNativeSidecars).toBe(false);
    expect(KubernetesVersion.of(31).supportsNativeSidecars).toBe(true);
  });

  test('rejects a minor version out of range', () => {
    expect(() => KubernetesVersion.of(2.5)).toThrow(
      "KubernetesVersion.of: 'minor' must be a whole number from 20 to 99 (1.20-1.99), got 2.5",
    );
  });
});

describe('AppWorkload security', () => {
  const RESTRICTED = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };

  test('the app container meets the restricted profile by default', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new AppWorkload(chart, 'web', { container: { name: 'web', image: 'company/web:1.0.0', portNumber: 8080 } });
    // THEN
    const manifests = synthValid(chart);
    expect(onlyPodSpec(manifests).containers[0].securityContext).toEqual(RESTRICTED);
    expect(manifests.flatMap(restrictedViolations)).toEqual([]);
  });

  test("the kind's own containers and init containers are held to the profile too", () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new AppWorkload(chart, 'web', {
      kind: WorkloadKind.pod({
        containers: [{ name: 'metrics', image: 'exporter:1' }],
        initContainers: [{ name: 'prepare', image: 'busybox:1.36', command: ['true'] }],
      }),
      container: { name: 'web', image: 'nginx:1.27' },
    });
    // THEN
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'metrics').securityContext).toEqual(RESTRICTED);
    expect(containerNamed(spec, 'prepare').securityContext).toEqual(RESTRICTED);
  });

  test('a container added to the workload later is left as given', () => {
    // GIVEN
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', { container: { name: 'web', image: 'nginx:1.27' } });
    // WHEN
    app.workload.addContainer({ name: 'later', image: 'exporter:1' });
    // THEN
    const later = containerNamed(onlyPodSpec(synthValid(chart)), 'later');
    expect(later.securityContext.capabilities).toBeUndefined();
    expect(later.securityContext.seccompProfile).toBeUndefined();
  });

  test('restricted keeps what the container sets within the profile', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const app = new AppWorkload(chart, 'web', {
      security: AppSecurity.restricted({ bindPortsBelow1024: true }),
      container: {
        name: 'web',
        image: 'company/web:1.0.0',
        portNumber: 80,
        securityContext: {
          user: 10001,
          readOnlyRootFilesystem: false,
          seccompProfile: { type: kplus.SeccompProfileType.LOCALHOST, localhostProfile: 'profiles/web.json' },
        },
      },
    });
    // THEN
    const sc = onlyPodSpec(synthValid(chart)).containers[0].securityContext;
    expect(app.security.profile).toBe('restricted');
    expect(sc).toMatchObject({
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      readOnlyRootFilesystem: false,
      runAsUser: 10001,
      seccompProfile: { localhostProfile: 'profiles/web.json', type: 'Localhost' },
    });
  });

  test.each([
    [
      { ensureNonRoot: false },
      "'securityContext.ensureNonRoot' is false (the app may run as root), which the restricted Pod Security " +
        "profile forbids; pass 'security: AppSecurity.baseline(...)' to the AppWorkload for an image that needs it",
    ],
    [{ user: 0 }, "'securityContext.user' is 0 (root), which the restricted Pod Security profile forbids"],
    [{ privileged: true }, "'securityContext.privileged' is true, which the restricted Pod Security profile forbids"],
    [
      { allowPrivilegeEscalation: true },
      "'securityContext.allowPrivilegeEscalation' is true, which the restricted Pod Security profile forbids",
    ],
    [
      { capabilities: { add: [kplus.Capability.NET_ADMIN] } },
      "'securityContext.capabilities.add' holds NET_ADMIN, which the restricted Pod Security profile forbids",
    ],
    [
      { capabilities: { drop: [kplus.Capability.NET_RAW] } },
      "'securityContext.capabilities.drop' is [NET_RAW] without ALL, which the restricted Pod Security profile forbids",
    ],
    [
      { seccompProfile: { type: kplus.SeccompProfileType.UNCONFINED } },
      "'securityContext.seccompProfile' is Unconfined, which the restricted Pod Security profile forbids",
    ],
  ])('restricted refuses a securityContext of %j', (securityContext, message) => {
    const chart = Testing.chart();
    const relax = "; pass 'security: AppSecurity.baseline(...)' to the AppWorkload for an image that needs it";
    expect(
      () => new AppWorkload(chart, 'web', { container: { name: 'web', image: 'nginx:1.27', securityContext } }),
    ).toThrow(`AppWorkload 'test/web': container 'web': ${message}${message.includes(relax) ? '' : relax}`);
  });

  test('baseline runs a root image with the capabilities it lists, and nothing else', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new AppWorkload(chart, 'web', {
      kind: WorkloadKind.deployment({ securityContext: { ensureNonRoot: false } }),
      security: AppSecurity.baseline({
        runAsRoot: true,
        addCapabilities: [kplus.Capability.SETUID, kplus.Capability.CHOWN],
      }),
      container: { name: 'web', image: 'nginx:1.27-alpine', portNumber: 80 },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(onlyPodSpec(manifests).containers[0].securityContext).toEqual({
      ...RESTRICTED,
      capabilities: { add: ['CHOWN', 'SETUID'], drop: ['ALL'] },
      runAsNonRoot: false,
    });
    expect(manifests.flatMap(restrictedViolations).map((v) => v.control)).toEqual(['runAsNonRoot', 'capabilities']);
  });

  test('baseline refuses root unless asked, and capabilities outside its list', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new AppWorkload(chart, 'a', {
          security: AppSecurity.baseline(),
          container: { name: 'a', image: 'a:1', securityContext: { user: 0 } },
        }),
    ).toThrow(
      "AppWorkload 'test/a': container 'a': the securityContext runs the container as root; say so with " +
        "'AppSecurity.baseline({ runAsRoot: true })'",
    );
    expect(
      () =>
        new AppWorkload(chart, 'b', {
          security: AppSecurity.baseline({ addCapabilities: [kplus.Capability.SYS_ADMIN] }),
          container: { name: 'b', image: 'b:1' },
        }),
    ).toThrow(
      "AppWorkload 'test/b': container 'b': 'securityContext.capabilities.add' holds SYS_ADMIN, which the baseline " +
        "Pod Security profile forbids; pass 'security: AppSecurity.custom()' to the AppWorkload to render the " +
        'securityContext as given',
    );
  });

  test('custom renders the securityContext as cdk8s-plus does', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new AppWorkload(chart, 'web', {
      security: AppSecurity.custom(),
      container: { name: 'web', image: 'nginx:1.27', securityContext: { ensureNonRoot: false } },
    });
    // THEN
    expect(onlyPodSpec(synthValid(chart)).containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: false,
    });
  });
});

describe('AppWorkload typed access', () => {
  test('each kind has its accessor, without a cast', () => {
    const chart = Testing.chart();
    const kinds: Array<[WorkloadKind, (a: AppWorkload) => kplus.AbstractPod]> = [
      [WorkloadKind.deployment(), (a) => a.deployment],
      [WorkloadKind.statefulSet(), (a) => a.statefulSet],
      [WorkloadKind.daemonSet(), (a) => a.daemonSet],
      [WorkloadKind.job(), (a) => a.job],
      [WorkloadKind.cronJob({ schedule: Cron.daily() }), (a) => a.cronJob],
      [WorkloadKind.pod(), (a) => a.pod],
    ];
    kinds.forEach(([kind, accessor], i) => {
      const app = new AppWorkload(chart, `w${i}`, {
        kind,
        container: { image: 'company/app:1.0.0', portNumber: 8080 },
      });
      expect(accessor(app)).toBe(app.workload);
    });
  });

  test('the accessor of another kind is an error that names the right one', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'batch', { kind: WorkloadKind.job(), container: { image: 'company/app:1' } });
    expect(() => app.deployment).toThrow(
      "AppWorkload 'test/batch': 'deployment' is for a Deployment (WorkloadKind.deployment()), but this workload " +
        "is a Job; use 'job', or 'workload' for what every kind has",
    );
  });

  test('patterns scoped under the workload keep their Kubernetes names, and two workloads may reuse an id', () => {
    // GIVEN
    const chart = Testing.chart();
    const orders = new AppWorkload(chart, 'orders', { container: { name: 'orders', image: 'company/orders:1' } });
    const users = new AppWorkload(chart, 'users', { container: { name: 'users', image: 'company/users:1' } });
    // WHEN
    new WaitForService(orders, 'wait-db', { workload: orders.workload, targets: [WaitTarget.tcp('db', 5432)] });
    new WaitForService(users, 'wait-db', { workload: users.workload, targets: [WaitTarget.tcp('db', 5432)] });
    // THEN
    const manifests = synthValid(chart);
    const inits = manifests.filter((m) => m.kind === 'Deployment').map((d) => d.spec.template.spec.initContainers);
    expect(inits.map((i) => i.map((c: any) => c.name))).toEqual([['wait-db'], ['wait-db']]);
  });
});

describe('AppWorkload checks what it passes to cdk8s-plus (found by the property tests)', () => {
  const container = { name: 'web', image: 'company/web:1.0.0', portNumber: 8080 };

  test.each([
    [
      'an empty image',
      () => new AppWorkload(Testing.chart(), 'web', { container: { ...container, image: '' } }),
      "AppWorkload 'test/web': container 'web': 'image' must be an image reference such as 'busybox:1.36' or " +
        '\'registry/name@sha256:...\', got ""',
    ],
    [
      'a port out of range',
      () => new AppWorkload(Testing.chart(), 'web', { container: { ...container, portNumber: 70000 } }),
      "AppWorkload 'test/web': container 'web': 'portNumber' must be an integer 1-65535, got 70000",
    ],
    [
      'a CPU amount in exponent form',
      () =>
        new AppWorkload(Testing.chart(), 'web', {
          container: { ...container, resources: { cpu: { request: kplus.Cpu.millis(1e21) } } },
        }),
      "AppWorkload 'test/web': container 'web': 'resources.cpu.request' must be a CPU amount of whole millicores, 0 " +
        'or more (Cpu.millis(250), Cpu.units(1)), got "1e+21m"',
    ],
    [
      'negative replicas',
      () => WorkloadKind.deployment({ replicas: -1 }),
      "WorkloadKind.deployment: 'replicas' must be a whole number from 0 to 2147483647, got -1",
    ],
    [
      'a namespace with upper case',
      () => WorkloadKind.pod({ metadata: { namespace: 'Prod' } }),
      "WorkloadKind.pod: 'metadata.namespace' must be a DNS-1123 label (lower-case letters, digits and '-', " +
        'starting and ending with a letter or digit, at most 63 characters), got "Prod"',
    ],
    [
      'a schedule field with a space in it',
      () => WorkloadKind.cronJob({ schedule: Cron.schedule({ minute: '1 2' }) }),
      "WorkloadKind.cronJob: 'schedule' must be five cron fields (minute hour day month weekday) of digits, names, " +
        "'*', '/', ',' and '-', such as Cron.schedule({ minute: '0', hour: '3' }), got \"1 2 * * * *\"",
    ],
    [
      'a StatefulSet without a port',
      () =>
        new AppWorkload(Testing.chart(), 'db', {
          kind: WorkloadKind.statefulSet(),
          container: { image: 'postgres:16' },
        }),
      "WorkloadKind.statefulSet: a StatefulSet needs a Service, made from its containers' ports, but no container " +
        "has a port; give the app container 'portNumber', or pass 'service'",
    ],
    [
      'a construct id that makes an invalid generated name',
      () => new AppWorkload(Testing.chart(), 'web_app', { container }),
      "AppWorkload 'test/web_app': the Deployment's name \"test-web_app-workload-c8f63d81\" is not a valid " +
        "Kubernetes name (a DNS-1123 subdomain, at most 253 characters); set its 'name' (metadata.name), or use " +
        "construct ids of lower-case letters, digits and '-'",
    ],
  ])('refuses %s', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test("'name: undefined' keeps the name cdk8s generates", () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new AppWorkload(chart, 'web', { kind: WorkloadKind.deployment({ metadata: { name: undefined } }), container });
    // THEN
    expect(only(synthValid(chart), 'Deployment').metadata.name).toMatch(/^test-web-workload-/);
  });
});
