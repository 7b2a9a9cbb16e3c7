import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CHECKSUM_ANNOTATION_PREFIX } from '../core/content-hash';
import { checkAbsolutePath, checkHost, checkPort, checkRelativePath, derivedName } from '../core/names';
import { HelperMount, ProjectedVolumeOptions, SharedVolume } from '../core/shared-volume';
import { mib } from '../core/render';
import { PodComposer } from '../core/pod-composer';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { referenceSecretValue, referenceVolume } from '../core/references';

/** What Flyway does. */
export enum FlywayCommand {
  /** Applies pending migrations (the default). */
  MIGRATE = 'migrate',
  /** Checks that applied migrations match the scripts; fails on a difference. */
  VALIDATE = 'validate',
  /** Prints the state of every migration. */
  INFO = 'info',
  /** Repairs the schema history table (removes failed entries, realigns checksums). */
  REPAIR = 'repair',
  /** Baselines an existing database that has no schema history table yet. */
  BASELINE = 'baseline',
}

/** Options for `FlywayScripts.fromVolume()`. */
export interface FlywayScriptsVolumeOptions {
  /**
   * The directory inside the volume that holds the scripts.
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/** The scripts as bound to one construct. */
interface BoundScripts {
  readonly volume: SharedVolume;
  readonly subPath?: string;
}

/**
 * Where Flyway's SQL scripts come from: a ConfigMap (whose content is hashed onto the pod template, so that
 * a change rolls the workload) or any shared volume.
 */
export class FlywayScripts {
  /**
   * The keys of a ConfigMap, one script per key (`V1__create_users.sql: ...`). When the ConfigMap is
   * defined in this app (a `kplus.ConfigMap`), a hash of its content is added to the pod template; a
   * ConfigMap imported by name carries no content to hash.
   */
  public static fromConfigMap(configMap: kplus.IConfigMap, options: ProjectedVolumeOptions = {}): FlywayScripts {
    return new FlywayScripts(configMap, options, undefined, undefined);
  }

  /** Scripts on any shared volume (for example written there by an earlier init step). */
  public static fromVolume(volume: SharedVolume, options: FlywayScriptsVolumeOptions = {}): FlywayScripts {
    return new FlywayScripts(undefined, {}, volume, options.subPath);
  }

  private bound?: SharedVolume;

  private constructor(
    private readonly configMap: kplus.IConfigMap | undefined,
    private readonly volumeOptions: ProjectedVolumeOptions,
    private readonly volume: SharedVolume | undefined,
    private readonly subPath: string | undefined,
  ) {}

  /** @internal */
  public _bind(scope: Construct, owner: string): BoundScripts {
    if (this.subPath !== undefined) checkRelativePath(owner, 'scripts subPath', this.subPath);
    if (this.volume) return { volume: this.volume, subPath: this.subPath };
    // One volume per FlywayScripts, however many migrations share it.
    this.bound = this.bound ?? SharedVolume.fromConfigMap(scope, this.configMap!, this.volumeOptions);
    return { volume: this.bound };
  }
}

/** What Flyway needs, whether it runs as an init step or as a Job. */
export interface FlywayMigrationOptions {
  /**
   * The database's JDBC URL: `jdbc:<kind>://<host>[:<port>]/<database>[?<key>=<value>&...]`, for example
   * 'jdbc:postgresql://postgres-svc:5432/users'. It reaches Flyway as `FLYWAY_URL`.
   */
  readonly jdbcUrl: string;

  /** The database user, from a Secret. It reaches Flyway as `FLYWAY_USER`, never as an argument. */
  readonly user: kplus.SecretValue;

  /** The database password, from a Secret. It reaches Flyway as `FLYWAY_PASSWORD`, never as an argument. */
  readonly password: kplus.SecretValue;

  /** The SQL scripts, mounted read-only at `locationsPath`. */
  readonly scripts: FlywayScripts;

  /**
   * Where the scripts are mounted; Flyway reads them from `filesystem:<locationsPath>`.
   * @default '/flyway/sql'
   */
  readonly locationsPath?: string;

