import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelperMount, SharedVolume } from '../core/shared-volume';
import { checkAbsolutePath, checkEnvName, checkInteger, checkUrl, derivedName } from '../core/names';
import { InitStep } from '../core/pod-parts';
import { referenceVolume } from '../core/references';
import { PodComposer } from '../core/pod-composer';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { mib } from '../core/render';
import { shellPreamble } from '../core/shell';

/** One field of a Vault KV secret that `VaultSecrets` writes to a file. */
export interface VaultSecretField {
  /**
   * The secret's path as `vault kv get` takes it, such as 'secret/payment/stripe' (the KV mount first,
   * unless `mount` is set; then the path inside that mount). Segments of letters, digits, '.', '_' and '-',
   * each starting with a letter, digit or '_'.
   */
  readonly path: string;

  /** The field of the secret to write, such as 'api_key'. */
  readonly field: string;

  /**
   * The file name under `mountPath`, such as 'stripe_api_key' (a plain name: no '/', not starting with '.').
   */
  readonly fileName: string;

  /**
   * An environment variable of the app container set to the file's full path, such as
   * 'STRIPE_API_KEY_FILE' (the `*_FILE` convention many images follow).
   * @default - none
   */
  readonly envVar?: string;

  /**
   * The KV secrets engine's mount, passed to the CLI as `-mount=`; `path` is then relative to it. Use it
   * when the mount's own path has several segments.
   * @default - the CLI takes the mount from the start of `path`
   */
  readonly mount?: string;
}

/** Props for `VaultSecrets`. */
export interface VaultSecretsProps extends PodPatternProps {
  /**
   * Vault's address: an https URL with no path, such as 'https://vault.internal:8200' (`VAULT_ADDR`).
   */
  readonly address: string;

  /** The Vault role of the Kubernetes auth method to log in with, such as 'payment-service'. */
  readonly role: string;

  /** The secret fields to write, one file each. At least one, at most 100. */
  readonly secrets: VaultSecretField[];

  /**
   * A ConfigMap holding the CA certificate that signed Vault's TLS certificate. It is mounted read-only
   * into the init step only, at `/vault-ca`, and named by `VAULT_CACERT`.
   * @default - the image's system trust store (Vault's certificate must come from a public CA)
   */
  readonly caCertificate?: kplus.IConfigMap;

  /**
   * The key of the CA certificate in `caCertificate`.
   * @default 'ca.crt'
   */
  readonly caCertificateKey?: string;

  /**
   * Where the Kubernetes auth method is mounted in Vault (the `<mount>` of `auth/<mount>/login`).
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;

  /**
   * The service account bound to `role` in Vault. The workload must run as it and mount its token: create
   * the workload with `serviceAccount` and `automountServiceAccountToken: true` (cdk8s-plus defaults the
   * latter to false). For a name, use `ServiceAccount.fromServiceAccountName(scope, id, name)`.
   * @default - the workload's service account, which it must have
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Where the secret files appear, in the init step and (read-only) in the app container.
   * @default '/vault/secrets'
   */
  readonly mountPath?: string;

  /**
   * The memory-backed volume to write the files to.
   * @default - a new memory-backed emptyDir named `<containerName>-secrets`, of `sizeLimitMiB`
   */
  readonly volume?: SharedVolume;

  /**
   * The size limit of the emptyDir made when `volume` is not given, in MiB. It counts against the pod's
   * memory.
   * @default 1
   */
  readonly sizeLimitMiB?: number;

  /**
   * The user id the app container runs as. The init step then runs as this user and writes the files with
   * mode 0400: only that user can read them.
   * @default - the app container's `securityContext.user`, else the pod's; when neither is set, the
   *   workload must have `securityContext.fsGroup`: the files get mode 0440 and that group
   */
  readonly appUser?: number;

