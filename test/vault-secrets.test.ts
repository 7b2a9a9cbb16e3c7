import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppWorkload, SharedVolume, VaultSecretField, VaultSecrets, VaultSecretsProps, WorkloadKind } from '../lib';
import { containerNamed, envOf, only, onlyPodSpec, synthValid } from './util/manifest';

const OWNER = "VaultSecrets 'vault'";
const SECRETS: VaultSecretField[] = [
  { path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key', envVar: 'STRIPE_API_KEY_FILE' },
  { path: 'secret/payment/postgres', field: 'db_pass', fileName: 'db_password' },
];

/** A plain cdk8s-plus Deployment that runs as a service account, mounts its token and runs the app as 1000. */
function deployment(chart: Construct, props: kplus.DeploymentProps = {}): kplus.Deployment {
  return new kplus.Deployment(chart, 'd', {
    containers: [{ image: 'x:1', portNumber: 8080, securityContext: { user: 1000 } }],
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'app-sa'),
    automountServiceAccountToken: true,
    ...props,
  });
}

type Options = Omit<VaultSecretsProps, 'workload' | 'address' | 'role' | 'secrets'> & {
  address?: string;
  role?: string;
  secrets?: VaultSecretField[];
};

function setup(options: Options = {}, workloadProps: kplus.DeploymentProps = {}) {
  const chart = Testing.chart();
  const workload = deployment(chart, workloadProps);
  const vault = new VaultSecrets(chart, 'vault', {
    workload,
    address: 'https://vault.internal:8200',
    role: 'app',
    secrets: SECRETS,
    ...options,
  });
  return { chart, workload, vault };
}

/** A deferred setup, for `toThrow` tests. */
function attempt(options: Options = {}, workloadProps: kplus.DeploymentProps = {}): () => void {
  return () => setup(options, workloadProps);
}

function specOf(chart: any) {
  return onlyPodSpec(synthValid(chart));
}

