import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  AppWorkload,
  HealthCheck,
  KubernetesVersion,
  OAuth2Provider,
  OAuth2ProxySidecar,
  PodComposer,
  SidecarMode,
  WaitForService,
  WaitTarget,
  WorkloadKind,
} from '../lib';
import { chartWithApp, containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

const busybox = (name: string) => ({ name, image: 'busybox:1.36', command: ['true'] });
const probe = HealthCheck.tcpSocket(9000);

describe('helper fields go through cdk8s resolution', () => {
  test('a Lazy value in a helper env var renders, as it does in the app container', () => {
    // GIVEN an init step whose env holds a value produced at synth
    const { chart, app } = chartWithApp('web', { name: 'app', image: 'nginx:1.27', portNumber: 8080 });
    let produced = 'early';
    app.composer.addInitStep({
      ...busybox('step'),
      env: { LATE: kplus.EnvValue.fromValue(Lazy.any({ produce: () => produced }) as unknown as string) },
    });
    produced = 'late';
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN
    expect(envOf(containerNamed(spec, 'step'))).toEqual({ LATE: 'late' });
  });

  test("the App's resolvers apply to helper fields, with the helper's path as the key", () => {
    // GIVEN an App resolver that rewrites one placeholder, and a sidecar and init step that use it
    const keys: string[] = [];
    class Placeholder implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (context.value === 'PLACEHOLDER') {
          keys.push(context.key.join('/'));
          context.replaceValue('resolved');
        }
      }
    }
    const app = Testing.app({ resolvers: [new Placeholder()] });
    const chart = new Chart(app, 'test');
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'app', image: 'nginx:1.27', portNumber: 8080 }],
    });
    const composer = PodComposer.of(deployment);
    composer.addInitStep({ ...busybox('step'), env: { V: kplus.EnvValue.fromValue('PLACEHOLDER') } });
    composer.addSidecar(
      { ...busybox('side'), env: { V: kplus.EnvValue.fromValue('PLACEHOLDER') } },
      { mode: SidecarMode.CLASSIC },
    );
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN
    expect(envOf(containerNamed(spec, 'step')).V).toBe('resolved');
    expect(envOf(containerNamed(spec, 'side')).V).toBe('resolved');
    expect(keys).toEqual(
      expect.arrayContaining([
        'spec/template/spec/initContainers/0/env/0/value',
        'spec/template/spec/containers/1/env/0/value',
      ]),
    );
  });
});

describe('user JSON patches apply last, to the composed manifest', () => {
  function webWithHelpers() {
    const { chart, app } = chartWithApp('web', { name: 'app', image: 'nginx:1.27', portNumber: 8080 });
    const wait = new WaitForService(app, 'wait-db', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres', 5432)],
    });
    app.composer.addSidecar({ ...busybox('native'), startupProbe: probe }, { mode: SidecarMode.NATIVE });
    app.composer.addSidecar(busybox('classic'), { mode: SidecarMode.CLASSIC });
    return { chart, app, wait, api: ApiObject.of(app.workload) };
  }

  test('a patch reaches an init step, a native sidecar and a classic sidecar', () => {
    // GIVEN patches on the three kinds of helper
    const { chart, api } = webWithHelpers();
    api.addJsonPatch(
      JsonPatch.add('/spec/template/spec/initContainers/0/env/-', { name: 'EXTRA', value: '1' }),
      JsonPatch.add('/spec/template/spec/initContainers/1/env', [{ name: 'NATIVE', value: 'yes' }]),
      JsonPatch.replace('/spec/template/spec/containers/1/image', 'busybox:1.37'),
    );
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN
    expect(envOf(containerNamed(spec, 'wait-db')).EXTRA).toBe('1');
    expect(envOf(containerNamed(spec, 'native'))).toEqual({ NATIVE: 'yes' });
    expect(containerNamed(spec, 'classic').image).toBe('busybox:1.37');
  });

  test('a patch overrides a field the library composed, and pod-level patches apply too', () => {
    // GIVEN
    const { chart, api } = webWithHelpers();
    api.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/initContainers/0/resources/limits/cpu', '75m'),
      JsonPatch.add('/spec/template/spec/priorityClassName', 'critical'),
    );
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN
    expect(containerNamed(spec, 'wait-db').resources.limits.cpu).toBe('75m');
    expect(spec.priorityClassName).toBe('critical');
  });

  test('a patch added before any pattern also sees the helpers', () => {
    // GIVEN a patch on the workload before a pattern attaches
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'app', image: 'nginx:1.27', portNumber: 8080 }],
    });
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/initContainers/0/env/-', { name: 'EARLY', value: '1' }),
    );
    new WaitForService(deployment, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('db', 5432)] });
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN
    expect(envOf(containerNamed(spec, 'wait-db')).EARLY).toBe('1');
  });

  test('a patch that does not apply fails synth with the construct path', () => {
    const { chart, api } = webWithHelpers();
    api.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers/9/image', 'x:1'));
    expect(() => Testing.synth(chart)).toThrow(
      "Failed serializing construct at path 'test/web/Workload/Resource': the JSON patch 'replace " +
        "/spec/template/spec/initContainers/9/image' does not apply to the composed manifest",
    );
  });

  test('a patch on a probe port of the app container is kept (applied after cdk8s-plus maps the object)', () => {
    const { chart, api } = webWithHelpers();
    api.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/startupProbe/tcpSocket/port', 8081));
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'app').startupProbe.tcpSocket.port).toBe(8081);
  });
});