  /**
   * The app container that reads the files (mount and `envVar`s): a cdk8s-plus workload's; on another pod
   * template, choose the app container with `PodComposer.of(owner, { appContainer })`.
   * @default - the composer's app container: the workload's first container unless chosen otherwise
   */
  readonly container?: kplus.Container;

  /**
   * Add the pod annotation `vault.hashicorp.com/agent-inject: "false"`, so that a Vault Agent Injector
   * installed in the cluster leaves the pod alone.
   * @default false
   */
  readonly disableAgentInjection?: boolean;
}

/** Where the service account token is mounted when `automountServiceAccountToken` is true. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const CA_DIR = '/vault-ca';
const HOME_DIR = '/vault-home';
const MAX_SECRETS = 100;
/** A Vault path segment, field, role or file name: no shell, flag ('-'), file ('@') or '=' meaning. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * An init step that logs in to HashiCorp Vault with the pod's Kubernetes service account and writes
 * secret fields to files in a memory-backed volume, which the app container mounts read-only.
 *
 * The step drives the `vault` CLI (image `hashicorp/vault:1.16`): `vault write -field=token
 * auth/<mount>/login role=... jwt=@<token file>` (the CLI reads the JWT from the file, so it never appears
 * in a process's arguments), keeps the Vault token in the exported `VAULT_TOKEN` variable, reads each
 * field with `vault kv get -field=...` into a temporary file, and moves every file into place only once
 * all of them were read. The token is revoked when the step ends. Every value reaches the script through
 * environment variables.
 *
 * File access: when the app's user id is known (`appUser`, or the app container's
 * `securityContext.user`), the step runs as that user and the files get mode 0400. Otherwise the workload
 * must set `securityContext.fsGroup`: the files get mode 0440 and that group.
 *
 * @example
 * const app = new AppWorkload(chart, 'payment-service', {
 *   kind: WorkloadKind.pod({
 *     serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'payment-service-sa'),
 *     automountServiceAccountToken: true,
 *   }),
 *   container: { image: 'company/payment-service:4.2.0', portNumber: 9090, securityContext: { user: 10001 } },
 * });
 * new VaultSecrets(chart, 'vault-fetch-secrets', {
 *   workload: app.workload,
 *   address: 'https://vault.internal:8200',
 *   caCertificate: kplus.ConfigMap.fromConfigMapName(chart, 'vault-ca', 'vault-ca-cert'),
 *   role: 'payment-service',
 *   secrets: [
 *     { path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key', envVar: 'STRIPE_API_KEY_FILE' },
 *   ],
 * });
 *
 * @see https://developer.hashicorp.com/vault/docs/auth/kubernetes
 */
export class VaultSecrets extends PodPattern {
  /** The default image: an exact Vault release, built for amd64, arm64 and more (see docs/images.md). */
  public static readonly DEFAULT_IMAGE = 'hashicorp/vault:1.21.4';

  /** The volume the files are written to. */
  public readonly volume: SharedVolume;

  /** Where the files appear in the init step and the app container. */
  public readonly mountPath: string;

  /** The files' mode, as an octal string: '0400' (owner only) or '0440' (owner and `fsGroup`). */
  public readonly fileMode: string;

  /** The user id the init step runs as (and so owns the files). */
  public readonly runAsUser: number;

  /** The init step added to the pod. */
  public readonly step: InitStep;

