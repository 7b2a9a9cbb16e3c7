/**
 * Patterns on any pod template: low-level `Kube*` objects and objects of an `Include`, beside the cdk8s-plus
 * workloads every other test uses.
 */
import * as path from 'path';
import { ApiObject, Include, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConfigCheck,
  EnvoySidecar,
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  FluentdSidecar,
  FlywayMigration,
  FlywayScripts,
  GitCloneContent,
  IstioInjection,
  OAuth2Provider,
  OAuth2ProxySidecar,
  PodComposer,
  SharedVolume,
  VaultSecrets,
  WaitForService,
  WaitTarget,
} from '../lib';
import { containerNamed, envOf, only, podSpecOf, synthValid } from './util/manifest';

const k8s = kplus.k8s;
const FIXTURES = path.join(__dirname, 'fixtures', 'owners');
const names = (containers: any[] | undefined) => (containers ?? []).map((c: any) => c.name);
const step = (name: string) => ({ name, image: 'busybox:1.37.0', command: ['true'] });
/** Requests and limits, so that the rules at synth have nothing to warn about. */
const resources = {
  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
  limits: { memory: k8s.Quantity.fromString('64Mi') },
};

/** A KubeDeployment with two app containers. */
function kubeDeployment(chart = Testing.chart()) {
  const deployment = new k8s.KubeDeployment(chart, 'api', {
    metadata: { name: 'api' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            { name: 'api', image: 'company/api:1.0.0', ports: [{ containerPort: 8080 }], resources },
            { name: 'worker', image: 'company/worker:1.0.0', resources },
          ],
        },
      },
    },
  });
  return { chart, deployment };
}

/** The objects of the web chart's `helm template` output. */
function includedWeb(chart = Testing.chart()) {
  const include = new Include(chart, 'web', { url: path.join(FIXTURES, 'web.yaml') });
  const deployment = include.apiObjects.find((o) => o.kind === 'Deployment')!;
  return { chart, include, deployment };
}

