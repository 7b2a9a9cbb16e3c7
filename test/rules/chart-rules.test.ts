import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Acknowledge, AppWorkload, KubernetesVersion, ManifestRules, PodComposer } from '../../lib';
import { synthValid } from '../util/manifest';

const busybox = (name: string) => ({ name, image: 'busybox:1.36', command: ['true'] });

function appChart() {
  const chart = Testing.chart();
  const app = new AppWorkload(chart, 'web', { container: { name: 'app', image: 'app:1', portNumber: 8080 } });
  app.composer.addInitStep(busybox('wait'));
  return { chart, app };
}

describe('rules at synth', () => {
  test('a Service added with cdk8s-plus that targets an undeclared named port fails synth with its construct path', () => {
    // GIVEN a chart with a pattern, and a Service the composer never saw
    const { chart, app } = appChart();
    app.composer.addPodLabel('app', 'web');
    new ApiObject(chart, 'side-door', {
      apiVersion: 'v1',
      kind: 'Service',
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'admin' }] },
    });
    // WHEN it synthesizes, THEN the rule's error names the Service's construct path, the rule and the fix
    expect(() => Testing.synth(chart)).toThrow(
      "[test] test/side-door: Service port 80 targets the port named 'admin', which no container of Deployment",
    );
    expect(() => Testing.synth(chart)).toThrow('[service-target-port]. Fix: Name the container port');
  });

  test('an init container added with cdk8s-plus that expands a secret into argv fails synth', () => {
    const { chart, app } = appChart();
    const secret = kplus.Secret.fromSecretName(chart, 'db', 'db');
    app.workload.addInitContainer({
      name: 'migrate',
      image: 'flyway/flyway:10.12-alpine',
      args: ['-password=$(DB_PASSWORD)', 'migrate'],
      envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
    });
    expect(() => Testing.synth(chart)).toThrow(
      "test/web/Workload (container 'migrate'): container 'migrate' expands Secret-backed $(DB_PASSWORD) into its command line",
    );
  });

  test('a pod-spec problem the composer reports is reported once, not again by the chart', () => {
    const { chart, app } = appChart();
    app.composer.addInitStep(busybox('app'));
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/two containers are named 'app'/g)).toHaveLength(1);
  });

  test('beside a composed pod, a pod the composer does not compose still gets the pod-spec rules at synth', () => {
    // GIVEN a chart with a pattern, and a Deployment written as an ApiObject whose two containers share a name
    const { chart } = appChart();
    new ApiObject(chart, 'legacy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'legacy' },
      spec: {
        selector: { matchLabels: { app: 'legacy' } },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [busybox('main'), busybox('main')] },
        },
      },
    });
    // WHEN it synthesizes, THEN the chart's run reports the problem on that object
    expect(() => Testing.synth(chart)).toThrow("test/legacy (container 'main'): two containers are named 'main'");
  });

  test('warnings print once per synth, with the construct path', () => {
    // GIVEN a chart whose shipper reads a volume nobody writes
    const { chart, app } = appChart();
    app.workload.addInitContainer({
      name: 'logs',
      image: 'fluent/fluent-bit:3.0',
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      volumeMounts: [{ path: '/logs', volume: kplus.Volume.fromEmptyDir(chart, 'v', 'logs'), readOnly: true }],
      resources: { memory: { request: cdk8sSize(32), limit: cdk8sSize(64) }, cpu: { request: kplus.Cpu.millis(10) } },
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      synthValid(chart);
      synthValid(chart);
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('log-shipper-orphan-volume'));
      expect(lines).toEqual([
        "[warning] test/web/Workload (container 'logs'): log shipper 'logs' reads volume 'logs', which no other container " +
          'writes [log-shipper-orphan-volume]. Fix: Mount the volume writable into the app container at the path ' +
          'it logs to, or drop the mount from the shipper.',
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  test('each object is checked at its own target version', () => {
    const chart = Testing.chart();
    KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28);
    const app = new AppWorkload(chart, 'web', { container: { name: 'app', image: 'app:1' } });
    app.composer.overrideKubernetesVersion(KubernetesVersion.V1_29);
    app.composer.addSidecar({ ...busybox('logs'), startupProbe: undefined });
    expect(() => synthValid(chart)).not.toThrow();
  });
});

describe('Acknowledge', () => {
  test('an acknowledged error passes synth, prints its reason and is returned marked acknowledged', () => {
    // GIVEN a workload whose init container expands a secret, acknowledged with a reason
    const { chart, app } = appChart();
    const secret = kplus.Secret.fromSecretName(chart, 'db', 'db');
    app.workload.addInitContainer({
      name: 'legacy',
      image: 'legacy:1',
      args: ['--token=$(TOKEN)'],
      envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) },
      resources: { memory: { request: cdk8sSize(32), limit: cdk8sSize(64) }, cpu: { request: kplus.Cpu.millis(10) } },
    });
    Acknowledge.rule(app.workload, 'secret-in-args', 'the legacy tool reads its token only from argv; rotated daily');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // WHEN it synthesizes
      const manifests = synthValid(chart);
      // THEN the annotation is written, the finding is acknowledged and the reason printed
      const deployment = manifests.find((m) => m.kind === 'Deployment');
      expect(deployment.metadata.annotations['pod-patterns.cdk8s.io/acknowledge']).toBe(
        '{"secret-in-args":"the legacy tool reads its token only from argv; rotated daily"}',
      );
      const finding = ManifestRules.check(manifests).find((f) => f.ruleId === 'secret-in-args');
      expect(finding).toMatchObject({
        acknowledged: true,
        acknowledgedReason: 'the legacy tool reads its token only from argv; rotated daily',
      });
      expect(warn.mock.calls.map((c) => String(c[0]))).toContain(
        '[acknowledged] test/web/Workload: secret-in-args (error): the legacy tool reads its token only from argv; rotated daily',
      );
    } finally {
      warn.mockRestore();
    }
  });

  test('refuses an unknown rule, an empty reason, a second acknowledgement and a construct with no object', () => {
    const { app } = appChart();
    expect(() => Acknowledge.rule(app.workload, 'no-such-rule', 'x')).toThrow(
      'Acknowledge.rule \'test/web/Workload\': unknown rule "no-such-rule"; use an id from ManifestRules.catalogue() (docs/rules.md)',
    );
    expect(() => Acknowledge.rule(app.workload, 'resources-missing', '  ')).toThrow(
      "Acknowledge.rule 'test/web/Workload': 'reason' must say why 'resources-missing' does not apply here, got \"  \"",
    );
    Acknowledge.rule(app.workload, 'resources-missing', 'sized by the autoscaler');
    expect(() => Acknowledge.rule(app.workload, 'resources-missing', 'again')).toThrow(
      "Acknowledge.rule 'test/web/Workload': 'resources-missing' is already acknowledged (\"sized by the autoscaler\"); acknowledge a rule once",
    );
    expect(() => Acknowledge.rule(PodComposer.of(app.workload), 'resources-missing', 'x')).toThrow(
      "Acknowledge.rule 'test/web/Workload/PodComposer': the construct renders no Kubernetes object; pass a workload, a Service or an ApiObject",
    );
  });
});

function cdk8sSize(mebibytes: number) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk8s').Size.mebibytes(mebibytes);
}