  private readonly fileNames: string[];

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: VaultSecretsProps) {
    super(scope, id, props);
    const owner = this.owner;
    const composer = this.composer;
    const appName = props.container?.name ?? composer.appContainerName;

    const address = checkVaultAddress(owner, props.address);
    const role = checkName(owner, 'role', props.role);
    const authMount = checkVaultPath(owner, 'authMountPath', props.authMountPath ?? 'kubernetes');
    const caKey = checkName(owner, 'caCertificateKey', props.caCertificateKey ?? 'ca.crt');
    this.mountPath = checkMountPath(owner, props.mountPath ?? '/vault/secrets');
    checkServiceAccount(owner, composer, props.serviceAccount);

    const secrets = props.secrets;
    if (secrets.length < 1 || secrets.length > MAX_SECRETS) {
      throw new Error(
        `${owner}: 'secrets' must list 1 to ${MAX_SECRETS} secret fields, got ${secrets.length}; split larger ` +
          'sets over several VaultSecrets',
      );
    }
    const envTaken = new Set(props.container ? Object.keys(props.container.env.variables) : composer.appEnvNames());
    const fileNames = new Set<string>();
    const envVars = new Set<string>();
    secrets.forEach((s, i) => {
      const at = `secrets[${i}]`;
      checkVaultPath(owner, `${at}.path`, s.path);
      checkName(owner, `${at}.field`, s.field);
      checkName(owner, `${at}.fileName`, s.fileName);
      if (s.mount !== undefined) checkVaultPath(owner, `${at}.mount`, s.mount);
      if (fileNames.has(s.fileName)) {
        throw new Error(
          `${owner}: '${at}.fileName' ${JSON.stringify(s.fileName)} is already used by another secret field; ` +
            'give each field its own file',
        );
      }
      fileNames.add(s.fileName);
      if (s.envVar !== undefined) {
        checkEnvName(owner, `${at}.envVar`, s.envVar);
        if (envVars.has(s.envVar) || envTaken.has(s.envVar)) {
          throw new Error(
            `${owner}: '${at}.envVar' ${JSON.stringify(s.envVar)} is already set on the app container ` +
              `'${appName}'; choose another name`,
          );
        }
        envVars.add(s.envVar);
      }
    });
    this.fileNames = [...fileNames];

    // Who may read the files: the app's user alone, or the pod's fsGroup.
    const appRunsAs = props.container ? props.container.securityContext.user : composer.appRunAsUser();
    const access = fileAccess(owner, composer, appName, appRunsAs, props.appUser);
    this.fileMode = access.mode;
    this.runAsUser = access.runAsUser;

    // The files live in memory only.
    if (props.volume !== undefined && props.sizeLimitMiB !== undefined) {
      throw new Error(
        `${owner}: 'sizeLimitMiB' applies only to the volume VaultSecrets makes; set the size on 'volume' ` +
          `(SharedVolume.emptyDir(scope, name, { memory: true, sizeLimitMiB })) instead, got ${props.sizeLimitMiB}`,
      );
    }
    if (props.volume !== undefined && !props.volume.memoryBacked) {
      throw new Error(
        `${owner}: 'volume' must be memory-backed so that secrets never reach the node's disk; use ` +
          `SharedVolume.emptyDir(scope, name, { memory: true }), got volume '${props.volume.name}'`,
      );
    }
    if (props.sizeLimitMiB !== undefined) checkInteger(owner, 'sizeLimitMiB', props.sizeLimitMiB, 1, 1024);
    this.volume =
      props.volume ??
      SharedVolume.emptyDir(this, derivedName(this.containerName, 'secrets'), {
        memory: true,
        sizeLimitMiB: props.sizeLimitMiB ?? 1,
      });
    const home = SharedVolume.emptyDir(this, derivedName(this.containerName, 'home'), {
      memory: true,
      sizeLimitMiB: 1,
    });

    const env: { [name: string]: kplus.EnvValue } = {
      VAULT_ADDR: kplus.EnvValue.fromValue(address),
    };
    const mounts: HelperMount[] = [
      { volume: this.volume, path: this.mountPath, readOnly: false },
      { volume: home, path: HOME_DIR, readOnly: false },
    ];
    if (props.caCertificate !== undefined) {
      const ca = SharedVolume.fromConfigMap(this, props.caCertificate, { name: derivedName(this.containerName, 'ca') });
      referenceVolume(owner, this.composer, ca, derivedName(this.containerName, 'ca'));
      mounts.push({ volume: ca, path: CA_DIR, readOnly: true });
      env.VAULT_CACERT = kplus.EnvValue.fromValue(`${CA_DIR}/${caKey}`);
    }
    Object.assign(env, {
      HOME: kplus.EnvValue.fromValue(HOME_DIR),
      VAULT_AUTH_MOUNT: kplus.EnvValue.fromValue(authMount),
      VAULT_AUTH_ROLE: kplus.EnvValue.fromValue(role),
      VAULT_JWT_PATH: kplus.EnvValue.fromValue(SERVICE_ACCOUNT_TOKEN),
      VAULT_FILES_DIR: kplus.EnvValue.fromValue(this.mountPath),
      VAULT_FILE_MODE: kplus.EnvValue.fromValue(access.mode),
    });
    if (access.group !== undefined) env.VAULT_FILE_GROUP = kplus.EnvValue.fromValue(String(access.group));
    secrets.forEach((s, i) => {
      const n = i + 1;
      env[`VAULT_ITEM_${n}_PATH`] = kplus.EnvValue.fromValue(s.path);
      env[`VAULT_ITEM_${n}_FIELD`] = kplus.EnvValue.fromValue(s.field);
      env[`VAULT_ITEM_${n}_FILE`] = kplus.EnvValue.fromValue(s.fileName);
      if (s.mount !== undefined) env[`VAULT_ITEM_${n}_MOUNT`] = kplus.EnvValue.fromValue(s.mount);
    });

    this.step = this.composer.addInitStep(
      {
        name: this.containerName,
        image: props.image ?? VaultSecrets.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        usesNetwork: true,
        command: ['sh', '-c', vaultSecretsScript(secrets.length)],
        env,
        mounts,
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
          memory: { request: mib(64), limit: mib(128) },
        },
        runAsUser: access.runAsUser,
        readOnlyRootFilesystem: true,
      },
      { after: props.after },
    );

    this.composer.mountIntoApp(this.volume, this.mountPath, { readOnly: true, container: props.container });
    for (const s of secrets) {
      if (s.envVar !== undefined) {
        this.composer.addAppEnv(s.envVar, kplus.EnvValue.fromValue(this.pathOf(s.fileName)), props.container);
      }
    }
    if (props.disableAgentInjection ?? false) {
      this.composer.addPodAnnotation('vault.hashicorp.com/agent-inject', 'false');
    }
  }

  /** The full path of one of the files, as the app container sees it. */
  public pathOf(fileName: string): string {
    if (!this.fileNames.includes(fileName)) {
      throw new Error(
        `${this.owner}: no secret field is written to ${JSON.stringify(fileName)}; the files are ` +
          `${this.fileNames.map((f) => `'${f}'`).join(', ')}`,
      );
    }
    return `${this.mountPath}/${fileName}`;
  }
}