describe('a KubeDeployment', () => {
  test('gets init steps, sidecars, volumes, app mounts, env, labels, annotations and the config hash', () => {
    // GIVEN
    const { chart, deployment } = kubeDeployment();
    const composer = PodComposer.of(deployment);
    const logs = SharedVolume.emptyDir(chart, 'app-logs');
    const config = new kplus.ConfigMap(chart, 'config', { data: { 'app.yaml': 'a: 1' } });
    // WHEN
    new WaitForService(chart, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('postgres', 5432)] });
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: deployment,
      logVolume: logs,
      appMountPath: '/var/log/app',
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()] }),
    });
    composer.mountIntoApp(SharedVolume.fromConfigMap(chart, config, { name: 'config' }), '/config', {
      containerName: 'worker',
    });
    composer.addAppEnv('MODE', kplus.EnvValue.fromValue('fast'));
    composer.addEnvToContainer('worker', 'QUEUE', kplus.EnvValue.fromConfigMap(config, 'app.yaml'));
    composer.addPodLabel('tier', 'backend');
    composer.addPodAnnotation('team', 'payments');
    const hashKey = composer.addConfigHashAnnotation('app', config);
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const manifest = only(manifests, 'Deployment');
    const spec = podSpecOf(manifest);
    expect(names(spec.initContainers)).toEqual(['wait-db', 'log-forwarder']);
    expect(containerNamed(spec, 'log-forwarder').restartPolicy).toBe('Always');
    expect(names(spec.containers)).toEqual(['api', 'worker']);
    expect(names(spec.volumes)).toEqual(['app-logs', 'log-forwarder-config', 'log-forwarder-state', 'config']);
    expect(spec.volumes[0]).toEqual({ name: 'app-logs', emptyDir: {} });
    expect(containerNamed(spec, 'api').volumeMounts).toEqual([
      { mountPath: '/var/log/app', name: 'app-logs', readOnly: false },
    ]);
    expect(containerNamed(spec, 'worker').volumeMounts).toEqual([
      { mountPath: '/config', name: 'config', readOnly: true },
    ]);
    expect(containerNamed(spec, 'api').env).toEqual([{ name: 'MODE', value: 'fast' }]);
    expect(containerNamed(spec, 'worker').env).toEqual([
      { name: 'QUEUE', valueFrom: { configMapKeyRef: { key: 'app.yaml', name: config.name } } },
    ]);
    expect(manifest.spec.template.metadata.labels).toEqual({ app: 'api', tier: 'backend' });
    expect(manifest.spec.template.metadata.annotations).toMatchObject({ team: 'payments' });
    expect(manifest.spec.template.metadata.annotations[hashKey]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(manifest.spec.template.metadata.annotations)).toContain(
      'checksum.cdk8s-pod-patterns/log-forwarder',
    );
  });

  test('reads its facts from the object: app container, port, namespace, grace period', () => {
    const { deployment } = kubeDeployment();
    const composer = PodComposer.of(deployment);
    expect(composer.isCdk8sPlusWorkload).toBe(false);
    expect(composer.workloadKind).toBe('Deployment');
    expect(composer.ownerPath).toBe('test/api');
    expect(composer.appContainerName).toBe('api');
    expect(composer.appContainerNames).toEqual(['api', 'worker']);
    expect(composer.appPortNumber()).toBe(8080);
    expect(composer.appPortNumber('worker')).toBeUndefined();
    expect(composer.namespace).toBeUndefined();
    expect(composer.terminationGracePeriodSeconds).toBe(30);
    expect(composer.automountsServiceToken).toBe(true);
  });

  test("'appContainer' picks the app container by name", () => {
    const { chart, deployment } = kubeDeployment();
    const composer = PodComposer.of(deployment, { appContainer: 'worker' });
    composer.mountIntoApp(SharedVolume.emptyDir(chart, 'scratch'), '/scratch', { readOnly: false });
    const spec = podSpecOf(only(synthValid(chart), 'Deployment'));
    expect(composer.appContainerName).toBe('worker');
    expect(containerNamed(spec, 'worker').volumeMounts).toEqual([
      { mountPath: '/scratch', name: 'scratch', readOnly: false },
    ]);
    expect(containerNamed(spec, 'api').volumeMounts).toBeUndefined();
  });

  test('the composer is the same for the object and a construct whose default child it is', () => {
    const { deployment } = kubeDeployment();
    expect(PodComposer.of(deployment)).toBe(PodComposer.of(deployment));
    expect(PodComposer.of(deployment).node.path).toBe('test/api/PodComposer');
  });

  test("the composer of a cdk8s-plus workload's ApiObject is the workload's", () => {
    const chart = Testing.chart();
    const workload = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(PodComposer.of(ApiObject.of(workload))).toBe(PodComposer.of(workload));
    expect(PodComposer.of(workload).isCdk8sPlusWorkload).toBe(true);
  });

  test('the JSON patches apply last, over what the library added', () => {
    const { chart, deployment } = kubeDeployment();
    new WaitForService(chart, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('postgres', 5432)] });
    deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers/0/image', 'busybox:1.37.1'));
    const spec = podSpecOf(only(synthValid(chart), 'Deployment'));
    expect(containerNamed(spec, 'wait-db').image).toBe('busybox:1.37.1');
  });

  test('exposeViaService selects the pods by the selector labels and targets the app port', () => {
    const { chart, deployment } = kubeDeployment();
    PodComposer.of(deployment).exposeViaService(chart, 'svc', { port: 80, name: 'api' });
    const service = only(synthValid(chart), 'Service');
    expect(service.spec.selector).toEqual({ app: 'api' });
    expect(service.spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  test('plan() reads the composed pod', () => {
    const { chart, deployment } = kubeDeployment();
    new WaitForService(chart, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('postgres', 5432)] });
    const composer = PodComposer.of(deployment);
    expect(composer.startupOrder()).toEqual(['wait-db']);
    expect(composer.plan().toText()).toContain('wait-db');
  });

  test('composer.workload and composer.appContainer name what to use instead', () => {
    const { deployment } = kubeDeployment();
    const composer = PodComposer.of(deployment);
    expect(() => composer.workload).toThrow(
      "PodComposer 'test/api': the Deployment is not a cdk8s-plus workload, so there is no 'workload'; read the " +
        "pod's facts from the composer (namespace, appContainerName, appPortNumber, ...)",
    );
    expect(() => composer.appContainer).toThrow(
      "PodComposer 'test/api': the Deployment is not a cdk8s-plus workload, so its app container is no " +
        "kplus.Container; name it instead ('api', appContainerName)",
    );
  });
});

