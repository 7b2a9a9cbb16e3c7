import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  ConfigCheck,
  ConfigCheckProps,
  SharedVolume,
  WaitForService,
  WaitTarget,
  WorkloadKind,
} from '../lib';
import { containerNamed, envOf, onlyPodSpec, synthValid } from './util/manifest';

function configVolume(chart: Chart): SharedVolume {
  return SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'), {
    name: 'config-vol',
  });
}

function podApp(chart: Chart): AppWorkload {
  return new AppWorkload(chart, 'my-app', {
    kind: WorkloadKind.pod({ metadata: { name: 'my-app' } }),
    container: { name: 'app', image: 'my-app:2.1.0', portNumber: 8080 },
  });
}

type CheckOptions = Partial<Omit<ConfigCheckProps, 'workload'>>;

/** A ConfigCheck on the my-app Pod, checking app.yaml on the app-config volume unless `options` says otherwise. */
function check(chart: Chart, options: CheckOptions = {}, id = 'check-config'): ConfigCheck {
  return new ConfigCheck(chart, id, {
    workload: podApp(chart).workload,
    volume: configVolume(chart),
    files: ['app.yaml'],
    ...options,
  });
}

/** The init container of a ConfigCheck made with `options`. */
function renderStep(options: CheckOptions = {}): any {
  const chart = Testing.chart();
  const made = check(chart, options);
  return containerNamed(onlyPodSpec(synthValid(chart)), made.containerName);
}

/** A deferred ConfigCheck 'check', for `toThrow` tests. */
function attempt(options: CheckOptions): () => ConfigCheck {
  return () => check(Testing.chart(), options, 'check');
}

