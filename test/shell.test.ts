import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConfigCheck, GitCloneContent, SharedVolume, VaultSecrets, WaitForService, WaitTarget } from '../lib';
import { shellPreamble } from '../lib/core/shell';
import { onlyPodSpec, synthValid } from './util/manifest';

describe('shellPreamble', () => {
  test('opens with set -u and defines log and die with the tag', () => {
    const preamble = shellPreamble('config-check');
    expect(preamble.split('\n')).toEqual([
      'set -u',
      'log() { printf \'config-check: %s\\n\' "$1"; }',
      'die() {',
      '  printf \'config-check: %s\\n\' "$2" >&2',
      '  if [ -w /dev/termination-log ]; then printf \'%s\\n\' "$2" >/dev/termination-log; fi',
      '  exit "$1"',
      '}',
      '',
    ]);
  });

  test.each(["x'; id; '", 'Wait', '', '-x'])('throws if the tag is %j', (tag) => {
    expect(() => shellPreamble(tag)).toThrow(
      `shellPreamble: 'tag' must be lower-case letters, digits and '-', got ${JSON.stringify(tag)}`,
    );
  });

  test('the wait and config-check steps share it', () => {
    const chart = Testing.chart();
    const workload = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    const volume = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'));
    new WaitForService(chart, 'wait', { workload, targets: [WaitTarget.tcp('db', 5432)] });
    new ConfigCheck(chart, 'check', { workload, volume, files: ['app.yaml'] });
    const [wait, check] = onlyPodSpec(synthValid(chart)).initContainers;
    expect(wait.command[2].startsWith(shellPreamble('wait-for-service'))).toBe(true);
    expect(check.command[2].startsWith(shellPreamble('config-check'))).toBe(true);
  });
});

describe('the sh -c scripts of the init steps', () => {
  // The kubelet expands $(NAME) of the container's env vars, and '$$' to '$', in command and args: a script
  // that held either would not run as written.
  test('hold neither $$ nor $(NAME) of one of their env vars', () => {
    const chart = Testing.chart();
    const workload = new kplus.Deployment(chart, 'd', {
      containers: [{ image: 'x:1', portNumber: 8080, securityContext: { user: 1000 } }],
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'app-sa'),
      automountServiceAccountToken: true,
    });
    const secret = kplus.Secret.fromSecretName(chart, 'token', 'token');
    const volume = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'));
    new WaitForService(chart, 'wait', {
      workload,
      targets: [WaitTarget.tcp('db', 5432)],
      deadlineSeconds: 60,
    });
    new ConfigCheck(chart, 'check', { workload, volume, files: ['app.yaml'] });
    new GitCloneContent(chart, 'clone', {
      workload,
      repository: 'https://git.example.com/site.git',
      token: { secret, key: 'token' },
    });
    new VaultSecrets(chart, 'vault', {
      workload,
      address: 'https://vault.internal:8200',
      caCertificate: kplus.ConfigMap.fromConfigMapName(chart, 'ca', 'vault-ca'),
      role: 'app',
      secrets: [{ path: 'secret/a', field: 'f', fileName: 'f', mount: 'kv' }],
    });
    const steps = onlyPodSpec(synthValid(chart)).initContainers;
    expect(steps.map((c: any) => c.name)).toEqual(['wait', 'check', 'clone', 'vault']);
    for (const step of steps) {
      const script: string = step.command[2];
      expect({ step: step.name, doubleDollar: script.includes('$$') }).toEqual({
        step: step.name,
        doubleDollar: false,
      });
      const expanded = step.env.map((e: any) => e.name).filter((name: string) => script.includes(`$(${name})`));
      expect({ step: step.name, expanded }).toEqual({ step: step.name, expanded: [] });
    }
  });
});
