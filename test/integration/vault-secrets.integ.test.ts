/**
 * VaultSecrets' init script, run under real busybox sh with a stand-in `vault` on PATH.
 *
 * No Vault binary can be installed here, so the stand-in (a small Node program written by this test)
 * accepts only the calls the script is meant to make, in the argument form the vault CLI documents:
 *   vault write -field=token auth/<mount>/login role=<role> jwt=@<file>
 *   vault kv get [-mount=<mount>] -field=<field> <path>
 *   vault token revoke -self
 * It checks VAULT_ADDR, VAULT_CACERT and VAULT_TOKEN, reads the JWT from the @file itself, prints values
 * without a trailing newline (as the CLI does when stdout is not a terminal), fails the way the CLI fails,
 * and records every call's argv and relevant env. At every call it also reads the argv of every process on
 * the machine (/proc/<pid>/cmdline) and records any that holds the JWT, the Vault token or a secret value.
 *
 * What this proves: the script's control flow, quoting, file modes, atomic writes, cleanup and that no
 * secret reaches a process's argv or the log. What it leaves unproven: the real vault CLI and Vault
 * server (TLS, the Kubernetes auth method, KV v1/v2 detection, their error output).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { VaultSecrets, VaultSecretsProps } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { busyboxBin, requireTool, RunResult, runScript, scriptOf, shellcheck, tempDir } from './harness';

const FAKE_VAULT = `
const fs = require('fs');
const path = require('path');
const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, 'fake-vault.json'), 'utf8'));
const argv = process.argv.slice(2);
const env = process.env;

function leaks() {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
    let cmdline;
    try { cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'); } catch (e) { continue; }
    for (const [label, value] of Object.entries(cfg.forbidden)) {
      if (cmdline.includes(value)) found.push(label + ' in argv of pid ' + pid);
    }
  }
  return found;
}

fs.appendFileSync(cfg.log, JSON.stringify({
  argv,
  VAULT_ADDR: env.VAULT_ADDR,
  VAULT_CACERT: env.VAULT_CACERT,
  tokenSet: env.VAULT_TOKEN !== undefined,
  tokenValid: env.VAULT_TOKEN === cfg.token,
  leaks: leaks(),
}) + '\\n');

function die(message, code) {
  process.stderr.write(message + '\\n');
  process.exit(code);
}
const denied = (p) => die('Error making API request.\\n\\nURL: GET ' + cfg.addr + '/v1/' + p + '\\nCode: 403. Errors:\\n\\n* permission denied', 2);

if (env.VAULT_ADDR !== cfg.addr) die('fake vault: VAULT_ADDR is ' + env.VAULT_ADDR + ', expected ' + cfg.addr, 90);
if (cfg.cacert !== undefined) {
  if (env.VAULT_CACERT !== cfg.cacert) die('fake vault: VAULT_CACERT is ' + env.VAULT_CACERT, 90);
  fs.accessSync(env.VAULT_CACERT, fs.constants.R_OK);
}

// Splits '-name=value' flags (which the CLI takes before positional arguments) from the rest.
function parse(args, allowed) {
  const flags = {};
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const m = /^-([a-z]+)=(.*)$/s.exec(args[i]);
    if (!m || !allowed.includes(m[1]) || m[1] in flags) die('fake vault: unexpected flag ' + JSON.stringify(args[i]), 64);
    flags[m[1]] = m[2];
  }
  return { flags, rest: args.slice(i) };
}

const [cmd, sub] = argv;
if (cmd === 'write') {
  const { flags, rest } = parse(argv.slice(1), ['field']);
  if (flags.field !== 'token') die('fake vault: login must ask for -field=token', 64);
  const [p, ...data] = rest;
  if (p !== 'auth/' + cfg.authMount + '/login') die('fake vault: unexpected path ' + JSON.stringify(p), 64);
  if (env.VAULT_TOKEN !== undefined) die('fake vault: VAULT_TOKEN is set before login', 64);
  if (data.length !== 2 || data[0] !== 'role=' + cfg.role || !data[1].startsWith('jwt=')) {
    die('fake vault: unexpected login data ' + JSON.stringify(data), 64);
  }
  if (!data[1].startsWith('jwt=@')) die('fake vault: the JWT was passed as a value, not as jwt=@file', 64);
  const jwt = fs.readFileSync(data[1].slice(5), 'utf8');
  if (jwt !== cfg.jwt) denied('auth/' + cfg.authMount + '/login');
  process.stdout.write(cfg.token);
} else if (cmd === 'kv' && sub === 'get') {
  const { flags, rest } = parse(argv.slice(2), ['mount', 'field']);
  if (flags.field === undefined || rest.length !== 1) die('fake vault: usage: kv get [-mount=M] -field=F PATH', 64);
  const key = flags.mount !== undefined ? flags.mount + '/' + rest[0] : rest[0];
  if (env.VAULT_TOKEN !== cfg.token) denied(key);
  const secret = cfg.secrets[key];
  if (secret === undefined) die('No value found at ' + key, 2);
  if (!(flags.field in secret)) die('Field "' + flags.field + '" not present in secret', 1);
  process.stdout.write(secret[flags.field]);
} else if (cmd === 'token' && sub === 'revoke' && argv.length === 3 && argv[2] === '-self') {
  if (env.VAULT_TOKEN !== cfg.token) denied('auth/token/revoke-self');
  process.stdout.write('Success! Revoked token (if it existed)\\n');
} else {
  die('fake vault: unexpected call ' + JSON.stringify(argv), 64);
}
`;

interface Call {
  argv: string[];
  VAULT_ADDR: string;
  VAULT_CACERT?: string;
  tokenSet: boolean;
  tokenValid: boolean;
  leaks: string[];
}

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const random = (label: string) => `${label}-${crypto.randomBytes(12).toString('hex')}`;

/** One run's world: a fake Vault, a token file, a CA file and an empty secrets directory. */
class World {
  public readonly root = tempDir('vault-secrets');
  public readonly secretsDir = path.join(this.root, 'secrets');
  public readonly tokenFile = path.join(this.root, 'sa-token');
  public readonly caFile = path.join(this.root, 'ca.crt');
  public readonly home = path.join(this.root, 'home');
  public readonly bin = path.join(this.root, 'bin');
  public readonly log = path.join(this.root, 'calls.log');
  /** PATH: the fake vault, then busybox applets. */
  public readonly path: string;
  public readonly jwt = `eyJhbGciOi.${random('jwt')}`;
  public readonly token = random('hvs');
  public readonly values = {
    stripe: random('sk_live'),
    db: random('db-pass'),
    hmac: random('hmac'),
  };