describe('VaultSecrets', () => {
  test('on a plain cdk8s-plus Deployment: an init step, a memory volume mounted read-only into the app', () => {
    const { chart } = setup({ caCertificate: kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'ca', 'vault-ca') });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    const init = containerNamed(spec, 'vault');
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['vault']);
    expect(init.image).toBe('hashicorp/vault:1.21.4');
    expect(init.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(init.volumeMounts).toEqual([
      { mountPath: '/vault/secrets', name: 'vault-secrets', readOnly: false },
      { mountPath: '/vault-home', name: 'vault-home', readOnly: false },
      { mountPath: '/vault-ca', name: 'vault-ca', readOnly: true },
    ]);
    expect(spec.volumes).toContainEqual({ name: 'vault-secrets', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    expect(spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/vault/secrets', name: 'vault-secrets', readOnly: true },
    ]);
  });

  test('on AppWorkload (a Pod), as in the seed', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'payment', {
      kind: WorkloadKind.pod({
        serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'payment-service-sa'),
        automountServiceAccountToken: true,
      }),
      container: { image: 'company/payment-service:4.2.0', portNumber: 9090, securityContext: { user: 10001 } },
    });
    new VaultSecrets(chart, 'vault-fetch-secrets', {
      workload: app.workload,
      address: 'https://vault.internal:8200',
      role: 'payment-service',
      secrets: SECRETS,
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const pod = only(manifests, 'Pod');
    expect(pod.spec.serviceAccountName).toBe('payment-service-sa');
    expect(pod.spec.automountServiceAccountToken).toBe(true);
    expect(containerNamed(pod.spec, 'vault-fetch-secrets').securityContext.runAsUser).toBe(10001);
  });

  test('the script holds no user value: every value comes through the environment', () => {
    const { chart } = setup({
      role: 'payment-role',
      authMountPath: 'k8s/prod',
      secrets: [{ path: 'kv-a/b-c', field: 'f-1', fileName: 'file-9', mount: 'mnt-x' }],
    });
    const init = specOf(chart).initContainers[0];
    const script: string = init.command[2];
    for (const value of ['payment-role', 'k8s/prod', 'kv-a/b-c', 'f-1', 'file-9', 'mnt-x', 'vault.internal']) {
      expect(script).not.toContain(value);
    }
    expect(init.args).toBeUndefined();
    expect(envOf(init)).toEqual({
      VAULT_ADDR: 'https://vault.internal:8200',
      HOME: '/vault-home',
      VAULT_AUTH_MOUNT: 'k8s/prod',
      VAULT_AUTH_ROLE: 'payment-role',
      VAULT_JWT_PATH: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      VAULT_FILES_DIR: '/vault/secrets',
      VAULT_FILE_MODE: '0400',
      VAULT_ITEM_1_PATH: 'kv-a/b-c',
      VAULT_ITEM_1_FIELD: 'f-1',
      VAULT_ITEM_1_FILE: 'file-9',
      VAULT_ITEM_1_MOUNT: 'mnt-x',
    });
  });

  test('the login passes the JWT as jwt=@file and the token only through VAULT_TOKEN', () => {
    const script: string = specOf(setup().chart).initContainers[0].command[2];
    expect(script).toContain('"jwt=@$VAULT_JWT_PATH"');
    expect(script).toContain('export VAULT_TOKEN');
    expect(script).not.toMatch(/\$\(cat /);
    expect(script).not.toMatch(/vault [^\n]*\$VAULT_TOKEN/);
  });

  test('envVar sets a *_FILE variable on the app container; pathOf gives the path', () => {
    const { chart, vault } = setup();
    const app = specOf(chart).containers[0];
    expect(app.env).toEqual([{ name: 'STRIPE_API_KEY_FILE', value: '/vault/secrets/stripe_api_key' }]);
    expect(vault.pathOf('db_password')).toBe('/vault/secrets/db_password');
  });

  test('disableAgentInjection adds the agent-inject annotation; it is absent by default', () => {
    const on = setup({ disableAgentInjection: true });
    const annotations = only(synthValid(on.chart), 'Deployment').spec.template.metadata.annotations;
    expect(annotations).toEqual({ 'vault.hashicorp.com/agent-inject': 'false' });
    const off = setup();
    expect(only(synthValid(off.chart), 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });

  test('caCertificate mounts the ConfigMap into the init step only and sets VAULT_CACERT', () => {
    const { chart } = setup({
      caCertificate: kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'ca', 'vault-ca-cert'),
      caCertificateKey: 'vault-ca.pem',
    });
    const spec = specOf(chart);
    expect(envOf(spec.initContainers[0]).VAULT_CACERT).toBe('/vault-ca/vault-ca.pem');
    expect(spec.volumes).toContainEqual({ name: 'vault-ca', configMap: { name: 'vault-ca-cert' } });
    expect(spec.containers[0].volumeMounts.map((m: any) => m.name)).toEqual(['vault-secrets']);
  });

  test('without caCertificate there is no VAULT_CACERT and no CA volume', () => {
    const spec = specOf(setup().chart);
    expect(envOf(spec.initContainers[0]).VAULT_CACERT).toBeUndefined();
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['vault-secrets', 'vault-home']);
  });

  test('authMountPath sets VAULT_AUTH_MOUNT; it is kubernetes by default', () => {
    expect(envOf(specOf(setup().chart).initContainers[0]).VAULT_AUTH_MOUNT).toBe('kubernetes');
    const init = specOf(setup({ authMountPath: 'kubernetes-prod' }).chart).initContainers[0];
    expect(envOf(init).VAULT_AUTH_MOUNT).toBe('kubernetes-prod');
  });

  test('mountPath moves the files in both containers and in the *_FILE values', () => {
    const { chart, vault } = setup({ mountPath: '/secrets/' });
    const spec = specOf(chart);
    expect(vault.mountPath).toBe('/secrets');
    expect(spec.initContainers[0].volumeMounts[0].mountPath).toBe('/secrets');
    expect(envOf(spec.initContainers[0]).VAULT_FILES_DIR).toBe('/secrets');
    expect(spec.containers[0].env[0].value).toBe('/secrets/stripe_api_key');
  });

  test('sizeLimitMiB sizes the volume it makes', () => {
    const spec = specOf(setup({ sizeLimitMiB: 4 }).chart);
    expect(spec.volumes[0]).toEqual({ name: 'vault-secrets', emptyDir: { medium: 'Memory', sizeLimit: '4Mi' } });
  });

  test('volume: a memory-backed emptyDir of the user is used', () => {
    const chart = Testing.chart();
    const volume = SharedVolume.emptyDir(chart, 'secrets-vol', { memory: true, sizeLimitMiB: 2 });
    new VaultSecrets(chart, 'vault', {
      workload: deployment(chart),
      address: 'https://vault.internal:8200',
      role: 'app',
      secrets: SECRETS,
      volume,
    });
    const spec = specOf(chart);
    expect(spec.volumes[0]).toEqual({ name: 'secrets-vol', emptyDir: { medium: 'Memory', sizeLimit: '2Mi' } });
    expect(spec.containers[0].volumeMounts[0].name).toBe('secrets-vol');
  });

  test('appUser runs the step as that user with files of mode 0400', () => {
    const { chart, vault } = setup({ appUser: 2000 }, { containers: [{ image: 'x:1' }] });
    const init = specOf(chart).initContainers[0];
    expect(init.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, runAsNonRoot: true });
    expect(envOf(init).VAULT_FILE_MODE).toBe('0400');
    expect(vault.fileMode).toBe('0400');
  });

  test("the pod's securityContext.user is the app's user when the container sets none", () => {
    const { chart } = setup({}, { containers: [{ image: 'x:1' }], securityContext: { user: 3000 } });
    expect(specOf(chart).initContainers[0].securityContext.runAsUser).toBe(3000);
  });

  test('with only an fsGroup, the step runs as 65534 and the files get mode 0440 and that group', () => {
    const { chart, vault } = setup({}, { containers: [{ image: 'x:1' }], securityContext: { fsGroup: 4321 } });
    const init = specOf(chart).initContainers[0];
    expect(init.securityContext.runAsUser).toBe(65534);
    expect(envOf(init)).toMatchObject({ VAULT_FILE_MODE: '0440', VAULT_FILE_GROUP: '4321' });
    expect([vault.fileMode, vault.runAsUser]).toEqual(['0440', 65534]);
  });

  test('image, containerName and resources are overridable', () => {
    const { chart } = setup({
      image: 'registry.internal/vault:1.17.2',
      containerName: 'fetch',
      resources: {
        cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(96) },
      },
    });
    const init = specOf(chart).initContainers[0];
    expect(init.name).toBe('fetch');
    expect(init.image).toBe('registry.internal/vault:1.17.2');
    expect(init.resources).toEqual({
      limits: { cpu: '100m', memory: '96Mi' },
      requests: { cpu: '20m', memory: '32Mi' },
    });
    expect(specOf(setup().chart).initContainers[0].resources).toEqual({
      limits: { cpu: '250m', memory: '128Mi' },
      requests: { cpu: '50m', memory: '64Mi' },
    });
  });

  test('after orders it behind another init step', () => {
    const chart = Testing.chart();
    const workload = deployment(chart);
    const first = new VaultSecrets(chart, 'vault-a', {
      workload,
      address: 'https://vault.internal:8200',
      role: 'a',
      secrets: [{ path: 'secret/a', field: 'f', fileName: 'a' }],
      mountPath: '/a',
    });
    const prep = first.composer.addInitStep({ name: 'prep', image: 'busybox:1.36' });
    new VaultSecrets(chart, 'vault-b', {
      workload,
      address: 'https://vault.internal:8200',
      role: 'b',
      secrets: [{ path: 'secret/b', field: 'f', fileName: 'b' }],
      mountPath: '/b',
      after: [prep],
    });
    const spec = specOf(chart);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['vault-a', 'prep', 'vault-b']);
    // each step has volumes of its own, named after its container
    expect(spec.volumes.map((v: any) => v.name).sort()).toEqual([
      'vault-a-home',
      'vault-a-secrets',
      'vault-b-home',
      'vault-b-secrets',
    ]);
  });

  test('a trailing slash on the address is dropped', () => {
    const init = specOf(setup({ address: 'https://10.0.0.5:8200/' }).chart).initContainers[0];
    expect(envOf(init).VAULT_ADDR).toBe('https://10.0.0.5:8200');
  });
});