describe('ConfigCheck', () => {
  test('attaches to a plain cdk8s-plus Deployment and mounts the volume read-only at /config', () => {
    // GIVEN
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    // WHEN
    new ConfigCheck(chart, 'check-config', { workload: deployment, volume: configVolume(chart), files: ['app.yaml'] });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    const step = containerNamed(spec, 'check-config');
    expect(step.volumeMounts).toEqual([{ name: 'config-vol', mountPath: '/config', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'config-vol', configMap: { name: 'app-config' } }]);
    expect(envOf(step)).toEqual({ CONFIG_DIR: '/config', CONFIG_FILES: 'app.yaml', CONFIG_REQUIRE_NON_EMPTY: 'false' });
  });

  test('attaches to an AppWorkload Pod, beside an app that mounts the same volume', () => {
    const chart = Testing.chart();
    const app = podApp(chart);
    const config = configVolume(chart);
    new ConfigCheck(chart, 'check-config', { workload: app.workload, volume: config, files: ['app.yaml'] });
    app.composer.mountIntoApp(config, '/config');
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['config-vol']);
    expect(containerNamed(spec, 'app').volumeMounts).toEqual([
      { name: 'config-vol', mountPath: '/config', readOnly: true },
    ]);
    const step = containerNamed(spec, 'check-config');
    expect(step.image).toBe('busybox:1.37.0');
    expect(step.resources).toEqual({
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '50m', memory: '32Mi' },
    });
    expect(step.securityContext).toMatchObject({ runAsUser: 65534, readOnlyRootFilesystem: true });
  });

  test('several files are passed one per line, in order', () => {
    const step = renderStep({ files: ['app.yaml', 'logging/logback.xml', '.env'] });
    expect(envOf(step).CONFIG_FILES).toBe('app.yaml\nlogging/logback.xml\n.env');
  });

  test('mountPath changes where the volume is mounted and checked', () => {
    const chart = Testing.chart();
    const made = check(chart, { mountPath: '/etc/my-app/' });
    expect(made.mountPath).toBe('/etc/my-app');
    const step = containerNamed(onlyPodSpec(synthValid(chart)), 'check-config');
    expect(step.volumeMounts[0].mountPath).toBe('/etc/my-app');
    expect(envOf(step).CONFIG_DIR).toBe('/etc/my-app');
  });

  test('requireNonEmpty also rejects empty files', () => {
    expect(envOf(renderStep({ requireNonEmpty: true })).CONFIG_REQUIRE_NON_EMPTY).toBe('true');
  });

  test('image, resources and containerName can be overridden', () => {
    const step = renderStep({
      containerName: 'verify-config',
      image: 'busybox:1.36.1-musl',
      resources: { memory: { request: Size.mebibytes(8), limit: Size.mebibytes(16) } },
    });
    expect(step.name).toBe('verify-config');
    expect(step.image).toBe('busybox:1.36.1-musl');
    expect(step.resources).toEqual({ requests: { memory: '8Mi' }, limits: { memory: '16Mi' } });
  });

  test('works with any shared volume, such as a Secret', () => {
    const chart = Testing.chart();
    const tls = SharedVolume.fromSecret(chart, kplus.Secret.fromSecretName(chart, 's', 'app-tls'));
    new ConfigCheck(chart, 'check-tls', {
      workload: podApp(chart).workload,
      volume: tls,
      files: ['tls.crt', 'tls.key'],
      mountPath: '/tls',
      requireNonEmpty: true,
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(spec.volumes).toEqual([{ name: 'secret-app-tls', secret: { secretName: 'app-tls', defaultMode: 256 } }]);
    expect(containerNamed(spec, 'check-tls').volumeMounts).toEqual([
      { name: 'secret-app-tls', mountPath: '/tls', readOnly: true },
    ]);
  });

  test("'after' orders the check after another step (the seed's check-config runs first by default)", () => {
    const chart = Testing.chart();
    const app = podApp(chart);
    const wait = new WaitForService(chart, 'wait-db', {
      workload: app.workload,
      targets: [WaitTarget.tcp('postgres-svc', 5432)],
    });
    new ConfigCheck(chart, 'check-config', { workload: app.workload, volume: configVolume(chart), files: ['a'] });
    new ConfigCheck(chart, 'check-late', {
      workload: app.workload,
      volume: SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm2', 'flags')),
      files: ['b'],
      mountPath: '/flags',
      after: [wait],
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(onlyPodSpec(manifests).initContainers.map((c: any) => c.name)).toEqual([
      'wait-db',
      'check-config',
      'check-late',
    ]);
  });

  test('the script text is the same whatever the props', () => {
    const chart = Testing.chart();
    const app = podApp(chart);
    const config = configVolume(chart);
    new ConfigCheck(chart, 'a', { workload: app.workload, volume: config, files: ['app.yaml'] });
    new ConfigCheck(chart, 'b', {
      workload: app.workload,
      volume: config,
      files: ['other.json', 'x/y.conf'],
      mountPath: '/etc/b',
      requireNonEmpty: true,
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'a').command).toEqual(containerNamed(spec, 'b').command);
    expect(containerNamed(spec, 'a').command[2]).not.toContain('app.yaml');
  });

  describe('rejects bad input with an error that names the prop and the value', () => {
    test('no file', () => {
      expect(attempt({ files: [] })).toThrow(
        "ConfigCheck 'check': 'files' must name at least one file to check (such as 'app.yaml'), got []",
      );
    });

    test.each(['', '/etc/passwd', '../secrets/key', 'a/../b', 'a//b', './app.yaml', 'app yaml', 'app.yaml/'])(
      'file %j',
      (file) => {
        expect(attempt({ files: [file] })).toThrow(
          "ConfigCheck 'check': 'files' must be a relative path of plain segments (letters, digits, '.', '_', '-'; no '..', " +
            `no leading '/'), got ${JSON.stringify(file)}`,
        );
      },
    );

    test('the same file twice', () => {
      expect(attempt({ files: ['app.yaml', 'app.yaml'] })).toThrow(
        "ConfigCheck 'check': 'files' lists \"app.yaml\" twice; list each file once",
      );
    });

    test.each([
      ['config', "ConfigCheck 'check': 'mountPath' must be absolute (start with /), got \"config\""],
      [
        '/con fig',
        "ConfigCheck 'check': 'mountPath' may hold only letters, digits, '.', '_', '-' and '/', got \"/con fig\"",
      ],
      ['/a/../etc', "ConfigCheck 'check': 'mountPath' must not contain '..', '.' or empty segments, got \"/a/../etc\""],
      ['/', "ConfigCheck 'check': 'mountPath' must not be '/', got \"/\"; use a directory such as '/config'"],
    ])('mountPath %j', (mountPath, message) => {
      expect(attempt({ mountPath })).toThrow(message);
    });
  });

  describe('hostile values are rejected at construction and cannot reach a shell', () => {
    test.each([
      'app.yaml; touch /tmp/pwned',
      '$(touch /tmp/pwned)',
      '`id`',
      "a'b",
      'a"b',
      'app.yaml\ntouch /tmp/pwned',
      '*',
    ])('file %j', (file) => {
      expect(attempt({ files: [file] })).toThrow(
        "ConfigCheck 'check': 'files' must be a relative path of plain segments (letters, digits, '.', '_', '-'; " +
          `no '..', no leading '/'), got ${JSON.stringify(file)}`,
      );
    });

    test.each(['/config;id', '/config$(id)', '/config\n/x'])('mountPath %j', (mountPath) => {
      expect(attempt({ files: ['a'], mountPath })).toThrow(
        `ConfigCheck 'check': 'mountPath' may hold only letters, digits, '.', '_', '-' and '/', got ${JSON.stringify(mountPath)}`,
      );
    });
  });
});