  constructor(options: { jwt?: string; secrets?: { [key: string]: { [field: string]: string } } } = {}) {
    made.push(this.root);
    for (const dir of [this.root, this.bin, this.home]) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(this.root, 0o755);
    fs.mkdirSync(this.secretsDir, { mode: 0o777 });
    fs.chmodSync(this.secretsDir, 0o777); // an emptyDir is world-writable
    fs.chmodSync(this.home, 0o777);
    fs.writeFileSync(this.tokenFile, this.jwt, { mode: 0o644 });
    fs.writeFileSync(this.caFile, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n', { mode: 0o644 });
    fs.writeFileSync(this.log, '', { mode: 0o666 });
    fs.chmodSync(this.log, 0o666);
    const config = {
      addr: 'https://vault.internal:8200',
      cacert: this.caFile,
      authMount: 'kubernetes',
      role: 'payment-service',
      jwt: options.jwt ?? this.jwt,
      token: this.token,
      log: this.log,
      secrets: options.secrets ?? {
        'secret/payment/stripe': { api_key: this.values.stripe, other: 'x' },
        'secret/payment/postgres': { db_pass: this.values.db },
        'payment/signing': { hmac_key: this.values.hmac },
      },
      forbidden: { jwt: this.jwt, token: this.token, ...this.values },
    };
    fs.writeFileSync(path.join(this.bin, 'fake-vault.json'), JSON.stringify(config), { mode: 0o644 });
    fs.writeFileSync(path.join(this.bin, 'vault'), `#!${process.execPath}\n${FAKE_VAULT}`, { mode: 0o755 });
    this.path = `${this.bin}:${busyboxBin()}`;
  }

  /** The env of the synthesized container, pointed at this world's files. */
  public env(container: any, overrides: { [name: string]: string } = {}): { [name: string]: string } {
    return {
      ...scriptOf(container).env,
      PATH: this.path,
      HOME: this.home,
      VAULT_CACERT: this.caFile,
      VAULT_FILES_DIR: this.secretsDir,
      VAULT_JWT_PATH: this.tokenFile,
      ...overrides,
    };
  }

  public calls(): Call[] {
    return fs
      .readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  /** Every secret this world holds, for leak checks. */
  public get secrets(): string[] {
    return [this.jwt, this.token, ...Object.values(this.values)];
  }

  public files(): string[] {
    return fs.readdirSync(this.secretsDir).sort();
  }
}

/** Synthesizes the seed's three secret fields and returns the init container. */
function container(props: Partial<VaultSecretsProps> = {}, podProps: kplus.DeploymentProps = {}): any {
  const chart = Testing.chart();
  const workload = new kplus.Deployment(chart, 'd', {
    containers: [{ image: 'company/payment-service:4.2.0', securityContext: { user: 10001 } }],
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'payment-service-sa'),
    automountServiceAccountToken: true,
    ...podProps,
  });
  new VaultSecrets(chart, 'vault-fetch-secrets', {
    workload,
    address: 'https://vault.internal:8200',
    caCertificate: kplus.ConfigMap.fromConfigMapName(chart, 'ca', 'vault-ca-cert'),
    role: 'payment-service',
    secrets: [
      { path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key' },
      { path: 'secret/payment/postgres', field: 'db_pass', fileName: 'db_password' },
      { path: 'signing', mount: 'payment', field: 'hmac_key', fileName: 'hmac_key' },
    ],
    ...props,
  });
  return containerNamed(onlyPodSpec(synthValid(chart)), 'vault-fetch-secrets');
}

/** Whether `uid` (with `groups`) can read `file`. */
function canRead(uid: number, groups: number[], file: string): boolean {
  const groupArgs = groups.length > 0 ? [`--groups=${groups.join(',')}`] : ['--clear-groups'];
  const r = spawnSync(requireTool('setpriv'), [`--reuid=${uid}`, `--regid=${uid}`, ...groupArgs, 'cat', file]);
  return r.status === 0;
}

function expectNoLeaks(world: World, result: RunResult): void {
  for (const secret of world.secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
  for (const call of world.calls()) {
    expect(call.leaks).toEqual([]);
    for (const secret of world.secrets) expect(call.argv.join(' ')).not.toContain(secret);
  }
}

const mode = (file: string) => (fs.statSync(file).mode & 0o7777).toString(8).padStart(4, '0');

describe('VaultSecrets script', () => {
  test('passes shellcheck, with and without a CA certificate, mount and group', () => {
    expect(shellcheck(scriptOf(container()).script)).toBe('');
    const grouped = container(
      { caCertificate: undefined, secrets: [{ path: 'a/b', field: 'f', fileName: 'f' }] },
      { containers: [{ image: 'x:1' }], securityContext: { fsGroup: 4321 } },
    );
    expect(shellcheck(scriptOf(grouped).script)).toBe('');
  });

  test('logs in with jwt=@file, writes every field to a 0400 file of the app user, revokes the token', async () => {
    const world = new World();
    const c = container();
    const { script } = scriptOf(c);
    const result = await runScript(script, { env: world.env(c), uid: 10001 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    expect(world.files()).toEqual(['db_password', 'hmac_key', 'stripe_api_key']);
    const file = (name: string) => path.join(world.secretsDir, name);
    expect(fs.readFileSync(file('stripe_api_key'), 'utf8')).toBe(world.values.stripe);
    expect(fs.readFileSync(file('db_password'), 'utf8')).toBe(world.values.db);
    expect(fs.readFileSync(file('hmac_key'), 'utf8')).toBe(world.values.hmac);
    for (const name of world.files()) {
      expect(mode(file(name))).toBe('0400');
      expect(fs.statSync(file(name)).uid).toBe(10001);
      expect(canRead(10001, [], file(name))).toBe(true);
      expect(canRead(10002, [], file(name))).toBe(false);
      expect(canRead(65534, [], file(name))).toBe(false);
    }

    const calls = world.calls();
    expect(calls.map((call) => call.argv)).toEqual([
      ['write', '-field=token', 'auth/kubernetes/login', 'role=payment-service', `jwt=@${world.tokenFile}`],
      ['kv', 'get', '-field=api_key', 'secret/payment/stripe'],
      ['kv', 'get', '-field=db_pass', 'secret/payment/postgres'],
      ['kv', 'get', '-mount=payment', '-field=hmac_key', 'signing'],
      ['token', 'revoke', '-self'],
    ]);
    expect(calls.map((call) => [call.tokenSet, call.tokenValid])).toEqual([
      [false, false],
      [true, true],
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(calls.every((call) => call.VAULT_ADDR === 'https://vault.internal:8200')).toBe(true);
    expect(calls.every((call) => call.VAULT_CACERT === world.caFile)).toBe(true);
    expect(result.stdout).toContain(`wrote ${world.secretsDir}/stripe_api_key`);
    expect(result.stdout).toContain('3 secret file(s) ready');
    expectNoLeaks(world, result);
  });

  test('with an fsGroup, writes 0440 files of that group, readable by the app through the group', async () => {
    const world = new World();
    const c = container({}, { containers: [{ image: 'x:1' }], securityContext: { fsGroup: 4321 } });
    expect(c.securityContext.runAsUser).toBe(65534);
    const { script } = scriptOf(c);
    // the kubelet gives every container of the pod the fsGroup as a supplemental group
    const result = await runScript(script, { env: world.env(c), uid: 65534, groups: [4321] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const name of world.files()) {
      const file = path.join(world.secretsDir, name);
      expect(mode(file)).toBe('0440');
      expect(fs.statSync(file).gid).toBe(4321);
      expect(canRead(10001, [4321], file)).toBe(true);
      expect(canRead(10001, [], file)).toBe(false);
    }
    expect(world.files()).toHaveLength(3);
    expectNoLeaks(world, result);
  });

  test('a failed login exits non-zero with a clear message and writes nothing', async () => {
    const world = new World({ jwt: 'a-jwt-vault-does-not-accept' });
    const c = container();
    const result = await runScript(scriptOf(c).script, { env: world.env(c) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('permission denied');
    expect(result.stderr).toContain(
      'vault-secrets: login to https://vault.internal:8200 with role payment-service at auth/kubernetes/login failed',
    );
    expect(world.files()).toEqual([]);
    expect(world.calls().map((call) => call.argv[0])).toEqual(['write']);
    expectNoLeaks(world, result);
  });

  test('a missing field exits non-zero, names it, and leaves no file at all (not even the fields read before)', async () => {
    const world = new World();
    const c = container({
      secrets: [
        { path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key' },
        { path: 'secret/payment/postgres', field: 'password', fileName: 'db_password' },
      ],
    });
    const result = await runScript(scriptOf(c).script, { env: world.env(c) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Field "password" not present in secret');
    expect(result.stderr).toContain("vault-secrets: could not read field 'password' of 'secret/payment/postgres'");
    expect(world.files()).toEqual([]);
    // the token is revoked on failure too
    expect(world.calls().pop()!.argv).toEqual(['token', 'revoke', '-self']);
    expectNoLeaks(world, result);
  });

  test('a missing secret or an empty value exits non-zero with a clear message', async () => {
    const world = new World({ secrets: { 'secret/empty': { f: '' } } });
    const missing = container({ secrets: [{ path: 'secret/none', field: 'f', fileName: 'f' }] });
    const r1 = await runScript(scriptOf(missing).script, { env: world.env(missing) });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('No value found at secret/none');
    expect(r1.stderr).toContain("could not read field 'f' of 'secret/none'");
    const empty = container({ secrets: [{ path: 'secret/empty', field: 'f', fileName: 'f' }] });
    const r2 = await runScript(scriptOf(empty).script, { env: world.env(empty) });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("vault-secrets: field 'f' of 'secret/empty' is empty");
    expect(world.files()).toEqual([]);
  });

  test('without a service account token it stops before calling Vault', async () => {
    const world = new World();
    const c = container();
    const result = await runScript(scriptOf(c).script, {
      env: world.env(c, { VAULT_JWT_PATH: path.join(world.root, 'missing-token') }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `vault-secrets: no service account token at ${world.root}/missing-token; the pod must mount it`,
    );
    expect(world.calls()).toEqual([]);
  });

  test("the checks can fail: the seed's jwt=$(cat ...) form is caught in argv", async () => {
    const world = new World();
    const c = container();
    const seedForm = scriptOf(c).script.replace('"jwt=@$VAULT_JWT_PATH"', '"jwt=$(cat "$VAULT_JWT_PATH")"');
    const result = await runScript(seedForm, { env: world.env(c) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('fake vault: the JWT was passed as a value, not as jwt=@file');
    expect(world.calls()[0].leaks).toEqual([expect.stringMatching(/^jwt in argv of pid \d+$/)]);
  });

  test('hostile values that bypass validation reach vault as inert data and cannot run a command', async () => {
    const world = new World();
    const marker = path.join(world.root, 'pwned');
    const hostile = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `x"; touch ${marker}; echo "`,
      `x'; touch ${marker}; echo '`,
      `a\ntouch ${marker}`,
      `a;touch ${marker}`,
    ];
    const c = container({ secrets: [{ path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key' }] });
    for (const value of hostile) {
      const result = await runScript(scriptOf(c).script, {
        env: world.env(c, { VAULT_ITEM_1_FIELD: value, VAULT_AUTH_ROLE: 'payment-service' }),
      });
      expect(result.code).toBe(1);
      expect(fs.existsSync(marker)).toBe(false);
      const kv = world.calls().filter((call) => call.argv[0] === 'kv');
      expect(kv.pop()!.argv).toEqual(['kv', 'get', `-field=${value}`, 'secret/payment/stripe']);
    }
    // a role is data too: the fake refuses it, nothing runs
    const role = await runScript(scriptOf(c).script, { env: world.env(c, { VAULT_AUTH_ROLE: `$(touch ${marker})` }) });
    expect(role.code).toBe(1);
    expect(world.calls().pop()!.argv[3]).toBe(`role=$(touch ${marker})`);
    // a file name that would escape the directory is refused by the script itself
    const escape = await runScript(scriptOf(c).script, { env: world.env(c, { VAULT_ITEM_1_FILE: '../escape' }) });
    expect(escape.code).toBe(1);
    expect(escape.stderr).toContain("secret 1: '../escape' is not a plain file name");
    expect(fs.existsSync(path.join(world.root, 'escape'))).toBe(false);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