  /**
   * What Flyway does.
   * @default FlywayCommand.MIGRATE
   */
  readonly command?: FlywayCommand;

  /**
   * More Flyway settings, by the name of their environment variable without the `FLYWAY_` prefix, for
   * example `{ CONNECT_RETRIES: '10', SCHEMAS: 'app', BASELINE_ON_MIGRATE: 'true' }`. Each becomes a plain
   * `FLYWAY_<NAME>` environment variable, so do not put secrets here. URL, USER, PASSWORD and LOCATIONS are
   * set from the other props.
   * @default - none
   * @see https://documentation.red-gate.com/flyway/reference/configuration
   */
  readonly settings?: { [name: string]: string };

  /**
   * Let Flyway look for a newer version of itself at start (a request to Redgate's servers). Off by default:
   * migrations run in clusters without outbound access, where the request only delays the start.
   * @default false - the `-skipCheckForUpdate` flag is passed
   */
  readonly checkForUpdates?: boolean;

  /**
   * Let Flyway send usage telemetry to Redgate. Off by default, for the same reason.
   * @default false - `REDGATE_DISABLE_TELEMETRY=true` is set
   */
  readonly telemetry?: boolean;
}

/** Props for `FlywayMigration`. */
export interface FlywayMigrationProps extends PodPatternProps, FlywayMigrationOptions {}

/** Settings set from props; `settings` may not set them. */
const RESERVED_SETTINGS = ['URL', 'USER', 'PASSWORD', 'LOCATIONS'];

/**
 * JDBC kinds on which Flyway serialises concurrent runs with a database-level lock taken before anything
 * else (PostgreSQL advisory locks, MySQL/MariaDB named locks).
 */
const LOCKING_KINDS: { [kind: string]: string } = {
  postgresql: 'a PostgreSQL advisory lock',
  mysql: 'a MySQL named lock (GET_LOCK)',
  mariadb: 'a MariaDB named lock (GET_LOCK)',
};

/** Workload kinds whose pods never run a migration at the same time as another pod of the same object. */
const SINGLE_RUN_KINDS = ['Pod', 'Job'];

const JDBC_URL =
  /^jdbc:([a-z][a-z0-9]*):\/\/([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?\/([A-Za-z0-9_][A-Za-z0-9_.-]*)(\?[A-Za-z0-9_.-]+=[A-Za-z0-9_.,:%-]*(?:&[A-Za-z0-9_.-]+=[A-Za-z0-9_.,:%-]*)*)?$/;
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The pieces of a Flyway container, shared by the init step and the Job. */
interface FlywayContainerParts {
  readonly args: string[];
  readonly env: { [name: string]: kplus.EnvValue };
  readonly scripts: BoundScripts;
  readonly scriptsMount: HelperMount;
  readonly scratch: SharedVolume;
  readonly jdbcKind: string;
  /** The annotation that carries the hash of the scripts' ConfigMap, when there is one. */
  readonly checksumAnnotation?: string;
  readonly resources: kplus.ContainerResources;
}

/**
 * An init step that runs Flyway against a database before the app starts: `migrate` by default.
 *
 * The credentials come from a Secret and reach Flyway only as the `FLYWAY_USER` and `FLYWAY_PASSWORD`
 * environment variables (never as arguments, which any process on the node can read). The SQL scripts come
 * from a ConfigMap or any shared volume, mounted read-only; when they come from a ConfigMap defined in the
 * app, a hash of its content on the pod template makes a change of the scripts roll the workload.
 *
 * Flyway is a JVM: its default requests (100m CPU / 256 MiB) raise the pod's effective request to at least
 * that much while it runs (init containers count at their maximum; see `AppWorkload.effectiveResources`).
 *
 * Concurrent replicas: Flyway serialises concurrent runs with a PostgreSQL advisory lock or a MySQL/MariaDB
 * named lock. For other databases, attaching it to a workload with several pods adds a warning (printed
 * at synth, listed in `warnings`): run the migration once per release instead (`FlywayMigrationJob`).
 *
 * @example
 * const credentials = kplus.Secret.fromSecretName(chart, 'db', 'postgres-credentials');
 * new FlywayMigration(chart, 'flyway-migrate', {
 *   workload: app.workload,
 *   jdbcUrl: 'jdbc:postgresql://postgres-svc:5432/users',
 *   user: { secret: credentials, key: 'username' },
 *   password: { secret: credentials, key: 'password' },
 *   scripts: FlywayScripts.fromConfigMap(sqlConfigMap),
 * });
 */
export class FlywayMigration extends PodPattern {
  /**
   * The default image: Flyway 10.12.0 on Ubuntu with Temurin 17, built for amd64, arm64 and arm/v7 (the
   * `-alpine` variant is built for amd64 only; see docs/images.md).
   */
  public static readonly DEFAULT_IMAGE = 'flyway/flyway:10.12.0';

  /** The pod template annotation that carries the hash of the scripts' ConfigMap. */
  public static readonly CHECKSUM_ANNOTATION_PREFIX = CHECKSUM_ANNOTATION_PREFIX;

  /**
   * Checks the options, and returns the container's arguments, environment, mounts and resources.
   * @internal
   */
  public static _containerParts(
    scope: Construct,
    composer: PodComposer,
    owner: string,
    containerName: string,
    options: FlywayMigrationOptions,
    resources: kplus.ContainerResources | undefined,
  ): FlywayContainerParts {
    const jdbcKind = checkJdbcUrl(owner, options.jdbcUrl);
    referenceSecretValue(owner, composer, 'user', options.user);
    referenceSecretValue(owner, composer, 'password', options.password);
    const locationsPath = checkAbsolutePath(owner, 'locationsPath', options.locationsPath ?? '/flyway/sql');
    if (locationsPath === '/' || locationsPath === '/tmp' || locationsPath.startsWith('/tmp/')) {
      throw new Error(
        `${owner}: 'locationsPath' must not be '/' or under /tmp (Flyway's scratch space), got ${JSON.stringify(locationsPath)}`,
      );
    }
    const settings = checkSettings(owner, options.settings ?? {});
    const scripts = options.scripts._bind(scope, owner);
    const checksumAnnotation = referenceVolume(owner, composer, scripts.volume, containerName);
    const scratch = SharedVolume.emptyDir(scope, derivedName(containerName, 'tmp'), { sizeLimitMiB: 64 });
    const env: { [name: string]: kplus.EnvValue } = {
      FLYWAY_URL: kplus.EnvValue.fromValue(options.jdbcUrl),
      FLYWAY_USER: kplus.EnvValue.fromSecretValue(options.user),
      FLYWAY_PASSWORD: kplus.EnvValue.fromSecretValue(options.password),
      FLYWAY_LOCATIONS: kplus.EnvValue.fromValue(`filesystem:${locationsPath}`),
      // The root file system is read-only and uid 65534's home is '/': point Java's scratch space at /tmp.
      JAVA_TOOL_OPTIONS: kplus.EnvValue.fromValue('-Djava.io.tmpdir=/tmp -Duser.home=/tmp'),
      HOME: kplus.EnvValue.fromValue('/tmp'),
    };
    if (!(options.telemetry ?? false)) env.REDGATE_DISABLE_TELEMETRY = kplus.EnvValue.fromValue('true');
    for (const [name, value] of Object.entries(settings)) {
      env[`FLYWAY_${name}`] = kplus.EnvValue.fromValue(value);
    }
    return {
      args: [...(options.checkForUpdates ? [] : ['-skipCheckForUpdate']), options.command ?? FlywayCommand.MIGRATE],
      env,
      scripts,
      scriptsMount: { volume: scripts.volume, path: locationsPath, subPath: scripts.subPath, readOnly: true },
      scratch,
      jdbcKind,
      checksumAnnotation,
      resources: resources ?? {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: mib(256), limit: mib(512) },
      },
    };
  }

  /** Warnings about this migration (also printed once at synth). Empty when nothing needs attention. */
  public readonly warnings: string[] = [];

  /** The JDBC kind of the database: 'postgresql', 'mysql', ... */
  public readonly databaseKind: string;

  /** The annotation that carries the hash of the scripts' ConfigMap, when there is one. */
  public readonly checksumAnnotation?: string;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: FlywayMigrationProps) {
    super(scope, id, props);
    const parts = FlywayMigration._containerParts(
      this,
      this.composer,
      this.owner,
      this.containerName,
      props,
      props.resources,
    );
    this.databaseKind = parts.jdbcKind;

    this.composer.addInitStep(
      {
        name: this.containerName,
        image: props.image ?? FlywayMigration.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        usesNetwork: true,
        args: parts.args,
        env: parts.env,
        mounts: [parts.scriptsMount, { volume: parts.scratch, path: '/tmp', readOnly: false }],
        resources: parts.resources,
      },
      { after: props.after },
    );

    this.checksumAnnotation = parts.checksumAnnotation;

    const kind = this.composer.workloadKind;
    if (!LOCKING_KINDS[parts.jdbcKind] && !SINGLE_RUN_KINDS.includes(kind)) {
      const warning =
        `${this.owner}: the pods of this ${kind} may run the migration at the same time. Flyway serialises ` +
        'concurrent runs with a database lock only on PostgreSQL (advisory lock) and MySQL/MariaDB (named lock); ' +
        `on '${parts.jdbcKind}' two pods may migrate at once. Run the migration once per release instead ` +
        '(FlywayMigrationJob, or an init step of a single Pod or Job)';
      this.warnings.push(warning);
      this.composer.addWarning(warning);
    }
  }

  /** How concurrent runs against this database are serialised, or undefined when Flyway takes no lock. */
  public get lockMechanism(): string | undefined {
    return LOCKING_KINDS[this.databaseKind];
  }
}

/** Checks a JDBC URL; returns its kind ('postgresql'). */
function checkJdbcUrl(owner: string, url: string): string {
  const m = JDBC_URL.exec(url);
  if (!m) {
    throw new Error(
      `${owner}: 'jdbcUrl' must look like jdbc:<kind>://<host>[:<port>]/<database>[?<key>=<value>&...] (for ` +
        "example jdbc:postgresql://postgres-svc:5432/users), with letters, digits, '.', '_' and '-' in names, " +
        `got ${JSON.stringify(url)}`,
    );
  }
  checkHost(owner, 'jdbcUrl host', m[2]);
  if (m[3] !== undefined) checkPort(owner, 'jdbcUrl port', Number(m[3]));
  return m[1];
}

/** Checks the extra settings; returns them with '$' escaped for Kubernetes' $(VAR) expansion. */
function checkSettings(owner: string, settings: { [name: string]: string }): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const [name, value] of Object.entries(settings)) {
    if (name.startsWith('FLYWAY_')) {
      throw new Error(
        `${owner}: 'settings' names are given without the FLYWAY_ prefix (${JSON.stringify(name.slice(7))}), got ` +
          JSON.stringify(name),
      );
    }
    if (!SETTING_NAME.test(name)) {
      throw new Error(
        `${owner}: 'settings' names must be upper-case Flyway environment variable names without the FLYWAY_ ` +
          `prefix (such as 'CONNECT_RETRIES'), got ${JSON.stringify(name)}`,
      );
    }
    if (RESERVED_SETTINGS.includes(name)) {
      throw new Error(
        `${owner}: 'settings' may not set ${name}; it is set from 'jdbcUrl', 'user', 'password' or ` +
          `'locationsPath', got ${JSON.stringify(name)}`,
      );
    }
    if (
      typeof value !== 'string' ||
      value.length > 4096 ||
      [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
    ) {
      throw new Error(
        `${owner}: 'settings' value of ${name} must be a single line of at most 4096 characters, got ` +
          JSON.stringify(value),
      );
    }
    // Kubernetes expands $(VAR) in env values; '$$' is a literal '$'.
    out[name] = value.replace(/\$/g, '$$$$');
  }
  return out;
}
