import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FlywayCommand, FlywayMigrationJob, FlywayMigrationJobProps, FlywayScripts } from '../lib';
import { only, synthValid } from './util/manifest';

const URL = 'jdbc:postgresql://postgres-svc:5432/users';

function setup(namespace?: string) {
  const chart = Testing.chart();
  const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
  const sql = new kplus.ConfigMap(chart, 'sql', {
    metadata: { name: 'flyway-sql-scripts', namespace },
    data: { 'V1__create_users.sql': 'CREATE TABLE users (id BIGINT PRIMARY KEY);\n' },
  });
  const base: FlywayMigrationJobProps = {
    jdbcUrl: URL,
    user: { secret: credentials, key: 'username' },
    password: { secret: credentials, key: 'password' },
    scripts: FlywayScripts.fromConfigMap(sql),
  };
  return { chart, sql, base };
}

describe('FlywayMigrationJob', () => {
  test('runs Flyway once as the main container of a hardened Job', () => {
    const { chart, base } = setup('production');
    const job = new FlywayMigrationJob(chart, 'migrate', {
      ...base,
      metadata: { name: 'user-service-migrate', namespace: 'production' },
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();

    const manifest = only(manifests, 'Job');
    expect(manifest.metadata).toMatchObject({ name: 'user-service-migrate', namespace: 'production' });
    expect(manifest.spec.backoffLimit).toBe(2);
    const pod = manifest.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.initContainers).toBeUndefined();
    const [flyway] = pod.containers;
    expect(flyway.name).toBe('flyway');
    expect(flyway.args).toEqual(['-skipCheckForUpdate', 'migrate']);
    // hardened by the same function as every helper, termination message included
    expect(flyway.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(flyway.imagePullPolicy).toBe('IfNotPresent');
    expect(flyway.env.find((e: any) => e.name === 'FLYWAY_PASSWORD').valueFrom).toEqual({
      secretKeyRef: { name: 'postgres-credentials', key: 'password' },
    });
    expect(flyway.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 65534,
      runAsNonRoot: true,
      runAsUser: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(flyway.volumeMounts).toEqual([
      { mountPath: '/flyway/sql', name: 'configmap-flyway-sql-scripts', readOnly: true },
      { mountPath: '/tmp', name: 'flyway-tmp', readOnly: false },
    ]);
    expect(manifest.spec.template.metadata.annotations[job.checksumAnnotation!]).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('the hash on the pod template follows the ConfigMap content', () => {
    const hash = (extra: string) => {
      const { chart, sql, base } = setup();
      if (extra) sql.addData('V2__more.sql', extra);
      const job = new FlywayMigrationJob(chart, 'migrate', base);
      return only(synthValid(chart), 'Job').spec.template.metadata.annotations[job.checksumAnnotation!];
    };
    expect(hash('')).toBe(hash(''));
    expect(hash('SELECT 1;')).not.toBe(hash(''));
  });

  test('backoffLimit, ttlAfterFinished, activeDeadline, command, containerName and image', () => {
    const { chart, base } = setup();
    new FlywayMigrationJob(chart, 'migrate', {
      ...base,
      command: FlywayCommand.VALIDATE,
      containerName: 'validate',
      image: 'flyway/flyway:10.20-alpine',
      backoffLimit: 0,
      ttlAfterFinished: Duration.hours(1),
      activeDeadline: Duration.minutes(10),
    });
    const manifest = only(synthValid(chart), 'Job');
    expect(manifest.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 3600, activeDeadlineSeconds: 600 });
    const [flyway] = manifest.spec.template.spec.containers;
    expect(flyway).toMatchObject({
      name: 'validate',
      image: 'flyway/flyway:10.20-alpine',
      args: ['-skipCheckForUpdate', 'validate'],
    });
  });

  test('validation errors name the Job and the prop', () => {
    const { chart, base } = setup();
    expect(() => new FlywayMigrationJob(chart, 'a', { ...base, jdbcUrl: 'jdbc:postgresql://db/x;id' })).toThrow(
      "FlywayMigrationJob 'a': 'jdbcUrl' must look like jdbc:<kind>://<host>[:<port>]/<database>[?<key>=<value>&...] " +
        "(for example jdbc:postgresql://postgres-svc:5432/users), with letters, digits, '.', '_' and '-' in names, " +
        'got "jdbc:postgresql://db/x;id"',
    );
    expect(() => new FlywayMigrationJob(chart, 'b', { ...base, backoffLimit: -1 })).toThrow(
      "FlywayMigrationJob 'b': 'backoffLimit' must be a whole number from 0 to 100, got -1",
    );
    expect(() => new FlywayMigrationJob(chart, 'c', { ...base, containerName: 'Flyway' })).toThrow(
      "FlywayMigrationJob 'c': 'containerName' must be a DNS-1123 label (lower-case letters, digits and '-', " +
        'starting and ending with a letter or digit, at most 63 characters), got "Flyway"',
    );
    expect(() => new FlywayMigrationJob(chart, 'd', { ...base, image: 'flyway $(id)' })).toThrow(
      "FlywayMigrationJob 'd': 'image' must be an image reference such as 'busybox:1.36' or " +
        '\'registry/name@sha256:...\', got "flyway $(id)"',
    );
  });
});
