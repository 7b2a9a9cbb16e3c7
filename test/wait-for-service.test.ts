import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, ConfigCheck, SharedVolume, WaitForService, WaitTarget, WorkloadKind } from '../lib';
import { containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

function appOn(chart: Chart): AppWorkload {
  return new AppWorkload(chart, 'orders', {
    container: { name: 'order-service', image: 'company/order-service:3.4.1', portNumber: 8080 },
  });
}

function waitStep(chart: Chart, name: string): any {
  return containerNamed(onlyPodSpec(synthValid(chart)), name);
}

describe('WaitForService', () => {
  test('attaches to a plain cdk8s-plus Deployment as a busybox init step', () => {
    // GIVEN
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    // WHEN
    new WaitForService(chart, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('postgres-svc', 5432)] });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-db']);
    const step = spec.initContainers[0];
    expect(step.image).toBe('busybox:1.37.0');
    expect(step.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(envOf(step)).toEqual({
      WAIT_TARGETS: 'tcp://postgres-svc:5432',
      WAIT_INTERVAL_SECONDS: '2',
      WAIT_ATTEMPT_TIMEOUT_SECONDS: '2',
    });
  });

  test('attaches to an AppWorkload, with small resources and a locked-down security context', () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    new WaitForService(chart, 'wait-for-postgres', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const step = containerNamed(onlyPodSpec(manifests), 'wait-for-postgres');
    expect(step.resources).toEqual({
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '50m', memory: '32Mi' },
    });
    expect(step.securityContext).toMatchObject({ runAsUser: 65534, runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('several targets in one construct are waited for in the given order', () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    new WaitForService(chart, 'wait-deps', {
      workload: app.workload,
      targets: [
        WaitTarget.tcp('postgres-svc', 5432),
        WaitTarget.http('http://auth:8080/healthz'),
        WaitTarget.tcp('10.0.0.7', 6379),
      ],
    });
    const step = waitStep(chart, 'wait-deps');
    expect(envOf(step).WAIT_TARGETS).toBe('tcp://postgres-svc:5432\nhttp://auth:8080/healthz\ntcp://10.0.0.7:6379');
  });

  test('several constructs make several init steps, in declaration order', () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    new WaitForService(chart, 'wait-for-postgres', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
    });
    new WaitForService(chart, 'wait-for-redis', {
      workload: app.workload,
      targets: [WaitTarget.tcp('redis-svc', 6379)],
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-postgres', 'wait-for-redis']);
    expect(envOf(spec.initContainers[1]).WAIT_TARGETS).toBe('tcp://redis-svc:6379');
  });

  test('the script text is the same whatever the props: values reach it only through env', () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    new WaitForService(chart, 'a', { workload: app.workload, targets: [WaitTarget.tcp('postgres-svc', 5432)] });
    new WaitForService(chart, 'b', {
      workload: app.workload,
      targets: [WaitTarget.http('https://api.example.com:8443/ready?full=1')],
      intervalSeconds: 7,
      attemptTimeoutSeconds: 9,
      deadlineSeconds: 123,
    });
    const spec = onlyPodSpec(synthValid(chart));
    const [a, b] = spec.initContainers;
    expect(a.command).toEqual(b.command);
    for (const value of ['postgres-svc', '5432', 'api.example.com', '123']) {
      expect(a.command[2]).not.toContain(value);
    }
  });

  test.each([
    ['intervalSeconds', 3, 'WAIT_INTERVAL_SECONDS'],
    ['attemptTimeoutSeconds', 5, 'WAIT_ATTEMPT_TIMEOUT_SECONDS'],
  ])('%s %p reaches the script as %s', (prop, value, variable) => {
    const chart = Testing.chart();
    new WaitForService(chart, 'wait-db', {
      workload: appOn(chart).workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
      [prop]: value,
    });
    expect(envOf(waitStep(chart, 'wait-db'))[variable]).toBe(String(value));
  });

  test('deadlineSeconds sets a deadline; without it the step waits for ever', () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    new WaitForService(chart, 'forever', { workload: app.workload, targets: [WaitTarget.tcp('a', 1)] });
    new WaitForService(chart, 'bounded', {
      workload: app.workload,
      targets: [WaitTarget.tcp('b', 1)],
      deadlineSeconds: 300,
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(envOf(containerNamed(spec, 'forever')).WAIT_DEADLINE_SECONDS).toBeUndefined();
    expect(envOf(containerNamed(spec, 'bounded')).WAIT_DEADLINE_SECONDS).toBe('300');
  });

  test('image, resources and containerName can be overridden', () => {
    const chart = Testing.chart();
    new WaitForService(chart, 'WaitDb', {
      workload: appOn(chart).workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
      containerName: 'wait-postgres',
      image: 'registry.local/busybox:1.36.1',
      resources: { cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(20) } },
    });
    const step = waitStep(chart, 'wait-postgres');
    expect(step.image).toBe('registry.local/busybox:1.36.1');
    expect(step.resources).toEqual({ requests: { cpu: '5m' }, limits: { cpu: '20m' } });
  });

  test('the container name defaults to the construct id as a DNS label', () => {
    const chart = Testing.chart();
    const wait = new WaitForService(chart, 'WaitForPostgres', {
      workload: appOn(chart).workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
    });
    expect(wait.containerName).toBe('wait-for-postgres');
    expect(wait.step.containerName).toBe('wait-for-postgres');
  });

  test("'after' places the step after another pattern, and the step can be named in another's 'after'", () => {
    const chart = Testing.chart();
    const app = appOn(chart);
    const config = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'));
    const first = app.composer.addInitStep({ name: 'first', image: 'busybox:1.36', command: ['true'] });
    const wait = new WaitForService(chart, 'wait-db', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
    });
    const check = new ConfigCheck(chart, 'check-config', {
      workload: app.workload,
      volume: config,
      files: ['app.yaml'],
    });
    app.composer.addInitStep({ name: 'migrate', image: 'busybox:1.36', command: ['true'] }, { after: [wait, check] });
    new WaitForService(chart, 'wait-cache', {
      workload: app.workload,
      targets: [WaitTarget.tcp('redis-svc', 6379)],
      after: [first, check],
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(onlyPodSpec(manifests).initContainers.map((c: any) => c.name)).toEqual([
      'first',
      'wait-db',
      'check-config',
      'migrate',
      'wait-cache',
    ]);
  });

  test("'after' naming a step of another workload fails at synth", () => {
    const chart = Testing.chart();
    const other = appOn(chart);
    const elsewhere = new WaitForService(chart, 'elsewhere', {
      workload: other.workload,
      targets: [WaitTarget.tcp('a', 1)],
    });
    const app = new AppWorkload(chart, 'web', { container: { image: 'nginx:1.27', portNumber: 8080 } });
    new WaitForService(chart, 'wait-db', {
      workload: app.workload,
      targets: [WaitTarget.tcp('b', 1)],
      after: [elsewhere],
    });
    expect(() => Testing.synth(chart)).toThrow(
      'Validation failed with the following errors:\n' +
        "  [test/web/Workload/PodComposer] PodComposer 'test/web/Workload': 'wait-db' is declared to run after " +
        "'elsewhere', which is not an init step or native sidecar of this pod; add 'elsewhere' to the same " +
        "workload or remove it from 'after'",
    );
  });

  test('works in a Job (init steps are fine in pods that run to completion)', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'report', {
      kind: WorkloadKind.job(),
      container: { image: 'company/report:1.0.0' },
    });
    new WaitForService(chart, 'wait-db', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
      deadlineSeconds: 60,
    });
    const job = only(synthValid(chart), 'Job');
    expect(job.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['wait-db']);
  });

  describe('WaitTarget', () => {
    test('tcp renders tcp://HOST:PORT', () => {
      expect(WaitTarget.tcp('postgres-svc', 5432).address).toBe('tcp://postgres-svc:5432');
      expect(WaitTarget.tcp('db.data.svc.cluster.local', 1).address).toBe('tcp://db.data.svc.cluster.local:1');
    });

    test('http keeps the URL as given (http and https)', () => {
      expect(WaitTarget.http('http://api:8080/health').address).toBe('http://api:8080/health');
      expect(WaitTarget.http('https://api.example.com/ready?deep=1').address).toBe(
        'https://api.example.com/ready?deep=1',
      );
    });

    test("fromService uses the Service's name and first port", () => {
      const chart = Testing.chart();
      const service = new kplus.Service(chart, 'db', {
        metadata: { name: 'postgres-svc' },
        ports: [{ port: 5432 }, { port: 9187, name: 'metrics' }],
      });
      expect(WaitTarget.fromService(service).address).toBe('tcp://postgres-svc:5432');
      expect(WaitTarget.fromService(service, { port: 9187 }).address).toBe('tcp://postgres-svc:9187');
    });

    test('fromService can qualify the host with the namespace and wait on an HTTP path', () => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'data' });
      const service = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, ports: [{ port: 8080 }] });
      expect(WaitTarget.fromService(service, { qualifyWithNamespace: true }).address).toBe('tcp://api.data:8080');
      expect(WaitTarget.fromService(service, { httpPath: '/healthz' }).address).toBe('http://api:8080/healthz');
    });

    test('fromService works with a Service made by exposeViaService', () => {
      const chart = Testing.chart();
      const db = new AppWorkload(chart, 'postgres', {
        kind: WorkloadKind.statefulSet(),
        container: { image: 'postgres:16', portNumber: 5432 },
      });
      const service = db.exposeViaService({ name: 'postgres-svc' });
      const app = appOn(chart);
      new WaitForService(chart, 'wait-db', { workload: app.workload, targets: [WaitTarget.fromService(service)] });
      const deployment = only(synthValid(chart), 'Deployment');
      const step = containerNamed(deployment.spec.template.spec, 'wait-db');
      expect(envOf(step).WAIT_TARGETS).toBe('tcp://postgres-svc:5432');
    });
  });

  describe('rejects bad input with an error that names the prop and the value', () => {
    const base = (chart: Chart) => ({ workload: appOn(chart).workload, targets: [WaitTarget.tcp('db', 5432)] });

    test.each([
      [
        '',
        "WaitTarget.tcp: 'host' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"\"",
      ],
      [
        'Postgres_Svc',
        "WaitTarget.tcp: 'host' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"Postgres_Svc\"",
      ],
      [
        '-e',
        "WaitTarget.tcp: 'host' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"-e\"",
      ],
      [
        '999.1.1.1',
        "WaitTarget.tcp: 'host' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') or an IPv4 address, got \"999.1.1.1\"",
      ],
    ])('tcp host %j', (host, message) => {
      expect(() => WaitTarget.tcp(host, 5432)).toThrow(message);
    });

    test.each([0, 70000, 1.5, -1])('tcp port %p', (port) => {
      expect(() => WaitTarget.tcp('db', port)).toThrow(
        `WaitTarget.tcp: 'port' must be an integer 1-65535, got ${port}`,
      );
    });

    test.each(['ftp://files/x', 'api:8080/health', 'http://user:pw@api/health', 'http://api/a b'])(
      'http url %j',
      (url) => {
        expect(() => WaitTarget.http(url)).toThrow(
          "WaitTarget.http: 'url' must be a http or https URL without credentials, quotes, spaces or shell characters " +
            `(for example http://service:8080/path), got ${JSON.stringify(url)}`,
        );
      },
    );

    test.each(['http:///health', 'http:/api/health', 'HTTP://api/health'])(
      'http url %j without // and a host',
      (url) => {
        expect(() => WaitTarget.http(url)).toThrow(
          `WaitTarget.http: 'url' must start with 'http://' or 'https://' followed by the host, got ${JSON.stringify(url)}`,
        );
      },
    );

    test('no target', () => {
      const chart = Testing.chart();
      expect(() => new WaitForService(chart, 'wait-db', { ...base(chart), targets: [] })).toThrow(
        "WaitForService 'wait-db': 'targets' must hold at least one target (WaitTarget.tcp(), WaitTarget.http() or WaitTarget.fromService()), got []",
      );
    });

    test('the same target twice', () => {
      const chart = Testing.chart();
      expect(
        () =>
          new WaitForService(chart, 'wait-db', {
            ...base(chart),
            targets: [WaitTarget.tcp('db', 5432), WaitTarget.tcp('db', 5432)],
          }),
      ).toThrow("WaitForService 'wait-db': 'targets' lists tcp://db:5432 twice; list each target once");
    });

    test.each([
      [
        'intervalSeconds',
        0,
        "WaitForService 'wait-db': 'intervalSeconds' must be a whole number from 1 to 3600, got 0",
      ],
      [
        'intervalSeconds',
        2.5,
        "WaitForService 'wait-db': 'intervalSeconds' must be a whole number from 1 to 3600, got 2.5",
      ],
      [
        'attemptTimeoutSeconds',
        301,
        "WaitForService 'wait-db': 'attemptTimeoutSeconds' must be a whole number from 1 to 300, got 301",
      ],
      [
        'deadlineSeconds',
        0,
        "WaitForService 'wait-db': 'deadlineSeconds' must be a whole number from 1 to 604800, got 0",
      ],
      [
        'deadlineSeconds',
        -5,
        "WaitForService 'wait-db': 'deadlineSeconds' must be a whole number from 1 to 604800, got -5",
      ],
    ])('%s %p', (prop, value, message) => {
      const chart = Testing.chart();
      expect(() => new WaitForService(chart, 'wait-db', { ...base(chart), [prop]: value })).toThrow(message);
    });

    test('containerName and image', () => {
      let chart = Testing.chart();
      expect(() => new WaitForService(chart, 'a', { ...base(chart), containerName: 'Wait_DB' })).toThrow(
        "WaitForService 'a': 'containerName' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got \"Wait_DB\"",
      );
      chart = Testing.chart();
      expect(() => new WaitForService(chart, 'b', { ...base(chart), image: 'busybox:1.36; id' })).toThrow(
        "WaitForService 'b': 'image' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', got \"busybox:1.36; id\"",
      );
    });

    test('fromService without ports, with a foreign port, or unqualifiable', () => {
      const chart = Testing.chart();
      const bare = new kplus.Service(chart, 'bare', { metadata: { name: 'bare-svc' } });
      expect(() => WaitTarget.fromService(bare)).toThrow(
        "WaitTarget.fromService(bare-svc): the Service has no ports yet, so there is nothing to wait for; pass 'port' or add the port to the Service before making the target",
      );
      const db = new kplus.Service(chart, 'db', { metadata: { name: 'postgres-svc' }, ports: [{ port: 5432 }] });
      expect(() => WaitTarget.fromService(db, { port: 5433 })).toThrow(
        "WaitTarget.fromService(postgres-svc): 'port' must be one of the Service's ports (5432), got 5433; add the port to the Service or pick one of its ports",
      );
      expect(() => WaitTarget.fromService(db, { qualifyWithNamespace: true })).toThrow(
        "WaitTarget.fromService(postgres-svc): 'qualifyWithNamespace' is true but the Service has no namespace; set metadata.namespace on the Service (or 'namespace' on its Chart), or leave 'qualifyWithNamespace' false",
      );
      expect(() => WaitTarget.fromService(db, { httpPath: 'health' })).toThrow(
        "WaitTarget.fromService(postgres-svc): 'httpPath' must start with '/', got \"health\"",
      );
    });
  });

  describe('hostile values are rejected at construction and cannot reach a shell', () => {
    test.each(['db; touch /tmp/pwned', 'db$(touch /tmp/pwned)', 'db`id`', "db'x", 'db\ntouch /tmp/pwned', 'db"x'])(
      'tcp host %j',
      (host) => {
        expect(() => WaitTarget.tcp(host, 5432)).toThrow(
          "WaitTarget.tcp: 'host' must be a host name (DNS-1123, such as 'postgres-svc' or " +
            `'db.prod.svc.cluster.local') or an IPv4 address, got ${JSON.stringify(host)}`,
        );
      },
    );

    test.each([
      'http://api/health;touch${IFS}/tmp/pwned',
      'http://api/$(touch /tmp/pwned)',
      'http://api/`id`',
      "http://api/'x'",
      'http://api/health\ntouch /tmp/pwned',
      'http://api/"x"',
    ])('http url %j', (url) => {
      expect(() => WaitTarget.http(url)).toThrow(
        "WaitTarget.http: 'url' must be a http or https URL without credentials, quotes, spaces or shell " +
          `characters (for example http://service:8080/path), got ${JSON.stringify(url)}`,
      );
    });

    test('fromService httpPath with shell characters', () => {
      const chart = Testing.chart();
      const api = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, ports: [{ port: 8080 }] });
      expect(() => WaitTarget.fromService(api, { httpPath: '/h$(id)' })).toThrow(
        'WaitTarget.fromService(api): \'httpPath\' must be a http or https URL without credentials, quotes, spaces or shell characters (for example http://service:8080/path), got "http://api:8080/h$(id)"',
      );
    });
  });
});