describe('a KubeJob and a KubeCronJob', () => {
  test("a KubeJob's own native sidecar is kept first; a helper can start after it", () => {
    // GIVEN a Job whose pod already has a native sidecar
    const chart = Testing.chart();
    const job = new k8s.KubeJob(chart, 'report', {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            initContainers: [
              {
                name: 'proxy',
                image: 'company/proxy:2.1.0',
                restartPolicy: 'Always',
                resources,
                startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(5432) } },
              },
            ],
            containers: [{ name: 'report', image: 'company/report:1.0.0', resources }],
          },
        },
      },
    });
    const composer = PodComposer.of(job);
    // WHEN
    composer.addInitStep(step('wait-db'), { after: [composer.existingInitContainer('proxy')] });
    composer.addSidecar({ ...step('shipper'), command: ['sleep', 'infinity'] });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = podSpecOf(only(manifests, 'Job'));
    expect(names(spec.initContainers)).toEqual(['proxy', 'wait-db', 'shipper']);
    expect(containerNamed(spec, 'shipper').restartPolicy).toBe('Always');
    expect(names(spec.containers)).toEqual(['report']);
    expect(composer.runsToCompletion).toBe(true);
  });

  test('a KubeCronJob gets init steps, env and annotations in its job template', () => {
    const chart = Testing.chart();
    const cron = new k8s.KubeCronJob(chart, 'nightly', {
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'backup', image: 'company/backup:2.0.0', resources }],
              },
            },
          },
        },
      },
    });
    new WaitForService(chart, 'wait-db', { workload: cron, targets: [WaitTarget.tcp('postgres', 5432)] });
    const composer = PodComposer.of(cron);
    composer.addAppEnv('TARGET', kplus.EnvValue.fromValue('s3'));
    composer.addPodAnnotation('team', 'data');
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const template = only(manifests, 'CronJob').spec.jobTemplate.spec.template;
    expect(names(template.spec.initContainers)).toEqual(['wait-db']);
    expect(envOf(containerNamed(template.spec, 'backup'))).toEqual({ TARGET: 's3' });
    expect(template.metadata.annotations).toEqual({ team: 'data' });
  });
});

