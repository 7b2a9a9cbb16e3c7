/**
 * Every Secret and ConfigMap a pattern's pods refer to goes through one core function: a reference to an
 * object of another namespace fails at construction, whichever pattern makes it.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  ConfigCheck,
  EnvoyConfig,
  EnvoySidecar,
  FluentBitConfig,
  FluentBitHealth,
  FluentBitOutput,
  FluentBitSidecar,
  FluentdSidecar,
  FlywayMigration,
  FlywayMigrationJob,
  FlywayScripts,
  GitCloneContent,
  OAuth2Provider,
  OAuth2ProxySidecar,
  SharedVolume,
  TlsTrust,
  VaultSecrets,
  WorkloadKind,
} from '../lib';

/** A chart in namespace 'production' with an app, and a Secret and a ConfigMap in namespace 'tools'. */
function setup() {
  const chart = Testing.chart();
  const app = new AppWorkload(chart, 'app', {
    kind: WorkloadKind.deployment({
      metadata: { namespace: 'production' },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'app-sa'),
      automountServiceAccountToken: true,
      securityContext: { user: 1000, group: 1000 },
    }),
    container: { name: 'app', image: 'company/app:1.0.0', portNumber: 8080, securityContext: { user: 1000 } },
  });
  const secret = new kplus.Secret(chart, 'secret', {
    metadata: { name: 'elsewhere-secret', namespace: 'tools' },
    stringData: { token: 't', password: 'p', 'client-id': 'i', 'client-secret': 's', 'cookie-secret': 'c' },
  });
  const configMap = new kplus.ConfigMap(chart, 'cm', {
    metadata: { name: 'elsewhere-config', namespace: 'tools' },
    data: { 'ca.crt': 'x', 'app.yaml': 'x', 'envoy.yaml': 'x', 'V1__a.sql': 'x' },
  });
  return { chart, app, secret, configMap };
}

const SECRET_MESSAGE =
  'the Secret \'elsewhere-secret\' is in namespace "tools" but the workload is in "production"; a pod reads ' +
  'Secrets of its own namespace only';
const CONFIGMAP_MESSAGE =
  'the ConfigMap \'elsewhere-config\' is in namespace "tools" but the workload is in "production"; a pod mounts ' +
  'ConfigMaps of its own namespace only';

type Case = [string, (s: ReturnType<typeof setup>) => void, string];

const flywayBase = (s: ReturnType<typeof setup>, local: kplus.ISecret) => ({
  jdbcUrl: 'jdbc:postgresql://db:5432/app',
  user: { secret: local, key: 'user' },
  password: { secret: local, key: 'password' },
  scripts: FlywayScripts.fromConfigMap(kplus.ConfigMap.fromConfigMapName(s.chart, 'sql', 'sql')),
});

const local = (chart: Chart) => kplus.Secret.fromSecretName(chart, `local-${Math.random()}`, 'local');