describe('every Service the library or cdk8s-plus makes for a pod with a front door reaches it', () => {
  function proxied(
    kind: WorkloadKind | undefined,
    before: (app: AppWorkload) => void,
    after: (app: AppWorkload) => void,
  ) {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'dash', {
      kind,
      container: { name: 'grafana', image: 'grafana/grafana:10.4.2', portNumber: 3000 },
    });
    before(app);
    new OAuth2ProxySidecar(app, 'oauth2-proxy', {
      workload: app.workload,
      provider: OAuth2Provider.google(),
      secret: kplus.Secret.fromSecretName(chart, 'oauth', 'oauth2-proxy'),
      redirectUrl: 'https://dash.example.com/oauth2/callback',
      emailDomains: ['company.com'],
    });
    after(app);
    return synthValid(chart);
  }

  const targets = (svc: any) => svc.spec.ports.map((p: any) => p.targetPort);

  test.each([
    ['before the proxy', true],
    ['after the proxy', false],
  ])("cdk8s-plus's Deployment.exposeViaService, made %s", (_when, early) => {
    const expose = (app: AppWorkload) => (app.workload as kplus.Deployment).exposeViaService({ name: 'dash-plus' });
    const manifests = proxied(undefined, early ? expose : () => {}, early ? () => {} : expose);
    expect(targets(only(manifests, 'Service', 'dash-plus'))).toEqual([4180]);
  });

  test.each([
    ['before the proxy', true],
    ['after the proxy', false],
  ])("the library's exposeViaService, made %s", (_when, early) => {
    const expose = (app: AppWorkload) => app.exposeViaService({ name: 'dash-lib', port: 80 });
    const manifests = proxied(undefined, early ? expose : () => {}, early ? () => {} : expose);
    expect(targets(only(manifests, 'Service', 'dash-lib'))).toEqual([4180]);
  });

  test("a StatefulSet's governing Service", () => {
    const manifests = proxied(
      WorkloadKind.statefulSet(),
      () => {},
      () => {},
    );
    const governing = manifests.find((m) => m.kind === 'Service');
    expect(targets(governing)).toEqual([4180]);
  });

  test.each([
    ['a hand-written kplus.Service, made before the proxy', true, false],
    ['a hand-written kplus.Service, made after the proxy', false, false],
    ['a raw KubeService, made before the proxy', true, true],
    ['a raw KubeService, made after the proxy', false, true],
  ])('%s is not rewritten: synth fails and names it, its port, the front door and the fix', (_what, early, raw) => {
    const handWritten = (app: AppWorkload) => {
      const chart = Chart.of(app);
      if (raw) {
        new k8s.KubeService(chart, 'by-hand', {
          metadata: { name: 'by-hand' },
          spec: {
            selector: app.deployment.matchLabels,
            ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(3000) }],
          },
        });
      } else {
        new kplus.Service(chart, 'by-hand', {
          metadata: { name: 'by-hand' },
          selector: app.workload,
          ports: [{ port: 80, targetPort: 3000 }],
        });
      }
    };
    expect(() => proxied(undefined, early ? handWritten : () => {}, early ? () => {} : handWritten)).toThrow(
      /test\/by-hand: Service port 80 targets 3000 of Deployment '[^']+', whose front door is port 4180 of 'oauth2-proxy'.*this port bypasses the proxy \[front-door-bypass\]\. Fix: Set the Service port's targetPort to the proxy's port/,
    );
  });

  test('the pod template names its front door for the rules', () => {
    const manifests = proxied(
      undefined,
      () => {},
      () => {},
    );
    const deployment = only(manifests, 'Deployment');
    expect(deployment.spec.template.metadata.annotations['pod-patterns.cdk8s.io/front-door']).toBe('oauth2-proxy:4180');
  });
});

describe('init containers the workload already has', () => {
  test('a pattern can start after one added with addInitContainer', () => {
    // GIVEN a cdk8s-plus init container, and a pattern ordered after it
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'app', image: 'nginx:1.27', portNumber: 8080 }],
    });
    deployment.addInitContainer({ name: 'legacy-init', image: 'busybox:1.36', command: ['true'] });
    const composer = PodComposer.of(deployment);
    new WaitForService(deployment, 'wait-db', {
      workload: deployment,
      targets: [WaitTarget.tcp('db', 5432)],
      after: [composer.existingInitContainer('legacy-init')],
    });
    // WHEN
    const spec = onlyPodSpec(synthValid(chart));
    // THEN it keeps its place first
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['legacy-init', 'wait-db']);
  });

  test('naming one that does not exist says which exist', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27' }] });
    deployment.addInitContainer({ name: 'legacy-init', image: 'busybox:1.36' });
    expect(() => PodComposer.of(deployment).existingInitContainer('legacy')).toThrow(
      "PodComposer 'test/web': the workload has no init container named 'legacy' (it has 'legacy-init'); add it " +
        'with addInitContainer first, or name an init step of this library instead',
    );
  });
});

describe('KubernetesVersion.setTarget', () => {
  test('after constructs exist, the error says what to do', () => {
    const app = new App();
    const chart = new Chart(app, 'late');
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27' }] });
    expect(() => KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28)).toThrow(
      "KubernetesVersion.setTarget: 'late' already has constructs, so its target can no longer change; call " +
        'setTarget on the App or Chart before adding constructs to it, or use ' +
        'PodComposer.of(workload).overrideKubernetesVersion(version) for one workload',
    );
  });
});
