import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  FlywayCommand,
  FlywayMigration,
  FlywayMigrationProps,
  FlywayScripts,
  SharedVolume,
  WorkloadKind,
} from '../lib';
import { containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

const URL = 'jdbc:postgresql://postgres-svc:5432/users';
const OWNER = "FlywayMigration 'flyway-migrate'";

interface Setup {
  readonly chart: Chart;
  readonly deployment: kplus.Deployment;
  readonly credentials: kplus.ISecret;
  readonly sql: kplus.ConfigMap;
}

/** A chart with a plain cdk8s-plus Deployment, a credentials Secret and a SQL ConfigMap. */
function setup(): Setup {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', {
    containers: [{ image: 'company/user-service:5.0.0', portNumber: 8080 }],
  });
  const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
  const sql = new kplus.ConfigMap(chart, 'sql', {
    metadata: { name: 'flyway-sql-scripts' },
    data: { 'V1__create_users.sql': 'CREATE TABLE users (id BIGINT PRIMARY KEY);\n' },
  });
  return { chart, deployment, credentials, sql };
}

function props(s: Setup, extra: Partial<FlywayMigrationProps> = {}): FlywayMigrationProps {
  return {
    workload: s.deployment,
    jdbcUrl: URL,
    user: { secret: s.credentials, key: 'username' },
    password: { secret: s.credentials, key: 'password' },
    scripts: FlywayScripts.fromConfigMap(s.sql),
    ...extra,
  };
}

/** Synthesizes one migration on a plain Deployment; returns the flyway container and the Deployment. */
function render(extra: Partial<FlywayMigrationProps> = {}): {
  flyway: any;
  deployment: any;
  migration: FlywayMigration;
} {
  const s = setup();
  const migration = new FlywayMigration(s.chart, 'flyway-migrate', props(s, extra));
  const manifests = synthValid(s.chart);
  return {
    flyway: containerNamed(onlyPodSpec(manifests), 'flyway-migrate'),
    deployment: only(manifests, 'Deployment'),
    migration,
  };
}

function attach(extra: Partial<FlywayMigrationProps>): () => FlywayMigration {
  const s = setup();
  return () => new FlywayMigration(s.chart, 'flyway-migrate', props(s, extra));
}