const CASES: Case[] = [
  [
    'FlywayMigration credentials',
    (s) =>
      new FlywayMigration(s.chart, 'flyway', {
        workload: s.app.workload,
        ...flywayBase(s, local(s.chart)),
        password: { secret: s.secret, key: 'password' },
      }),
    `FlywayMigration 'flyway': ${SECRET_MESSAGE}`,
  ],
  [
    'FlywayMigration scripts',
    (s) =>
      new FlywayMigration(s.chart, 'flyway', {
        workload: s.app.workload,
        ...flywayBase(s, local(s.chart)),
        scripts: FlywayScripts.fromConfigMap(s.configMap),
      }),
    `FlywayMigration 'flyway': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'FlywayMigrationJob credentials',
    (s) =>
      new FlywayMigrationJob(s.chart, 'job', {
        metadata: { namespace: 'production' },
        ...flywayBase(s, local(s.chart)),
        user: { secret: s.secret, key: 'user' },
      }),
    `FlywayMigrationJob 'job': ${SECRET_MESSAGE}`,
  ],
  [
    'GitCloneContent token',
    (s) =>
      new GitCloneContent(s.chart, 'git', {
        workload: s.app.workload,
        repository: 'https://github.com/company/site.git',
        token: { secret: s.secret, key: 'token' },
      }),
    `GitCloneContent 'git': ${SECRET_MESSAGE}`,
  ],
  [
    'VaultSecrets CA ConfigMap',
    (s) =>
      new VaultSecrets(s.chart, 'vault', {
        workload: s.app.workload,
        address: 'https://vault:8200',
        role: 'app',
        secrets: [{ path: 'secret/app', field: 'f', fileName: 'f' }],
        caCertificate: s.configMap,
      }),
    `VaultSecrets 'vault': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'ConfigCheck volume',
    (s) =>
      new ConfigCheck(s.chart, 'check', {
        workload: s.app.workload,
        volume: SharedVolume.fromConfigMap(s.chart, s.configMap),
        files: ['app.yaml'],
      }),
    `ConfigCheck 'check': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'FluentBitSidecar ConfigMap',
    (s) =>
      new FluentBitSidecar(s.chart, 'fb', {
        workload: s.app.workload,
        logVolume: SharedVolume.emptyDir(s.chart, 'logs'),
        config: FluentBitConfig.fromConfigMap(s.configMap, { health: FluentBitHealth.none() }),
      }),
    `FluentBitSidecar 'fb': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'FluentBitSidecar CA bundle',
    (s) =>
      new FluentBitSidecar(s.chart, 'fb', {
        workload: s.app.workload,
        logVolume: SharedVolume.emptyDir(s.chart, 'logs'),
        config: FluentBitConfig.generate({
          outputs: [FluentBitOutput.elasticsearch({ host: 'es', tls: true, tlsTrust: TlsTrust.fromSecret(s.secret) })],
        }),
      }),
    `FluentBitSidecar 'fb': ${SECRET_MESSAGE}`,
  ],
  [
    'FluentdSidecar password',
    (s) =>
      new FluentdSidecar(s.chart, 'fluentd', {
        workload: s.app.workload,
        logVolume: SharedVolume.emptyDir(s.chart, 'logs'),
        configMap: kplus.ConfigMap.fromConfigMapName(s.chart, 'fcm', 'fluentd'),
        elasticsearchHost: 'es',
        elasticsearchUser: 'u',
        elasticsearchPassword: { secret: s.secret, key: 'password' },
      }),
    `FluentdSidecar 'fluentd': ${SECRET_MESSAGE}`,
  ],
  [
    'FluentdSidecar CA bundle',
    (s) =>
      new FluentdSidecar(s.chart, 'fluentd', {
        workload: s.app.workload,
        logVolume: SharedVolume.emptyDir(s.chart, 'logs'),
        configMap: kplus.ConfigMap.fromConfigMapName(s.chart, 'fcm', 'fluentd'),
        elasticsearchHost: 'es',
        elasticsearchTls: true,
        elasticsearchTlsTrust: TlsTrust.fromConfigMap(s.configMap),
      }),
    `FluentdSidecar 'fluentd': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'EnvoySidecar ConfigMap',
    (s) =>
      new EnvoySidecar(s.chart, 'envoy', {
        workload: s.app.workload,
        config: EnvoyConfig.fromConfigMap(s.configMap),
      }),
    `EnvoySidecar 'envoy': ${CONFIGMAP_MESSAGE}`,
  ],
  [
    'EnvoySidecar upstream CA bundle',
    (s) =>
      new EnvoySidecar(s.chart, 'envoy', {
        workload: s.app.workload,
        config: EnvoyConfig.bootstrap({ upstreamTlsTrust: TlsTrust.fromSecret(s.secret) }),
      }),
    `EnvoySidecar 'envoy': ${SECRET_MESSAGE}`,
  ],
  [
    'OAuth2ProxySidecar Secret',
    (s) =>
      new OAuth2ProxySidecar(s.chart, 'oauth', {
        workload: s.app.workload,
        provider: OAuth2Provider.google(),
        secret: s.secret,
        redirectUrl: 'https://app.example.com/oauth2/callback',
        emailDomains: ['example.com'],
      }),
    `OAuth2ProxySidecar 'oauth': ${SECRET_MESSAGE}`,
  ],
];

describe('every Secret and ConfigMap reference is namespace-checked', () => {
  test.each(CASES)('%s', (_name, attach, message) => {
    // GIVEN a workload in 'production' and objects in 'tools'
    const s = setup();
    // WHEN a pattern refers to one of them THEN it throws, naming the object and both namespaces
    expect(() => attach(s)).toThrow(message);
  });

  test('a ConfigMap of this app that a helper reads rolls the pods: its hash is on the pod template', () => {
    // GIVEN a ConfigCheck over a ConfigMap of the app, in the workload's namespace
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'app', { container: { image: 'company/app:1.0.0' } });
    const cm = new kplus.ConfigMap(chart, 'cm', { data: { 'app.yaml': 'a: 1' } });
    new ConfigCheck(chart, 'check', {
      workload: app.workload,
      volume: SharedVolume.fromConfigMap(chart, cm),
      files: ['app.yaml'],
    });
    // WHEN synthesized THEN the pod template carries the hash
    const manifests = Testing.synth(chart);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.template.metadata.annotations['checksum.cdk8s-pod-patterns/check']).toMatch(/^sha256:/);
  });
});