function checkName(owner: string, prop: string, value: string): string {
  if (value.length > 128 || !NAME.test(value)) {
    throw new Error(
      `${owner}: '${prop}' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter, digit or '_', ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function checkVaultPath(owner: string, prop: string, value: string): string {
  if (value.length > 512 || !value.split('/').every((segment) => NAME.test(segment))) {
    throw new Error(
      `${owner}: '${prop}' must be a Vault path of segments of letters, digits, '.', '_' or '-' (each starting ` +
        `with a letter, digit or '_'), separated by single '/' with none at either end, such as ` +
        `'secret/payment/stripe', got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function checkVaultAddress(owner: string, value: string): string {
  const url = checkUrl(owner, 'address', value, ['https']);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    throw new Error(
      `${owner}: 'address' must be Vault's base URL with no path, query or fragment, such as ` +
        `'https://vault.internal:8200', got ${JSON.stringify(value)}`,
    );
  }
  return value.replace(/\/$/, '');
}

function checkMountPath(owner: string, value: string): string {
  const path = checkAbsolutePath(owner, 'mountPath', value);
  const overlaps = (other: string) => path === other || path.startsWith(`${other}/`) || other.startsWith(`${path}/`);
  if (path === '/' || overlaps(CA_DIR) || overlaps(HOME_DIR)) {
    throw new Error(
      `${owner}: 'mountPath' must be a directory of its own, not '/' and not in or above the init step's ` +
        `${CA_DIR} and ${HOME_DIR}, got ${JSON.stringify(value)}`,
    );
  }
  return path;
}

function checkServiceAccount(owner: string, composer: PodComposer, wanted?: kplus.IServiceAccount): void {
  const actual = composer.serviceAccountName;
  const path = composer.ownerPath;
  const cdk8sPlus = composer.isCdk8sPlusWorkload;
  if (actual === undefined) {
    throw new Error(
      `${owner}: the workload '${path}' sets no service account, so Vault would see the namespace's 'default' ` +
        'one; ' +
        (cdk8sPlus
          ? "create the workload with 'serviceAccount' (for example ServiceAccount.fromServiceAccountName(scope, " +
            "'sa', 'my-app-sa')) and 'automountServiceAccountToken: true'"
          : "give its pod template a 'serviceAccountName'"),
    );
  }
  if (wanted !== undefined && wanted.name !== actual) {
    throw new Error(
      `${owner}: 'serviceAccount' is '${wanted.name}' but the workload '${path}' runs as '${actual}'; ` +
        'the pod logs in to Vault as the service account it runs as, so make them the same',
    );
  }
  if (!composer.automountsServiceToken) {
    throw new Error(
      cdk8sPlus
        ? `${owner}: the workload '${path}' does not mount its service account token ` +
            "('automountServiceAccountToken' is false, the cdk8s-plus default), so there is no JWT to log in to " +
            "Vault with; create the workload with 'automountServiceAccountToken: true'"
        : `${owner}: the workload '${path}' does not mount its service account token ` +
            "('automountServiceAccountToken' is false in its pod template), so there is no JWT to log in to Vault " +
            'with; set it to true in the manifest',
    );
  }
}

interface FileAccess {
  readonly mode: string;
  readonly runAsUser: number;
  readonly group?: number;
}

function fileAccess(
  owner: string,
  composer: PodComposer,
  appName: string,
  appRunsAs: number | undefined,
  appUser: number | undefined,
): FileAccess {
  const declared = appRunsAs ?? composer.podRunAsUser;
  if (appUser !== undefined) {
    checkInteger(owner, 'appUser', appUser, 1, 2147483647);
    if (declared !== undefined && declared !== appUser) {
      throw new Error(
        `${owner}: 'appUser' is ${appUser} but the app container '${appName}' runs as user ${declared}; the ` +
          "files would be unreadable to it. Drop 'appUser' or make them match",
      );
    }
    return { mode: '0400', runAsUser: appUser };
  }
  if (declared !== undefined) {
    if (declared === 0) {
      throw new Error(
        `${owner}: the app container '${appName}' runs as root (user 0); the init step does not run as root. ` +
          "Run the app as another user, or set 'appUser' to it",
      );
    }
    return { mode: '0400', runAsUser: declared };
  }
  const fsGroup = composer.podFsGroup;
  if (fsGroup !== undefined) {
    return { mode: '0440', runAsUser: 65534, group: fsGroup };
  }
  throw new Error(
    `${owner}: cannot tell which user the app container '${appName}' runs as, so the secret files cannot be ` +
      "made readable by it alone; set 'appUser' (or the container's securityContext.user) to its user id, or " +
      'give the workload securityContext.fsGroup to share the files through that group',
  );
}

/**
 * The init step's script. It depends only on the number of secret fields: every value comes from the
 * environment (VAULT_ITEM_<n>_PATH, _FIELD, _FILE and optional _MOUNT, and the variables set above).
 */
function vaultSecretsScript(count: number): string {
  const fetches: string[] = [];
  const publishes: string[] = [];
  for (let n = 1; n <= count; n++) {
    fetches.push(
      `fetch ${n} "$VAULT_ITEM_${n}_PATH" "$VAULT_ITEM_${n}_FIELD" "$VAULT_ITEM_${n}_FILE" ` +
        `"\${VAULT_ITEM_${n}_MOUNT:-}"`,
    );
    publishes.push(`publish "$VAULT_ITEM_${n}_FILE"`);
  }
  return [
    shellPreamble('vault-secrets') + 'set -e',
    'umask 077',
    'unset VAULT_TOKEN',
    'cleanup() {',
    '  status=$?',
    '  rm -f "$VAULT_FILES_DIR"/.*.vault-tmp',
    '  if [ -n "${VAULT_TOKEN:-}" ]; then',
    '    vault token revoke -self >/dev/null 2>&1 || log "could not revoke the Vault token; it expires with its TTL"',
    '  fi',
    '  exit "$status"',
    '}',
    'trap cleanup EXIT',
    "trap 'exit 1' HUP INT TERM",
    'if [ ! -d "$VAULT_FILES_DIR" ] || [ ! -w "$VAULT_FILES_DIR" ]; then',
    '  die 1 "the secrets directory $VAULT_FILES_DIR is missing or not writable"',
    'fi',
    'if [ ! -r "$VAULT_JWT_PATH" ]; then',
    '  die 1 "no service account token at $VAULT_JWT_PATH; the pod must mount it (automountServiceAccountToken: true)"',
    'fi',
    'if [ -n "${VAULT_CACERT:-}" ] && [ ! -r "$VAULT_CACERT" ]; then',
    '  die 1 "no CA certificate at $VAULT_CACERT"',
    'fi',
    'log "logging in to $VAULT_ADDR with role $VAULT_AUTH_ROLE at auth/$VAULT_AUTH_MOUNT/login"',
    'if ! token=$(vault write -field=token "auth/$VAULT_AUTH_MOUNT/login" "role=$VAULT_AUTH_ROLE" "jwt=@$VAULT_JWT_PATH"); then',
    '  die 1 "login to $VAULT_ADDR with role $VAULT_AUTH_ROLE at auth/$VAULT_AUTH_MOUNT/login failed"',
    'fi',
    'if [ -z "$token" ]; then die 1 "login to $VAULT_ADDR returned no token"; fi',
    'VAULT_TOKEN=$token',
    'unset token',
    'export VAULT_TOKEN',
    'fetch() {',
    '  n=$1 path=$2 field=$3 name=$4 mount=$5',
    '  case $name in',
    '    "" | .* | */*) die 1 "secret $n: \'$name\' is not a plain file name" ;;',
    '  esac',
    '  tmp="$VAULT_FILES_DIR/.$name.vault-tmp"',
    '  if [ -n "$mount" ]; then',
    '    vault kv get -mount="$mount" -field="$field" "$path" >"$tmp" || die 1 "could not read field \'$field\' of \'$path\' in mount \'$mount\'"',
    '  else',
    '    vault kv get -field="$field" "$path" >"$tmp" || die 1 "could not read field \'$field\' of \'$path\'"',
    '  fi',
    '  if [ ! -s "$tmp" ]; then die 1 "field \'$field\' of \'$path\' is empty"; fi',
    '  chmod "$VAULT_FILE_MODE" "$tmp"',
    '  if [ -n "${VAULT_FILE_GROUP:-}" ]; then',
    '    chgrp "$VAULT_FILE_GROUP" "$tmp" || die 1 "could not give $tmp the group $VAULT_FILE_GROUP"',
    '  fi',
    "  log \"read field '$field' of '$path'\"",
    '}',
    'publish() {',
    '  mv -f "$VAULT_FILES_DIR/.$1.vault-tmp" "$VAULT_FILES_DIR/$1"',
    '  log "wrote $VAULT_FILES_DIR/$1"',
    '}',
    ...fetches,
    ...publishes,
    `log "${count} secret file(s) ready in $VAULT_FILES_DIR"`,
    '',
  ].join('\n');
}