describe('FlywayMigration', () => {
  test('on AppWorkload: migrate with credentials only in FLYWAY_* env, scripts read-only, a JVM-sized container', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'user-service', {
      kind: WorkloadKind.deployment({ replicas: 3 }),
      container: { image: 'company/user-service:5.0.0', portNumber: 8080 },
    });
    const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
    const sql = new kplus.ConfigMap(chart, 'sql', { data: { 'V1__init.sql': 'CREATE TABLE t (id INT);' } });
    const migration = new FlywayMigration(chart, 'flyway-migrate', {
      workload: app.workload,
      jdbcUrl: URL,
      user: { secret: credentials, key: 'username' },
      password: { secret: credentials, key: 'password' },
      scripts: FlywayScripts.fromConfigMap(sql),
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();

    const spec = onlyPodSpec(manifests);
    const flyway = containerNamed(spec, 'flyway-migrate');
    expect(flyway.image).toBe('flyway/flyway:10.12.0');
    expect(flyway.args).toEqual(['-skipCheckForUpdate', 'migrate']);
    expect(flyway.command).toBeUndefined();
    expect(envOf(flyway)).toEqual({
      FLYWAY_URL: URL,
      FLYWAY_USER: { secretKeyRef: { name: 'postgres-credentials', key: 'username' } },
      FLYWAY_PASSWORD: { secretKeyRef: { name: 'postgres-credentials', key: 'password' } },
      FLYWAY_LOCATIONS: 'filesystem:/flyway/sql',
      JAVA_TOOL_OPTIONS: '-Djava.io.tmpdir=/tmp -Duser.home=/tmp',
      HOME: '/tmp',
      REDGATE_DISABLE_TELEMETRY: 'true',
    });
    expect(flyway.volumeMounts).toEqual([
      { name: `configmap-${sql.name}`, mountPath: '/flyway/sql', readOnly: true },
      { name: 'flyway-migrate-tmp', mountPath: '/tmp', readOnly: false },
    ]);
    expect(flyway.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(flyway.securityContext).toMatchObject({ runAsUser: 65534, readOnlyRootFilesystem: true });
    expect(migration.warnings).toEqual([]);
    expect(migration.lockMechanism).toBe('a PostgreSQL advisory lock');
  });

  test('on a plain cdk8s-plus Deployment, with a ConfigMap imported by name: no hash to add', () => {
    const s = setup();
    const imported = kplus.ConfigMap.fromConfigMapName(s.chart, 'imported', 'flyway-sql-scripts');
    const migration = new FlywayMigration(s.chart, 'flyway-migrate', {
      ...props(s),
      scripts: FlywayScripts.fromConfigMap(imported, { name: 'migrations' }),
    });
    const manifests = synthValid(s.chart);
    expect(manifests).toMatchSnapshot();
    const deployment = only(manifests, 'Deployment');
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
    expect(migration.checksumAnnotation).toBeUndefined();
    expect(deployment.spec.template.spec.volumes).toEqual([
      { name: 'migrations', configMap: { name: 'flyway-sql-scripts' } },
      { name: 'flyway-migrate-tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
  });

  test('a hash of the ConfigMap content on the pod template changes exactly when the content changes', () => {
    const annotation = (files: { [name: string]: string }, binary?: { [name: string]: string }) => {
      const s = setup();
      for (const [k, v] of Object.entries(files)) s.sql.addData(k, v);
      if (binary) for (const [k, v] of Object.entries(binary)) s.sql.addBinaryData(k, v);
      new FlywayMigration(s.chart, 'flyway-migrate', props(s));
      const template = only(synthValid(s.chart), 'Deployment').spec.template.metadata;
      return template.annotations['checksum.cdk8s-pod-patterns/flyway-migrate'];
    };
    const base = annotation({});
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(annotation({})).toBe(base);
    expect(annotation({ 'V2__add_email.sql': 'ALTER TABLE users ADD email TEXT;' })).not.toBe(base);
    expect(annotation({ 'V2__add_email.sql': 'ALTER TABLE users ADD mail TEXT;' })).not.toBe(
      annotation({ 'V2__add_email.sql': 'ALTER TABLE users ADD email TEXT;' }),
    );
    expect(annotation({}, { 'seed.bin': 'AAEC' })).not.toBe(base);
  });

  test('the hash reads the ConfigMap at synth, so scripts added after the migration count', () => {
    const s = setup();
    const migration = new FlywayMigration(s.chart, 'flyway-migrate', props(s));
    const before = only(synthValid(s.chart), 'Deployment').spec.template.metadata.annotations;
    s.sql.addData('V2__later.sql', 'SELECT 1;');
    const after = only(synthValid(s.chart), 'Deployment').spec.template.metadata.annotations;
    expect(migration.checksumAnnotation).toBe('checksum.cdk8s-pod-patterns/flyway-migrate');
    expect(after[migration.checksumAnnotation!]).not.toBe(before[migration.checksumAnnotation!]);
  });

  test.each([
    [FlywayCommand.VALIDATE, 'validate'],
    [FlywayCommand.INFO, 'info'],
    [FlywayCommand.REPAIR, 'repair'],
    [FlywayCommand.BASELINE, 'baseline'],
  ])('command %s', (command, arg) => {
    expect(render({ command }).flyway.args).toEqual(['-skipCheckForUpdate', arg]);
  });

  test('locationsPath', () => {
    const { flyway } = render({ locationsPath: '/migrations/sql' });
    expect(envOf(flyway).FLYWAY_LOCATIONS).toBe('filesystem:/migrations/sql');
    expect(flyway.volumeMounts[0].mountPath).toBe('/migrations/sql');
  });

  test('settings become FLYWAY_* env vars, with $ escaped against Kubernetes $(VAR) expansion', () => {
    const { flyway } = render({
      settings: { CONNECT_RETRIES: '10', SCHEMAS: 'app,audit', PLACEHOLDERS_GREETING: 'cost $5 $(FLYWAY_PASSWORD)' },
    });
    const env = envOf(flyway);
    expect(env.FLYWAY_CONNECT_RETRIES).toBe('10');
    expect(env.FLYWAY_SCHEMAS).toBe('app,audit');
    // Kubernetes turns '$$' into '$' and leaves the rest alone: Flyway sees the text as written
    expect(env.FLYWAY_PLACEHOLDERS_GREETING).toBe('cost $$5 $$(FLYWAY_PASSWORD)');
  });

  test('scripts from any shared volume, with a subPath', () => {
    const s = setup();
    const shared = SharedVolume.emptyDir(s.chart, 'generated-sql');
    s.deployment.addVolume(shared.volume);
    const migration = new FlywayMigration(s.chart, 'flyway-migrate', {
      ...props(s),
      scripts: FlywayScripts.fromVolume(shared, { subPath: 'postgres' }),
    });
    const manifests = synthValid(s.chart);
    const flyway = containerNamed(onlyPodSpec(manifests), 'flyway-migrate');
    expect(flyway.volumeMounts[0]).toEqual({
      name: 'generated-sql',
      mountPath: '/flyway/sql',
      subPath: 'postgres',
      readOnly: true,
    });
    expect(migration.checksumAnnotation).toBeUndefined();
  });

  test('one FlywayScripts shared by two migrations of one pod gives one volume', () => {
    const s = setup();
    const scripts = FlywayScripts.fromConfigMap(s.sql);
    new FlywayMigration(s.chart, 'flyway-migrate', { ...props(s), scripts });
    new FlywayMigration(s.chart, 'flyway-validate', { ...props(s), scripts, command: FlywayCommand.VALIDATE });
    const spec = onlyPodSpec(synthValid(s.chart));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['flyway-migrate', 'flyway-validate']);
    expect(spec.volumes.filter((v: any) => v.configMap).length).toBe(1);
  });

  test('image, resources and containerName', () => {
    const s = setup();
    new FlywayMigration(s.chart, 'flyway-migrate', {
      ...props(s),
      image: 'flyway/flyway:10.20-alpine',
      containerName: 'migrate',
      resources: { memory: { request: Size.mebibytes(384), limit: Size.mebibytes(768) } },
    });
    const spec = onlyPodSpec(synthValid(s.chart));
    const flyway = containerNamed(spec, 'migrate');
    expect(flyway.image).toBe('flyway/flyway:10.20-alpine');
    expect(flyway.resources).toEqual({ requests: { memory: '384Mi' }, limits: { memory: '768Mi' } });
    expect(spec.volumes.map((v: any) => v.name)).toContain('migrate-tmp');
  });

  test("Flyway's request drives the pod's effective request when the app asks for less", () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'api', {
      container: {
        image: 'company/user-service:5.0.0',
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
      },
    });
    const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
    new FlywayMigration(chart, 'flyway-migrate', {
      workload: app.workload,
      jdbcUrl: URL,
      user: { secret: credentials, key: 'username' },
      password: { secret: credentials, key: 'password' },
      scripts: FlywayScripts.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'sql', 'flyway-sql-scripts')),
    });
    const effective = app.effectiveResources();
    expect(effective.memoryRequest).toMatchObject({ quantity: '256Mi', drivenBy: 'init container flyway-migrate' });
    expect(effective.cpuRequest).toMatchObject({ quantity: '100m', drivenBy: 'init container flyway-migrate' });
  });
});