describe('an object of an Include', () => {
  test("keeps the manifest's init containers and sidecars first and adds after them", () => {
    // GIVEN the Deployment of a chart's `helm template` output
    const { chart, deployment } = includedWeb();
    const composer = PodComposer.of(deployment);
    const logs = SharedVolume.emptyDir(chart, 'logs');
    // WHEN
    new WaitForService(chart, 'wait-db', {
      workload: deployment,
      targets: [WaitTarget.tcp('postgres', 5432)],
      after: [composer.existingInitContainer('init-perms')],
    });
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: deployment,
      logVolume: logs,
      appMountPath: '/var/log/nginx',
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()] }),
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const manifest = only(manifests, 'Deployment');
    const spec = podSpecOf(manifest);
    expect(names(spec.initContainers)).toEqual(['init-perms', 'wait-db', 'log-forwarder']);
    expect(names(spec.containers)).toEqual(['web', 'metrics']);
    expect(names(spec.volumes)).toEqual(['data', 'logs', 'log-forwarder-config', 'log-forwarder-state']);
    expect(containerNamed(spec, 'web').volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      { mountPath: '/var/log/nginx', name: 'logs', readOnly: false },
    ]);
    expect(containerNamed(spec, 'web').env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(manifest.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(composer.startupOrder()).toEqual(['init-perms', 'wait-db', 'log-forwarder']);
  });

  test('VaultSecrets reads the service account, the user and the fsGroup from the manifest', () => {
    const { chart, deployment } = includedWeb();
    const composer = PodComposer.of(deployment);
    const vault = new VaultSecrets(chart, 'vault', {
      workload: deployment,
      address: 'https://vault.internal:8200',
      role: 'web',
      secrets: [{ path: 'secret/web/api', field: 'key', fileName: 'api_key', envVar: 'API_KEY_FILE' }],
    });
    expect(composer.serviceAccountName).toBe('web');
    expect(composer.appRunAsUser()).toBe(101);
    expect(composer.podFsGroup).toBe(2000);
    expect(vault.runAsUser).toBe(101);
    const spec = podSpecOf(only(synthValid(chart), 'Deployment'));
    expect(envOf(containerNamed(spec, 'web'))).toEqual({ LOG_LEVEL: 'info', API_KEY_FILE: '/vault/secrets/api_key' });
  });

  test("an included Service that goes around the front door fails synth; the composer's own Service does not", () => {
    // GIVEN the chart's own Service, which sends port 80 to the app's 'http' port
    const { chart, deployment } = includedWeb();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: deployment,
      provider: OAuth2Provider.google(),
      secret: kplus.Secret.fromSecretName(chart, 'secret', 'oauth2-proxy-secret'),
      redirectUrl: 'https://web.example.com/oauth2/callback',
      emailDomains: ['example.com'],
    });
    // THEN the rules at synth name it
    expect(() => Testing.synth(chart)).toThrow(
      `[test] test/web/web-service: Service port 80 targets "http" of Deployment 'web', whose front door is port ` +
        "4180 of 'oauth2-proxy' (annotation 'pod-patterns.cdk8s.io/front-door'): this port bypasses the proxy " +
        "[front-door-bypass]. Fix: Set the Service port's targetPort to the proxy's port (with this library, " +
        'expose the workload through the composer).',
    );
  });

  test("exposeViaService on an included object goes to the front door; the manifest's Service can be dropped", () => {
    const { chart, include, deployment } = includedWeb();
    const included = include.apiObjects.find((o) => o.kind === 'Service')!;
    include.node.tryRemoveChild(included.node.id);
    const composer = PodComposer.of(deployment);
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: deployment,
      provider: OAuth2Provider.google(),
      secret: kplus.Secret.fromSecretName(chart, 'secret', 'oauth2-proxy-secret'),
      redirectUrl: 'https://web.example.com/oauth2/callback',
      emailDomains: ['example.com'],
    });
    composer.exposeViaService(chart, 'svc', { port: 80, name: 'web' });
    const manifests = synthValid(chart);
    const service = only(manifests, 'Service');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web' });
    expect(service.spec.ports).toEqual([{ port: 80, targetPort: 4180 }]);
    const template = only(manifests, 'Deployment').spec.template;
    expect(template.metadata.annotations['pod-patterns.cdk8s.io/front-door']).toBe('oauth2-proxy:4180');
  });
});

describe('every pattern attaches to a KubeDeployment', () => {
  const cases: Array<[string, (chart: any, workload: ApiObject) => void, string]> = [
    [
      'ConfigCheck',
      (chart, workload) =>
        new ConfigCheck(chart, 'check', {
          workload,
          volume: SharedVolume.emptyDir(chart, 'config'),
          files: ['app.yaml'],
        }),
      'check',
    ],
    [
      'FlywayMigration',
      (chart, workload) => {
        const secret = kplus.Secret.fromSecretName(chart, 'secret', 'credentials');
        return new FlywayMigration(chart, 'migrate', {
          workload,
          jdbcUrl: 'jdbc:postgresql://postgres:5432/app',
          user: { secret, key: 'username' },
          password: { secret, key: 'password' },
          scripts: FlywayScripts.fromConfigMap(
            new kplus.ConfigMap(chart, 'sql', { data: { 'V1__init.sql': 'SELECT 1;' } }),
          ),
        });
      },
      'migrate',
    ],
    [
      'GitCloneContent',
      (chart, workload) =>
        new GitCloneContent(chart, 'clone', {
          workload,
          repository: 'https://example.com/site.git',
          mountPath: '/srv',
        }),
      'clone',
    ],
    [
      'FluentdSidecar',
      (chart, workload) =>
        new FluentdSidecar(chart, 'fluentd', {
          workload,
          logVolume: SharedVolume.emptyDir(chart, 'logs'),
          configMap: kplus.ConfigMap.fromConfigMapName(chart, 'fluentd-config', 'fluentd-config'),
          elasticsearchHost: 'elasticsearch',
        }),
      'fluentd',
    ],
    ['EnvoySidecar', (chart, workload) => new EnvoySidecar(chart, 'envoy', { workload }), 'envoy'],
  ];

  test.each(cases)('%s', (_name, attach, container) => {
    const { chart, deployment } = kubeDeployment();
    attach(chart, deployment);
    const spec = podSpecOf(only(synthValid(chart), 'Deployment'));
    expect(containerNamed(spec, container).name).toBe(container);
    expect(names(spec.containers).slice(0, 2)).toEqual(['api', 'worker']);
  });

  test('IstioInjection labels and annotates the pod template', () => {
    const { chart, deployment } = kubeDeployment();
    new IstioInjection(chart, 'mesh', { workload: deployment, nativeSidecar: true });
    const template = only(synthValid(chart), 'Deployment').spec.template;
    expect(template.metadata.labels).toEqual({ app: 'api', 'sidecar.istio.io/inject': 'true' });
    expect(template.metadata.annotations).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
  });
});

