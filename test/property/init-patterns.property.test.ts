/**
 * Property: every init pattern and its factories (WaitForService/WaitTarget, ConfigCheck, FlywayMigration,
 * FlywayMigrationJob/FlywayScripts, GitCloneContent/GitRef, VaultSecrets) with valid, edge and hostile
 * props either throw a clear Error or produce output a cluster accepts.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  ConfigCheck,
  FlywayCommand,
  FlywayMigration,
  FlywayMigrationJob,
  FlywayScripts,
  GitCloneContent,
  GitRef,
  SharedVolume,
  VaultSecrets,
  WaitForService,
  WaitTarget,
} from '../../lib';
import { constructId, dnsLabel, envName, hostName, image, maybe, num, port, text } from './arbitraries';
import { base } from './base';
import { buildOrThrowNaming, property, reportCases } from './fuzz';

reportCases('init-patterns.property');

const seconds = maybe(num(fc.integer({ min: 1, max: 600 })));
const common = { id: constructId, containerName: maybe(text(dnsLabel)), image: maybe(image) };
const relPath = text(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\.[a-z]{1,4})?$/));
const absPath = text(fc.stringMatching(/^(\/[a-z][a-z0-9_-]{0,8}){1,3}$/));

const target = fc.oneof(
  fc.record({ tcp: text(hostName), port }),
  fc.record({
    http: text(fc.tuple(hostName, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `http://${h}:${p}/ready`)),
  }),
);

property(
  'WaitForService with any targets and timings',
  fc.record({
    ...common,
    targets: fc.array(target, { minLength: 0, maxLength: 3 }),
    intervalSeconds: seconds,
    attemptTimeoutSeconds: seconds,
    deadlineSeconds: seconds,
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app } = base();
      new WaitForService(app, p.id, {
        workload: app.workload,
        containerName: p.containerName,
        image: p.image,
        targets: p.targets.map((t) => ('tcp' in t ? WaitTarget.tcp(t.tcp, t.port) : WaitTarget.http(t.http))),
        intervalSeconds: p.intervalSeconds,
        attemptTimeoutSeconds: p.attemptTimeoutSeconds,
        deadlineSeconds: p.deadlineSeconds,
      });
      return chart;
    }, ['containerName', 'image', 'targets', 'host', 'port', 'url', 'Seconds']).outcome,
  1500,
);

property(
  'ConfigCheck with any files, volume and mount path',
  fc.record({
    ...common,
    configMapName: text(dnsLabel),
    volumeName: maybe(text(dnsLabel)),
    files: fc.array(relPath, { maxLength: 3 }),
    mountPath: maybe(absPath),
    requireNonEmpty: fc.boolean(),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app } = base();
      const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cfg', p.configMapName);
      const volume = SharedVolume.fromConfigMap(chart, cm, { name: p.volumeName });
      new ConfigCheck(app, p.id, { workload: app.workload, ...p, volume });
      return chart;
    }, ['containerName', 'image', 'files', 'mountPath', 'name', 'volume']).outcome,
  1200,
);

const flyway = fc.record({
  ...common,
  jdbcUrl: text(fc.constantFrom('jdbc:postgresql://db:5432/app', 'jdbc:mysql://mysql-svc:3306/shop')),
  userKey: text(fc.constantFrom('username')),
  passwordKey: text(fc.constantFrom('password')),
  sqlFile: fc.constantFrom('V1__init.sql', 'V2__add.sql'),
  locationsPath: maybe(relPath),
  command: maybe(fc.constantFrom(...Object.values(FlywayCommand))),
  settings: maybe(fc.dictionary(envName, text(fc.constantFrom('10', 'true')), { maxKeys: 2 })),
});

property(
  'FlywayMigration with any URL, credentials, scripts and settings',
  flyway,
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app, secret } = base();
      const sql = new kplus.ConfigMap(chart, 'sql', { data: { [p.sqlFile]: 'SELECT 1;' } });
      new FlywayMigration(app, p.id, {
        workload: app.workload,
        containerName: p.containerName,
        image: p.image,
        jdbcUrl: p.jdbcUrl,
        user: { secret, key: p.userKey },
        password: { secret, key: p.passwordKey },
        scripts: FlywayScripts.fromConfigMap(sql),
        locationsPath: p.locationsPath,
        command: p.command,
        settings: p.settings,
      });
      return chart;
    }, ['containerName', 'image', 'jdbcUrl', 'user', 'password', 'key', 'locationsPath', 'settings', 'data']).outcome,
  1000,
);

property(
  'FlywayMigrationJob with any name and Job settings',
  fc.record({
    flyway,
    name: maybe(text(dnsLabel)),
    backoffLimit: maybe(num(fc.integer({ min: 0, max: 10 }))),
    // Duration.seconds refuses negative amounts itself
    ttlSeconds: maybe(fc.oneof(fc.integer({ min: 0, max: 86400 }), fc.constantFrom(0.5, 2 ** 31, 1e12))),
  }),
  ({ flyway: p, name, backoffLimit, ttlSeconds }) =>
    buildOrThrowNaming(() => {
      const { chart, secret } = base();
      const sql = new kplus.ConfigMap(chart, 'sql', { data: { 'V1__init.sql': 'SELECT 1;' } });
      new FlywayMigrationJob(chart, p.id, {
        metadata: { name },
        containerName: p.containerName,
        image: p.image,
        jdbcUrl: p.jdbcUrl,
        user: { secret, key: p.userKey },
        password: { secret, key: p.passwordKey },
        scripts: FlywayScripts.fromConfigMap(sql),
        settings: p.settings,
        backoffLimit,
        ttlAfterFinished: ttlSeconds === undefined ? undefined : Duration.seconds(ttlSeconds),
      });
      return chart;
    }, ['containerName', 'image', 'jdbcUrl', 'user', 'password', 'key', 'settings', 'name', 'backoffLimit', 'ttl'])
      .outcome,
  800,
);

const gitRef = fc.oneof(
  fc.constant(() => GitRef.defaultBranch()),
  text(fc.constantFrom('main', 'release/2.3')).map((b) => () => GitRef.branch(b)),
  text(fc.constantFrom('v2.3.0')).map((t) => () => GitRef.tag(t)),
  text(fc.stringMatching(/^[0-9a-f]{40}$/)).map((c) => () => GitRef.commit(c)),
);

property(
  'GitCloneContent with any repository, ref, token and paths',
  fc.record({
    ...common,
    repository: text(fc.constantFrom('https://github.com/company/site.git', 'https://git.example.com/a/b')),
    gitRef,
    depth: maybe(num(fc.integer({ min: 1, max: 50 }))),
    withToken: fc.boolean(),
    tokenUsername: maybe(text(fc.constantFrom('x-access-token', 'oauth2'))),
    subDirectory: maybe(relPath),
    mountPath: maybe(absPath),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app, secret } = base();
      new GitCloneContent(app, p.id, {
        workload: app.workload,
        containerName: p.containerName,
        image: p.image,
        repository: p.repository,
        gitRef: p.gitRef(),
        depth: p.depth,
        token: p.withToken ? { secret, key: 'token' } : undefined,
        tokenUsername: p.tokenUsername,
        subDirectory: p.subDirectory,
        mountPath: p.mountPath,
      });
      return chart;
    }, [
      'containerName',
      'image',
      'repository',
      'branch',
      'tag',
      'commit',
      'depth',
      'token',
      'subDirectory',
      'mountPath',
    ]).outcome,
  1200,
);

const vaultField = fc.record(
  {
    path: text(fc.constantFrom('secret/payment/stripe', 'kv/app/db')),
    field: text(fc.constantFrom('api_key', 'password')),
    fileName: text(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/)),
    envVar: maybe(text(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}_FILE$/))),
    mount: maybe(text(fc.constantFrom('secret', 'kv'))),
  },
  { requiredKeys: ['path', 'field', 'fileName'] },
);

property(
  'VaultSecrets with any address, role, fields and paths',
  fc.record({
    ...common,
    address: text(fc.constantFrom('https://vault.internal:8200', 'https://10.0.0.5:8200')),
    role: text(dnsLabel),
    authMountPath: maybe(text(fc.constantFrom('kubernetes', 'k8s/prod'))),
    mountPath: maybe(absPath),
    sizeLimitMiB: maybe(num(fc.integer({ min: 1, max: 16 }))),
    secrets: fc.array(vaultField, { minLength: 0, maxLength: 3 }),
    disableAgentInjection: fc.boolean(),
  }),
  (p) => {
    const { outcome, manifests } = buildOrThrowNaming(() => {
      const { chart, app } = base();
      new VaultSecrets(app, p.id, { workload: app.workload, ...p });
      return chart;
    }, ['containerName', 'image', 'address', 'role', 'authMountPath', 'mountPath', 'sizeLimitMiB', 'secrets']);
    if (outcome === 'accepted') {
      // the files live on a memory-backed volume, mounted read-only by the app
      const spec = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
      const app = spec.containers.find((c: any) => c.name === 'app');
      const mount = app.volumeMounts.find(
        (m: any) => m.mountPath === (p.mountPath ?? '/vault/secrets').replace(/\/$/, ''),
      );
      expect(mount.readOnly).toBe(true);
      expect(spec.volumes.find((v: any) => v.name === mount.name).emptyDir.medium).toBe('Memory');
    }
    return outcome;
  },
  1200,
);
