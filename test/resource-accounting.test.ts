import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, HealthCheck, KubernetesVersion, ResourceAccounting, WorkloadKind } from '../lib';
import { mib } from '../lib/core/render';

const res = (cpuReq: string, memReq: string, cpuLim?: string, memLim?: string) => ({
  requests: { cpu: cpuReq, memory: memReq },
  ...(cpuLim && memLim ? { limits: { cpu: cpuLim, memory: memLim } } : {}),
});

describe('parseQuantity', () => {
  test.each([
    ['250m', 0.25],
    ['1', 1],
    ['0.5', 0.5],
    ['64Mi', 64 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['100k', 1e5],
    ['1e3', 1000],
    ['512Ki', 512 * 1024],
  ])('%s', (q, expected) => {
    expect(ResourceAccounting.parseQuantity(q)).toBeCloseTo(expected);
  });

  test('throws on a value that is not a quantity', () => {
    expect(() => ResourceAccounting.parseQuantity('12 apples')).toThrow(
      `ResourceAccounting: "12 apples" is not a Kubernetes quantity (e.g. '250m', '64Mi')`,
    );
  });
});

describe('ofPodSpec', () => {
  test("the guide's example: the largest init container wins", () => {
    // init-1: 1 CPU/512Mi, init-2: 500m/256Mi, app: 500m/256Mi => 1 CPU, 512Mi driven by init-1
    const r = ResourceAccounting.ofPodSpec({
      initContainers: [
        { name: 'init-1', resources: res('1', '512Mi') },
        { name: 'init-2', resources: res('500m', '256Mi') },
      ],
      containers: [{ name: 'app', resources: res('500m', '256Mi') }],
    });
    expect(r.cpuRequest).toEqual({ amount: 1000, quantity: '1000m', bounded: true, drivenBy: 'init container init-1' });
    expect(r.memoryRequest).toEqual({
      amount: 512 * 2 ** 20,
      quantity: '512Mi',
      bounded: true,
      drivenBy: 'init container init-1',
    });
  });

  test('native sidecars add to every init container after them and to the app sum', () => {
    // order: a (200m), s1 sidecar (100m), b (300m), s2 sidecar (50m); app 100m
    // init uses: a = 200, s1 = 100, b = 300 + 100 = 400, s2 = 150
    // regular = sidecars 150 + app 100 = 250 => effective 400m, driven by b
    const spec = {
      initContainers: [
        { name: 'a', resources: res('200m', '10Mi') },
        { name: 's1', restartPolicy: 'Always', resources: res('100m', '100Mi') },
        { name: 'b', resources: res('300m', '20Mi') },
        { name: 's2', restartPolicy: 'Always', resources: res('50m', '50Mi') },
      ],
      containers: [{ name: 'app', resources: res('100m', '200Mi') }],
    };
    const r = ResourceAccounting.ofPodSpec(spec);
    expect(r.cpuRequest.amount).toBe(400);
    expect(r.cpuRequest.drivenBy).toBe('init container b');
    // memory: init uses a=10, s1=100, b=120, s2=150; regular = 150 + 200 = 350Mi
    expect(r.memoryRequest.quantity).toBe('350Mi');
    expect(r.memoryRequest.drivenBy).toBe('app containers and sidecars');
  });

  test('a sidecar before a heavy init step counts toward it, a sidecar after does not', () => {
    const heavy = { name: 'heavy', resources: res('500m', '1Gi') };
    const side = { name: 'side', restartPolicy: 'Always', resources: res('100m', '100Mi') };
    const app = { name: 'app', resources: res('100m', '100Mi') };
    expect(ResourceAccounting.ofPodSpec({ initContainers: [side, heavy], containers: [app] }).cpuRequest.amount).toBe(
      600,
    );
    expect(ResourceAccounting.ofPodSpec({ initContainers: [heavy, side], containers: [app] }).cpuRequest.amount).toBe(
      500,
    );
  });

  test('a missing request defaults to the limit; a missing limit makes the pod limit unbounded', () => {
    const r = ResourceAccounting.ofPodSpec({
      initContainers: [{ name: 'i', resources: { limits: { cpu: '300m', memory: '64Mi' } } }],
      containers: [{ name: 'app', resources: { requests: { cpu: '100m', memory: '32Mi' } } }],
    });
    expect(r.cpuRequest.amount).toBe(300);
    expect(r.cpuLimit.bounded).toBe(false);
    expect(r.memoryLimit.bounded).toBe(false);
    expect(r.memoryRequest.quantity).toBe('64Mi');
  });
});

describe('AppWorkload.effectiveResources', () => {
  test('counts helper defaults, sidecars and the app as rendered', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'app', {
      container: {
        image: 'app:1',
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
          memory: { request: mib(128), limit: mib(256) },
        },
      },
    });
    const small = {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) },
      memory: { request: mib(64), limit: mib(128) },
    };
    const big = {
      cpu: { request: kplus.Cpu.millis(1000), limit: kplus.Cpu.millis(1000) },
      memory: { request: mib(512), limit: mib(1024) },
    };
    app.composer.addSidecar({
      name: 'logs',
      image: 'fluent/fluent-bit:3.0',
      resources: small,
      startupProbe: HealthCheck.tcpSocket(2020),
    });
    app.composer.addInitStep({ name: 'migrate', image: 'flyway/flyway:10', resources: big });
    const r = app.effectiveResources();
    // migrate runs while logs runs: 1000 + 50 = 1050m, 512 + 64 = 576Mi
    expect(r.cpuRequest).toEqual({
      amount: 1050,
      quantity: '1050m',
      bounded: true,
      drivenBy: 'init container migrate',
    });
    expect(r.memoryRequest.quantity).toBe('576Mi');
    // limits: migrate 1000 + 100 = 1100m vs app 500 + sidecar 100 = 600m
    expect(r.cpuLimit.amount).toBe(1100);
    expect(r.memoryLimit.quantity).toBe('1152Mi');
  });

  test('a classic sidecar (Kubernetes 1.28) is summed with the app instead', () => {
    const chart = Testing.chart();
    KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28);
    const app = new AppWorkload(chart, 'app', {
      kind: WorkloadKind.deployment(),
      container: {
        image: 'app:1',
        resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: mib(128) } },
      },
    });
    app.composer.addSidecar({ name: 'logs', image: 'fluent/fluent-bit:3.0' });
    const r = app.effectiveResources();
    expect(r.cpuRequest.amount).toBe(260);
    expect(r.cpuRequest.drivenBy).toBe('app containers and sidecars');
  });
});