describe('errors', () => {
  test('an object without a pod template', () => {
    const chart = Testing.chart();
    const config = new k8s.KubeConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: {} });
    expect(() => PodComposer.of(config)).toThrow(
      "PodComposer: 'test/settings' is a ConfigMap ('settings'), which has no pod template; patterns attach to a " +
        'Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob',
    );
  });

  test('a construct that is no ApiObject and has none as default child', () => {
    const chart = Testing.chart();
    const { include } = includedWeb(chart);
    expect(
      () => new WaitForService(chart, 'wait', { workload: include, targets: [WaitTarget.tcp('db', 5432)] }),
    ).toThrow(
      "PodComposer: 'test/web' is neither an ApiObject nor a construct whose default child is one; pass the object " +
        "that holds the pod template (for an Include, one of its 'apiObjects')",
    );
  });

  test('an app container name that does not exist', () => {
    const { deployment } = kubeDeployment();
    expect(() => PodComposer.of(deployment, { appContainer: 'web' })).toThrow(
      "PodComposer 'test/api': the pod template has no app container named 'web' (it has 'api', 'worker'); name " +
        'one of them',
    );
  });

  test('a second, different app container choice', () => {
    const { deployment } = kubeDeployment();
    PodComposer.of(deployment);
    expect(() => PodComposer.of(deployment, { appContainer: 'worker' })).toThrow(
      "PodComposer 'test/api': the app container is already 'api', so it cannot become 'worker'; pass " +
        "'appContainer' on the first PodComposer.of() of this pod only",
    );
  });

  test("a helper named like one of the manifest's containers", () => {
    const { chart, deployment } = includedWeb();
    expect(
      () => new WaitForService(chart, 'init-perms', { workload: deployment, targets: [WaitTarget.tcp('db', 5432)] }),
    ).toThrow(
      "PodComposer 'test/web/web-deployment': the helper container 'init-perms' has the name of a container the " +
        "Deployment's pod template already has ('init-perms'); give the helper another 'containerName'",
    );
  });

  test("a volume named like one of the manifest's volumes", () => {
    const { chart, deployment } = includedWeb();
    expect(() => PodComposer.of(deployment).addVolume(SharedVolume.emptyDir(chart, 'data'))).toThrow(
      "PodComposer 'test/web/web-deployment': the SharedVolume 'data' has the name of a volume the Deployment's " +
        "pod template already has ('data'); give the SharedVolume another name",
    );
  });

  test('an env variable the app container already sets', () => {
    const { deployment } = includedWeb();
    expect(() => PodComposer.of(deployment).addAppEnv('LOG_LEVEL', kplus.EnvValue.fromValue('debug'))).toThrow(
      "PodComposer 'test/web/web-deployment': the app container 'web' already sets the env variable 'LOG_LEVEL'; " +
        'choose another name',
    );
  });

  test('a pod label the manifest sets to another value', () => {
    const { deployment } = includedWeb();
    expect(() => PodComposer.of(deployment).addPodLabel('app.kubernetes.io/name', 'other')).toThrow(
      "PodComposer 'test/web/web-deployment': the pod template already has the label 'app.kubernetes.io/name: " +
        "web'; it cannot also be 'other': remove it from the manifest, or drop the pattern that sets it",
    );
  });

  test("an init container the manifest does not have, in 'after'", () => {
    const { deployment } = includedWeb();
    expect(() => PodComposer.of(deployment).existingInitContainer('migrate')).toThrow(
      "PodComposer 'test/web/web-deployment': the workload has no init container named 'migrate' (it has " +
        "'init-perms'); check the manifest's initContainers, or name an init step of this library instead",
    );
  });
});