describe('FlywayMigration concurrency warning', () => {
  const jdbc = (kind: string) => `jdbc:${kind}://db:5432/app`;
  const warning = (workloadKind: string, jdbcKind: string) =>
    `${OWNER}: the pods of this ${workloadKind} may run the migration at the same time. Flyway serialises ` +
    'concurrent runs with a database lock only on PostgreSQL (advisory lock) and MySQL/MariaDB (named lock); ' +
    `on '${jdbcKind}' two pods may migrate at once. Run the migration once per release instead ` +
    '(FlywayMigrationJob, or an init step of a single Pod or Job)';

  /** A migration against a `jdbcKind` database, on an AppWorkload of `kind`. */
  function migrationOn(kind: WorkloadKind, jdbcKind: string): { chart: Chart; migration: FlywayMigration } {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'm', {
      kind,
      container: { image: 'company/user-service:5.0.0', portNumber: 80 },
    });
    const credentials = kplus.Secret.fromSecretName(chart, 'db', 'credentials');
    const migration = new FlywayMigration(chart, 'flyway-migrate', {
      workload: app.workload,
      jdbcUrl: jdbc(jdbcKind),
      user: { secret: credentials, key: 'user' },
      password: { secret: credentials, key: 'password' },
      scripts: FlywayScripts.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'sql', 'sql')),
    });
    return { chart, migration };
  }

  test.each(['postgresql', 'mysql', 'mariadb'])('no warning for %s, whose lock Flyway takes', (kind) => {
    expect(render({ jdbcUrl: jdbc(kind) }).migration.warnings).toEqual([]);
  });

  test('a warning for a database without such a lock, printed once at synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'company/user-service:5.0.0' }] });
    const credentials = kplus.Secret.fromSecretName(chart, 'db', 'credentials');
    const sql = new kplus.ConfigMap(chart, 'sql', { data: { 'V1.sql': 'SELECT 1;' } });
    const migration = new FlywayMigration(chart, 'flyway-migrate', {
      workload: deployment,
      jdbcUrl: jdbc('db2'),
      user: { secret: credentials, key: 'user' },
      password: { secret: credentials, key: 'password' },
      scripts: FlywayScripts.fromConfigMap(sql),
    });
    const expected = warning('Deployment', 'db2');
    expect(migration.warnings).toEqual([expected]);
    expect(migration.lockMechanism).toBeUndefined();

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      app.synth();
      app.synth();
      const ours = warn.mock.calls.filter(([line]) => String(line).includes('FlywayMigration'));
      expect(ours).toEqual([[`[warning] c/d: ${expected}`]]);
    } finally {
      warn.mockRestore();
    }
  });

  test.each([
    ['Pod', WorkloadKind.pod({ restartPolicy: kplus.RestartPolicy.ON_FAILURE })],
    ['Job', WorkloadKind.job()],
  ])('no warning in a %s, whose migration runs once', (_name, kind) => {
    const { chart, migration } = migrationOn(kind, 'db2');
    expect(migration.warnings).toEqual([]);
    synthValid(chart);
  });

  test('a warning in a StatefulSet too', () => {
    const { migration } = migrationOn(WorkloadKind.statefulSet(), 'redshift');
    expect(migration.warnings).toEqual([warning('StatefulSet', 'redshift')]);
    expect(migration.composer.warnings).toEqual([warning('StatefulSet', 'redshift')]);
  });
});

