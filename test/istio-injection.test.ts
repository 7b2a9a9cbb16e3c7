import { ApiObject, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, IstioInjection, KubernetesVersion, WorkloadKind } from '../lib';
import { chartWithApp, only, onlyPodSpec, synthValid } from './util/manifest';

function appOf(options: { kind?: WorkloadKind; version?: KubernetesVersion } = {}) {
  return chartWithApp('api', { name: 'api', image: 'company/api:1.0.0', portNumber: 8080 }, options);
}

/** The pod template metadata of the only workload. */
function podMetadataOf(manifests: any[]): any {
  const workload = manifests.find((m) => ['Deployment', 'Job', 'CronJob'].includes(m.kind));
  return workload.kind === 'CronJob'
    ? workload.spec.jobTemplate.spec.template.metadata
    : workload.spec.template.metadata;
}

describe('IstioInjection', () => {
  test('by default: the pod label sidecar.istio.io/inject=true, and no container of ours', () => {
    const { chart, app } = appOf();
    new IstioInjection(chart, 'mesh', { workload: app.workload });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const metadata = podMetadataOf(manifests);
    expect(metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(metadata.annotations).toBeUndefined();
    expect(onlyPodSpec(manifests).containers.map((c: any) => c.name)).toEqual(['api']);
  });

  test("'inject' false opts the pods out", () => {
    const { chart, app } = appOf();
    new IstioInjection(chart, 'mesh', { workload: app.workload, inject: false });
    const metadata = podMetadataOf(synthValid(chart));
    expect(metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(metadata.annotations).toBeUndefined();
  });

  test("'revision' selects a control-plane revision with istio.io/rev instead of the inject label", () => {
    const { chart, app } = appOf();
    new IstioInjection(chart, 'mesh', { workload: app.workload, revision: '1-24-0' });
    const labels = podMetadataOf(synthValid(chart)).labels;
    expect(labels['istio.io/rev']).toBe('1-24-0');
    expect(labels['sidecar.istio.io/inject']).toBeUndefined();
  });

  test.each([true, false])("'nativeSidecar' %s sets the sidecar.istio.io/nativeSidecar annotation", (native) => {
    const { chart, app } = appOf();
    const mesh = new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: native });
    expect(podMetadataOf(synthValid(chart)).annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': String(native) });
    expect(mesh.nativeSidecar).toBe(native);
  });

  test("'holdApplicationUntilProxyStarts' goes into the proxy.istio.io/config annotation", () => {
    const { chart, app } = appOf();
    new IstioInjection(chart, 'mesh', { workload: app.workload, holdApplicationUntilProxyStarts: true });
    const annotations = podMetadataOf(synthValid(chart)).annotations;
    expect(Object.keys(annotations)).toEqual(['proxy.istio.io/config']);
    expect(JSON.parse(annotations['proxy.istio.io/config'])).toEqual({ holdApplicationUntilProxyStarts: true });
  });

  test("'proxyResources' become the proxyCPU / proxyMemory annotations", () => {
    const { chart, app } = appOf();
    new IstioInjection(chart, 'mesh', {
      workload: app.workload,
      proxyResources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
    });
    expect(podMetadataOf(synthValid(chart)).annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '50m',
      'sidecar.istio.io/proxyCPULimit': '500m',
      'sidecar.istio.io/proxyMemory': '64Mi',
      'sidecar.istio.io/proxyMemoryLimit': '256Mi',
    });
  });

  test('a Job gets a native proxy by default, so that its pods complete', () => {
    const { chart, app } = appOf({ kind: WorkloadKind.job() });
    const mesh = new IstioInjection(chart, 'mesh', { workload: app.workload });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(podMetadataOf(manifests).annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
    expect(mesh.nativeSidecar).toBe(true);
  });

  test('a Job targeting Kubernetes 1.28 cannot get a native proxy: an error', () => {
    const { chart, app } = appOf({ kind: WorkloadKind.job(), version: KubernetesVersion.V1_28 });
    new IstioInjection(chart, 'mesh', { workload: app.workload });
    expect(() => Testing.synth(chart)).toThrow(
      "[test/mesh] IstioInjection 'mesh': a Job's pods complete only with the proxy as a native sidecar, which " +
        "needs Kubernetes 1.29+, but the target is 1.28; target 1.29+ (KubernetesVersion.setTarget) or set 'inject' " +
        'false for this workload',
    );
  });

  test("'nativeSidecar' false in a Job is an error", () => {
    const { chart, app } = appOf({ kind: WorkloadKind.job() });
    new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: false });
    expect(() => Testing.synth(chart)).toThrow(
      "IstioInjection 'mesh': 'nativeSidecar' false injects a classic proxy, which never exits, so the Job's pods " +
        "would never complete; drop 'nativeSidecar' (a Job gets a native proxy) or set 'inject' false",
    );
  });

  test("'nativeSidecar' true needs Kubernetes 1.29+", () => {
    const { chart, app } = appOf({ version: KubernetesVersion.V1_28 });
    new IstioInjection(chart, 'mesh', { workload: app.workload, nativeSidecar: true });
    expect(() => Testing.synth(chart)).toThrow(
      "IstioInjection 'mesh': 'nativeSidecar' true needs Kubernetes 1.29+, but the target is 1.28; target 1.29+ " +
        "(KubernetesVersion.setTarget) or drop 'nativeSidecar'",
    );
  });

  test('on 1.28 a Deployment gets the mesh default (classic) with no annotation', () => {
    const { chart, app } = appOf({ version: KubernetesVersion.V1_28 });
    new IstioInjection(chart, 'mesh', { workload: app.workload });
    expect(podMetadataOf(synthValid(chart)).annotations).toBeUndefined();
  });

  test('a CronJob gets a native proxy by default', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'report', {
      kind: WorkloadKind.cronJob({ schedule: Cron.daily() }),
      container: { image: 'company/report:1.0.0' },
    });
    new IstioInjection(chart, 'mesh', { workload: app.workload });
    expect(podMetadataOf(synthValid(chart)).annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
  });

  test('attaches to a plain cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    new IstioInjection(chart, 'mesh', { workload: deployment, holdApplicationUntilProxyStarts: true });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(podMetadataOf(manifests).labels['sidecar.istio.io/inject']).toBe('true');
  });

  describe('namespaces', () => {
    test('a cdk8s-plus Namespace gets istio-injection=enabled', () => {
      const chart = Testing.chart();
      const ns = new kplus.Namespace(chart, 'production', { metadata: { name: 'production' } });
      IstioInjection.enableForNamespace(ns);
      const manifests = synthValid(chart);
      expect(manifests).toMatchSnapshot();
      expect(only(manifests, 'Namespace').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    });

    test('an ApiObject Namespace, disabled', () => {
      const chart = Testing.chart();
      const ns = new ApiObject(chart, 'tools', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } });
      IstioInjection.enableForNamespace(ns, { enabled: false });
      expect(only(synthValid(chart), 'Namespace').metadata.labels).toEqual({ 'istio-injection': 'disabled' });
    });

    test('a revision labels istio.io/rev instead', () => {
      const chart = Testing.chart();
      const ns = new kplus.Namespace(chart, 'production');
      IstioInjection.enableForNamespace(ns, { revision: 'canary' });
      expect(only(synthValid(chart), 'Namespace').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
    });

    test('errors: not a Namespace, labelled twice, a revision with enabled false, a bad revision', () => {
      const chart = Testing.chart();
      const cm = new kplus.ConfigMap(chart, 'cm');
      expect(() => IstioInjection.enableForNamespace(cm)).toThrow(
        "IstioInjection.enableForNamespace 'cm': expected a Namespace (kplus.Namespace or an ApiObject of kind " +
          'Namespace), got a ConfigMap',
      );
      const ns = new kplus.Namespace(chart, 'ns');
      IstioInjection.enableForNamespace(ns);
      expect(() => IstioInjection.enableForNamespace(ns, { revision: 'canary' })).toThrow(
        "IstioInjection.enableForNamespace 'ns': the namespace already has the label 'istio-injection'; set Istio " +
          'injection on a namespace once',
      );
      const other = new kplus.Namespace(chart, 'other');
      expect(() => IstioInjection.enableForNamespace(other, { revision: 'canary', enabled: false })).toThrow(
        "IstioInjection.enableForNamespace 'other': 'revision' selects a revision to inject with, so it needs " +
          "'enabled' true",
      );
      expect(() => IstioInjection.enableForNamespace(other, { revision: 'Canary"; kubectl' })).toThrow(
        "IstioInjection.enableForNamespace 'other': 'revision' must be an Istio revision name (lower-case letters, " +
          "digits, '-' and '.', at most 63 characters, such as 'canary' or '1-24-0'), got \"Canary\\\"; kubectl\"",
      );
    });
  });

  describe('validation', () => {
    test("options of the proxy with 'inject' false", () => {
      const { chart, app } = appOf();
      expect(
        () => new IstioInjection(chart, 'mesh', { workload: app.workload, inject: false, nativeSidecar: true }),
      ).toThrow(
        "IstioInjection 'mesh': 'nativeSidecar' configures the injected proxy, but 'inject' is false; drop one of them",
      );
      expect(
        () => new IstioInjection(chart, 'mesh2', { workload: app.workload, inject: false, revision: 'canary' }),
      ).toThrow(
        "IstioInjection 'mesh2': 'revision' configures the injected proxy, but 'inject' is false; drop one of them",
      );
    });

    test('a second IstioInjection on one workload', () => {
      const { chart, app } = appOf();
      new IstioInjection(chart, 'mesh', { workload: app.workload });
      expect(() => new IstioInjection(chart, 'again', { workload: app.workload, inject: false })).toThrow(
        "IstioInjection 'again': the workload's pods already have the label 'sidecar.istio.io/inject'; add one " +
          'IstioInjection per workload',
      );
    });

    test.each(['canary\nx', '$(id)', 'a b', '-canary', 'x'.repeat(64)])('a hostile revision %j is rejected', (rev) => {
      const { chart, app } = appOf();
      expect(() => new IstioInjection(chart, 'mesh', { workload: app.workload, revision: rev })).toThrow(
        `IstioInjection 'mesh': 'revision' must be an Istio revision name (lower-case letters, digits, '-' and '.', ` +
          `at most 63 characters, such as 'canary' or '1-24-0'), got ${JSON.stringify(rev)}`,
      );
    });
  });
});