describe('VaultSecrets validation', () => {
  test.each([
    'http://vault.internal:8200',
    'https://user:pw@vault.internal',
    'https://vault.internal:8200/$(id)',
    "https://vault.internal'; id #",
  ])('throws if address is %j', (address) => {
    expect(attempt({ address })).toThrow(
      `${OWNER}: 'address' must be a https URL without credentials, quotes, spaces or shell characters (for ` +
        `example https://service:8080/path), got ${JSON.stringify(address)}`,
    );
  });

  test.each(['https://vault.internal:8200/v1', 'https://vault.internal:8200?x=1', 'https://vault.internal#a'])(
    'throws if address %j has a path, query or fragment',
    (address) => {
      expect(attempt({ address })).toThrow(
        `${OWNER}: 'address' must be Vault's base URL with no path, query or fragment, such as ` +
          `'https://vault.internal:8200', got ${JSON.stringify(address)}`,
      );
    },
  );

  const nameError = (prop: string, value: string) =>
    `${OWNER}: '${prop}' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter, digit or '_', ` +
    `got ${JSON.stringify(value)}`;
  const pathError = (prop: string, value: string) =>
    `${OWNER}: '${prop}' must be a Vault path of segments of letters, digits, '.', '_' or '-' (each starting ` +
    `with a letter, digit or '_'), separated by single '/' with none at either end, such as ` +
    `'secret/payment/stripe', got ${JSON.stringify(value)}`;

  test.each(['app; id', '$(id)', '@/etc/passwd', 'a=b', '-x', 'a\nb', '`id`', '', 'r'.repeat(129)])(
    'throws if role is %j (shell, flag, @file and = characters)',
    (role) => {
      expect(attempt({ role })).toThrow(nameError('role', role));
    },
  );

  test.each(['/secret/a', 'secret/a/', 'secret//a', 'secret/../a', 'secret/./a', 'secret/a b', 'secret/-a', "s'a", ''])(
    'throws if a secret path is %j',
    (p) => {
      expect(attempt({ secrets: [{ path: p, field: 'f', fileName: 'f' }] })).toThrow(pathError('secrets[0].path', p));
    },
  );

  test.each(['a b', '-field', 'x"y', '$(id)', 'f=g'])('throws if a field is %j', (field) => {
    expect(attempt({ secrets: [{ path: 'secret/a', field, fileName: 'f' }] })).toThrow(
      nameError('secrets[0].field', field),
    );
  });

  test.each(['../x', '.hidden', 'a/b', 'a b', '$(id)'])('throws if a fileName is %j', (fileName) => {
    expect(attempt({ secrets: [{ path: 'secret/a', field: 'f', fileName }] })).toThrow(
      nameError('secrets[0].fileName', fileName),
    );
  });

  test('throws if a mount is not a Vault path', () => {
    expect(attempt({ secrets: [{ path: 'a', field: 'f', fileName: 'f', mount: 'kv/' }] })).toThrow(
      pathError('secrets[0].mount', 'kv/'),
    );
  });

  test('throws if authMountPath is not a Vault path', () => {
    expect(attempt({ authMountPath: 'auth/../x' })).toThrow(pathError('authMountPath', 'auth/../x'));
  });

  test('throws if caCertificateKey is not a plain name', () => {
    expect(attempt({ caCertificateKey: '../ca.crt' })).toThrow(nameError('caCertificateKey', '../ca.crt'));
  });

  test('throws if two fields share a file', () => {
    const secrets = [
      { path: 'secret/a', field: 'f', fileName: 'same' },
      { path: 'secret/b', field: 'g', fileName: 'same' },
    ];
    expect(attempt({ secrets })).toThrow(
      `${OWNER}: 'secrets[1].fileName' "same" is already used by another secret field; give each field its own file`,
    );
  });

  test('throws if an envVar is not a variable name', () => {
    expect(attempt({ secrets: [{ path: 'secret/a', field: 'f', fileName: 'f', envVar: 'A-FILE' }] })).toThrow(
      `${OWNER}: 'secrets[0].envVar' must be an environment variable name (letters, digits and '_', not starting ` +
        `with a digit), got "A-FILE"`,
    );
  });

  test('throws if an envVar is used twice or already set on the app', () => {
    const twice = [
      { path: 'secret/a', field: 'f', fileName: 'a', envVar: 'X_FILE' },
      { path: 'secret/b', field: 'f', fileName: 'b', envVar: 'X_FILE' },
    ];
    expect(attempt({ secrets: twice })).toThrow(
      `${OWNER}: 'secrets[1].envVar' "X_FILE" is already set on the app container 'main'; choose another name`,
    );
    const taken = {
      containers: [
        { image: 'x:1', securityContext: { user: 1 }, envVariables: { A_FILE: kplus.EnvValue.fromValue('x') } },
      ],
    };
    expect(attempt({ secrets: [{ path: 'secret/a', field: 'f', fileName: 'a', envVar: 'A_FILE' }] }, taken)).toThrow(
      `${OWNER}: 'secrets[0].envVar' "A_FILE" is already set on the app container 'main'; choose another name`,
    );
  });

  test('throws if secrets is empty or too long', () => {
    expect(attempt({ secrets: [] })).toThrow(
      `${OWNER}: 'secrets' must list 1 to 100 secret fields, got 0; split larger sets over several VaultSecrets`,
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ path: 'secret/a', field: 'f', fileName: `f${i}` }));
    expect(attempt({ secrets: many })).toThrow(
      `${OWNER}: 'secrets' must list 1 to 100 secret fields, got 101; split larger sets over several VaultSecrets`,
    );
  });

  test.each([
    ['secrets', 'must be absolute (start with /), got "secrets"'],
    ['/a/../b', "must not contain '..', '.' or empty segments, got \"/a/../b\""],
    ['/a b', "may hold only letters, digits, '.', '_', '-' and '/', got \"/a b\""],
  ])('throws if mountPath is %j', (mountPath, problem) => {
    expect(attempt({ mountPath })).toThrow(`${OWNER}: 'mountPath' ${problem}`);
  });

  test.each(['/', '/vault-ca', '/vault-home/x'])(
    "throws if mountPath %j is / or overlaps the step's own mounts",
    (mountPath) => {
      expect(attempt({ mountPath })).toThrow(
        `${OWNER}: 'mountPath' must be a directory of its own, not '/' and not in or above the init step's ` +
          `/vault-ca and /vault-home, got ${JSON.stringify(mountPath)}`,
      );
    },
  );

  test('throws if the workload has no service account', () => {
    expect(attempt({}, { serviceAccount: undefined })).toThrow(
      `${OWNER}: the workload 'test/d' sets no service account, so Vault would see the namespace's 'default' one; ` +
        "create the workload with 'serviceAccount' (for example ServiceAccount.fromServiceAccountName(scope, 'sa', " +
        "'my-app-sa')) and 'automountServiceAccountToken: true'",
    );
  });

  test('throws if serviceAccount is not the one the workload runs as', () => {
    const other = kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'other', 'other-sa');
    expect(attempt({ serviceAccount: other })).toThrow(
      `${OWNER}: 'serviceAccount' is 'other-sa' but the workload 'test/d' runs as 'app-sa'; the pod logs in to ` +
        'Vault as the service account it runs as, so make them the same',
    );
  });

  test('accepts serviceAccount when it is the one the workload runs as', () => {
    const same = kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'same', 'app-sa');
    expect(attempt({ serviceAccount: same })).not.toThrow();
  });

  test('throws if the workload does not mount its token (the cdk8s-plus default)', () => {
    expect(attempt({}, { automountServiceAccountToken: undefined })).toThrow(
      `${OWNER}: the workload 'test/d' does not mount its service account token ('automountServiceAccountToken' ` +
        'is false, the cdk8s-plus default), so there is no JWT to log in to Vault with; create the workload with ' +
        "'automountServiceAccountToken: true'",
    );
  });

  test('throws if appUser is not a user id', () => {
    expect(attempt({ appUser: 0 })).toThrow(`${OWNER}: 'appUser' must be a whole number from 1 to 2147483647, got 0`);
    expect(attempt({ appUser: 1.5 })).toThrow(
      `${OWNER}: 'appUser' must be a whole number from 1 to 2147483647, got 1.5`,
    );
  });

  test('throws if appUser is not the user the app container runs as', () => {
    expect(attempt({ appUser: 2000 })).toThrow(
      `${OWNER}: 'appUser' is 2000 but the app container 'main' runs as user 1000; the files would be unreadable ` +
        "to it. Drop 'appUser' or make them match",
    );
  });

  test('throws if the app runs as root', () => {
    expect(attempt({}, { containers: [{ image: 'x:1', securityContext: { user: 0, ensureNonRoot: false } }] })).toThrow(
      `${OWNER}: the app container 'main' runs as root (user 0); the init step does not run as root. Run the app ` +
        "as another user, or set 'appUser' to it",
    );
  });

  test("throws if neither the app's user nor an fsGroup is known", () => {
    expect(attempt({}, { containers: [{ image: 'x:1' }] })).toThrow(
      `${OWNER}: cannot tell which user the app container 'main' runs as, so the secret files cannot be made ` +
        "readable by it alone; set 'appUser' (or the container's securityContext.user) to its user id, or give " +
        'the workload securityContext.fsGroup to share the files through that group',
    );
  });

  test('throws if volume is not memory-backed', () => {
    const chart = Testing.chart();
    const disk = SharedVolume.emptyDir(chart, 'disk');
    expect(attempt({ volume: disk })).toThrow(
      `${OWNER}: 'volume' must be memory-backed so that secrets never reach the node's disk; use ` +
        "SharedVolume.emptyDir(scope, name, { memory: true }), got volume 'disk'",
    );
  });

  test('throws if both volume and sizeLimitMiB are given, or sizeLimitMiB is out of range', () => {
    const volume = SharedVolume.emptyDir(Testing.chart(), 'mem', { memory: true });
    expect(attempt({ volume, sizeLimitMiB: 2 })).toThrow(
      `${OWNER}: 'sizeLimitMiB' applies only to the volume VaultSecrets makes; set the size on 'volume' ` +
        '(SharedVolume.emptyDir(scope, name, { memory: true, sizeLimitMiB })) instead, got 2',
    );
    expect(attempt({ sizeLimitMiB: 0 })).toThrow(
      `${OWNER}: 'sizeLimitMiB' must be a whole number from 1 to 1024, got 0`,
    );
  });

  test('throws if pathOf names a file it does not write', () => {
    const { vault } = setup();
    expect(() => vault.pathOf('nope')).toThrow(
      `${OWNER}: no secret field is written to "nope"; the files are 'stripe_api_key', 'db_password'`,
    );
  });

  test('throws if containerName or image is invalid', () => {
    expect(attempt({ containerName: 'Vault_Fetch' })).toThrow(
      `${OWNER}: 'containerName' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending ` +
        'with a letter or digit, at most 63 characters), got "Vault_Fetch"',
    );
    expect(attempt({ image: 'vault:1; id' })).toThrow(
      `${OWNER}: 'image' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', got ` +
        '"vault:1; id"',
    );
  });
});