describe('FlywayMigration validation', () => {
  const urlError = (value: string) =>
    `${OWNER}: 'jdbcUrl' must look like jdbc:<kind>://<host>[:<port>]/<database>[?<key>=<value>&...] (for example ` +
    "jdbc:postgresql://postgres-svc:5432/users), with letters, digits, '.', '_' and '-' in names, got " +
    JSON.stringify(value);

  test.each([
    'postgresql://postgres-svc:5432/users',
    'jdbc:postgresql://postgres-svc:5432',
    'jdbc:postgresql://user:pass@postgres-svc:5432/users',
    'jdbc:postgresql://postgres-svc:5432/users;DROP TABLE users',
    'jdbc:postgresql://postgres-svc:5432/$(touch /tmp/pwned)',
    "jdbc:postgresql://postgres-svc:5432/users'",
    'jdbc:postgresql://postgres-svc:5432/users\n-url=x',
    'jdbc:postgresql://postgres-svc:5432/users?password=$(FLYWAY_PASSWORD)',
    'jdbc:oracle:thin:@//db:1521/orcl',
  ])('rejects the JDBC URL %j', (jdbcUrl) => {
    expect(attach({ jdbcUrl })).toThrow(urlError(jdbcUrl));
  });

  test('accepts query parameters', () => {
    expect(attach({ jdbcUrl: `${URL}?sslmode=require&ApplicationName=migrations` })).not.toThrow();
  });

  test('rejects a bad host and a bad port', () => {
    expect(attach({ jdbcUrl: 'jdbc:postgresql://-bad-:5432/users' })).toThrow(
      `${OWNER}: 'jdbcUrl host' must be a host name (DNS-1123, such as 'postgres-svc' or 'db.prod.svc.cluster.local') ` +
        'or an IPv4 address, got "-bad-"',
    );
    expect(attach({ jdbcUrl: 'jdbc:postgresql://postgres-svc:99999/users' })).toThrow(
      `${OWNER}: 'jdbcUrl port' must be an integer 1-65535, got 99999`,
    );
  });

  test('rejects bad Secret keys', () => {
    const s = setup();
    expect(
      () =>
        new FlywayMigration(s.chart, 'flyway-migrate', {
          ...props(s),
          password: { secret: s.credentials, key: 'pass word' },
        }),
    ).toThrow(
      `${OWNER}: 'password.key' must be a Secret key (letters, digits, '-', '_' and '.', at most 253 characters), got "pass word"`,
    );
    expect(attach({ user: { secret: setup().credentials, key: '$(id)' } })).toThrow(
      `${OWNER}: 'user.key' must be a Secret key (letters, digits, '-', '_' and '.', at most 253 characters), got "$(id)"`,
    );
  });

  test.each([
    ['sql', 'must be absolute (start with /)'],
    ['/flyway/../etc', "must not contain '..', '.' or empty segments"],
    ['/tmp', "must not be '/' or under /tmp (Flyway's scratch space)"],
    ['/tmp/sql', "must not be '/' or under /tmp (Flyway's scratch space)"],
    ['/', "must not be '/' or under /tmp (Flyway's scratch space)"],
  ])('rejects locationsPath %j', (locationsPath, problem) => {
    expect(attach({ locationsPath })).toThrow(
      `${OWNER}: 'locationsPath' ${problem}, got ${JSON.stringify(locationsPath)}`,
    );
  });

  test('locationsPath messages', () => {
    expect(attach({ locationsPath: 'sql' })).toThrow(
      `${OWNER}: 'locationsPath' must be absolute (start with /), got "sql"`,
    );
    expect(attach({ locationsPath: '/tmp/sql' })).toThrow(
      `${OWNER}: 'locationsPath' must not be '/' or under /tmp (Flyway's scratch space), got "/tmp/sql"`,
    );
  });

  test('rejects settings names with the prefix, in lower case, or set from props', () => {
    expect(attach({ settings: { FLYWAY_SCHEMAS: 'app' } })).toThrow(
      `${OWNER}: 'settings' names are given without the FLYWAY_ prefix ("SCHEMAS"), got "FLYWAY_SCHEMAS"`,
    );
    expect(attach({ settings: { connectRetries: '3' } })).toThrow(
      `${OWNER}: 'settings' names must be upper-case Flyway environment variable names without the FLYWAY_ prefix ` +
        `(such as 'CONNECT_RETRIES'), got "connectRetries"`,
    );
    expect(attach({ settings: { 'SCHEMAS;id': 'x' } })).toThrow(
      `${OWNER}: 'settings' names must be upper-case Flyway environment variable names without the FLYWAY_ prefix ` +
        `(such as 'CONNECT_RETRIES'), got "SCHEMAS;id"`,
    );
    expect(attach({ settings: { PASSWORD: 'hunter2' } })).toThrow(
      `${OWNER}: 'settings' may not set PASSWORD; it is set from 'jdbcUrl', 'user', 'password' or 'locationsPath', got "PASSWORD"`,
    );
  });

  test('rejects a settings value with a newline', () => {
    expect(attach({ settings: { SCHEMAS: 'app\n-url=jdbc:h2:mem:x' } })).toThrow(
      `${OWNER}: 'settings' value of SCHEMAS must be a single line of at most 4096 characters, got "app\\n-url=jdbc:h2:mem:x"`,
    );
  });

  test('rejects a bad scripts subPath', () => {
    const s = setup();
    const shared = SharedVolume.emptyDir(s.chart, 'generated-sql');
    expect(
      () =>
        new FlywayMigration(s.chart, 'flyway-migrate', {
          ...props(s),
          scripts: FlywayScripts.fromVolume(shared, { subPath: '../x' }),
        }),
    ).toThrow(
      `${OWNER}: 'scripts subPath' must be a relative path of plain segments (letters, digits, '.', '_', '-'; ` +
        `no '..', no leading '/'), got "../x"`,
    );
  });

  test('rejects a hostile image', () => {
    expect(attach({ image: 'flyway/flyway:10 && id' })).toThrow(
      `${OWNER}: 'image' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', ` +
        'got "flyway/flyway:10 && id"',
    );
  });

  test('every value reaches Flyway as one env value or one argument: nothing is parsed by a shell', () => {
    const { flyway } = render();
    expect(flyway.command).toBeUndefined();
    expect(flyway.args).toEqual(['-skipCheckForUpdate', 'migrate']);
    expect(JSON.stringify(flyway)).not.toMatch(/-user=|-password=|\$\(DB_/);
  });
});
