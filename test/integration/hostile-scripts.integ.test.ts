/**
 * Hostile values never execute: every generated `sh -c` script (WaitForService, ConfigCheck,
 * GitCloneContent, VaultSecrets) runs under real busybox sh with each of its environment variables, in
 * turn, replaced by values that would run a sentinel command if the script evaluated them as code, passed
 * them to a tool as an option, or split them into words. The sentinel must never run.
 *
 * The constructs refuse these values at synth; this checks the scripts' own defence, for values that reach
 * them another way (an edited manifest, a patch).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConfigCheck, GitCloneContent, SharedVolume, VaultSecrets, WaitForService, WaitTarget } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { busyboxBin, requireTool, runScript, scriptOf, tempDir } from './harness';

/** Values that run `touch <sentinel>` if anything treats them as code or as an option. */
function hostileValues(sentinel: string): string[] {
  return [
    `$(touch ${sentinel})`,
    `\`touch ${sentinel}\``,
    `;touch ${sentinel}`,
    `'; touch ${sentinel}; '`,
    `"; touch ${sentinel}; "`,
    `x\ntouch ${sentinel}\n`,
    `|touch ${sentinel}`,
    `&& touch ${sentinel}`,
    `$((\`touch ${sentinel}\`))`,
    `\${x:-$(touch ${sentinel})}`,
    `--upload-pack=touch ${sentinel}`,
    `-c core.sshCommand=touch ${sentinel}`,
    `ext::sh -c touch% ${sentinel}`,
    `-exec touch ${sentinel} ;`,
    `* $(touch ${sentinel})`,
  ];
}

/** A deployment to attach a step to. */
function chartWithDeployment(): { chart: ReturnType<typeof Testing.chart>; deployment: kplus.Deployment } {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', {
    containers: [{ image: 'x:1', portNumber: 8080, securityContext: { user: 10001 } }],
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'sa'),
    automountServiceAccountToken: true,
  });
  return { chart, deployment };
}

/** A fake `vault` that never evaluates its arguments: a token on login, a value on kv get. */
function fakeVaultBin(): string {
  const dir = tempDir('hostile-vault-bin');
  fs.chmodSync(dir, 0o755);
  const script = [
    `#!${requireTool('busybox')} sh`,
    'case "$1 $2" in',
    '  "write -field=token") echo hvs.fake ;;',
    '  "kv get") echo value ;;',
    '  "token revoke") ;;',
    '  *) exit 2 ;;',
    'esac',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'vault'), script, { mode: 0o755 });
  return dir;
}

interface Step {
  readonly name: string;
  readonly container: any;
  /** Env that points the script at this machine's directories. */
  readonly local: (work: string) => { [name: string]: string };
  readonly tools?: string[];
  readonly pathPrefix?: string;
}

function steps(): Step[] {
  const out: Step[] = [];
  {
    const { chart, deployment } = chartWithDeployment();
    new WaitForService(chart, 'wait', {
      workload: deployment,
      targets: [WaitTarget.tcp('127.0.0.1', 1), WaitTarget.http('http://127.0.0.1:1/ready')],
      intervalSeconds: 1,
      attemptTimeoutSeconds: 1,
      deadlineSeconds: 1,
    });
    out.push({
      name: 'wait-for-service',
      container: containerNamed(onlyPodSpec(synthValid(chart)), 'wait'),
      local: () => ({}),
    });
  }
  {
    const { chart, deployment } = chartWithDeployment();
    const volume = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'cfg'));
    new ConfigCheck(chart, 'check', { workload: deployment, volume, files: ['app.yaml', 'conf/log.xml'] });
    out.push({
      name: 'config-check',
      container: containerNamed(onlyPodSpec(synthValid(chart)), 'check'),
      local: (work) => ({ CONFIG_DIR: work }),
    });
  }
  {
    const { chart, deployment } = chartWithDeployment();
    new GitCloneContent(chart, 'clone', {
      workload: deployment,
      repository: 'https://git.invalid/company/site.git',
      token: { secret: kplus.Secret.fromSecretName(chart, 't', 't'), key: 'token' },
      volume: SharedVolume.emptyDir(chart, 'content'),
    });
    out.push({
      name: 'git-clone-content',
      container: containerNamed(onlyPodSpec(synthValid(chart)), 'clone'),
      local: (work) => ({
        CLONE_TARGET: path.join(work, 'content'),
        CLONE_SCRATCH: path.join(work, 'scratch'),
        HOME: path.join(work, 'scratch'),
        CLONE_TOKEN: 'token-value',
      }),
      tools: ['git'],
    });
  }
  {
    const { chart, deployment } = chartWithDeployment();
    new VaultSecrets(chart, 'vault', {
      workload: deployment,
      address: 'https://vault.internal:8200',
      role: 'app',
      secrets: [
        { path: 'secret/app/db', field: 'password', fileName: 'db_password', mount: 'secret' },
        { path: 'secret/app/api', field: 'key', fileName: 'api_key' },
      ],
    });
    out.push({
      name: 'vault-secrets',
      container: containerNamed(onlyPodSpec(synthValid(chart)), 'vault'),
      local: (work) => {
        const token = path.join(work, 'token');
        fs.mkdirSync(path.join(work, 'secrets'), { recursive: true });
        fs.mkdirSync(path.join(work, 'home'), { recursive: true });
        fs.writeFileSync(token, 'jwt');
        return {
          VAULT_SECRETS_DIR: path.join(work, 'secrets'),
          VAULT_SA_TOKEN_PATH: token,
          HOME: path.join(work, 'home'),
        };
      },
      pathPrefix: fakeVaultBin(),
    });
  }
  return out;
}

let totalRuns = 0;

describe.each(steps())('$name script with hostile values', (step) => {
  const { script, env } = scriptOf(step.container);
  const names = [...Object.keys(env), ...Object.keys(step.local(tempDir('names')))].filter(
    (n, i, all) => all.indexOf(n) === i && n !== 'PATH',
  );

  test.each(names)('no hostile value of %s runs the sentinel', async (name) => {
    const work = tempDir(`hostile-${step.name}`);
    // one sentinel per value, so that a failure names the value that ran it
    const count = hostileValues('').length;
    const sentinels = Array.from({ length: count }, (_, i) => path.join(work, `SENTINEL-${i}`));
    const values = sentinels.map((sentinel, i) => hostileValues(sentinel)[i]);
    const bin = busyboxBin(step.tools ?? []);
    const results = await Promise.all(
      values.map((value) => {
        const runDir = fs.mkdtempSync(path.join(work, 'run-'));
        const runEnv = { ...env, ...step.local(runDir), [name]: value };
        if (step.pathPrefix) runEnv.PATH = `${step.pathPrefix}:${bin}`;
        return runScript(script, { env: runEnv, tools: step.tools, timeoutMs: 15000, cwd: runDir });
      }),
    );
    totalRuns += results.length;
    const ran = values.filter((_, i) => fs.existsSync(sentinels[i]));
    expect(ran).toEqual([]);
    expect(results.filter((r) => r.timedOut)).toEqual([]);
  });
});

afterAll(() => {
  console.log(`hostile-scripts: ${totalRuns} runs under busybox sh, sentinel never ran`);
});
