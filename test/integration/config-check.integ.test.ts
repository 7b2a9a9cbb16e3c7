/**
 * ConfigCheck's generated script, run under real busybox sh (only busybox applets on PATH) against a
 * directory laid out the way the kubelet projects a ConfigMap (files are symlinks through '..data').
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConfigCheck, ConfigCheckProps, SharedVolume } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { runScript, scriptOf, shellcheck, tempDir } from './harness';

type CheckOptions = Omit<ConfigCheckProps, 'workload' | 'volume'>;

/** The script and env of a ConfigCheck step built with `props`, pointed at `dir` instead of the mount path. */
function checkStep(props: CheckOptions, dir?: string): { script: string; env: { [name: string]: string } } {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
  const volume = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'));
  new ConfigCheck(chart, 'check', { workload: deployment, volume, ...props });
  const step = scriptOf(containerNamed(onlyPodSpec(synthValid(chart)), 'check'));
  return dir ? { script: step.script, env: { ...step.env, CONFIG_DIR: dir } } : step;
}

/** A directory shaped like a projected ConfigMap: `name -> ..data/name`, `..data -> ..2026_01_01`. */
function configMapDir(files: { [name: string]: string }): string {
  const dir = tempDir('config-check');
  const version = path.join(dir, '..2026_01_01_00_00_00.000000001');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(version, name)), { recursive: true });
    fs.writeFileSync(path.join(version, name), content);
  }
  fs.symlinkSync(path.basename(version), path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    const top = name.split('/')[0];
    if (!fs.existsSync(path.join(dir, top))) fs.symlinkSync(path.join('..data', top), path.join(dir, top));
  }
  return dir;
}

describe('ConfigCheck script', () => {
  test('passes shellcheck for every prop combination', () => {
    const combos: CheckOptions[] = [
      { files: ['app.yaml'] },
      { files: ['app.yaml', 'logging/logback.xml'], requireNonEmpty: true },
      { files: ['.env'], mountPath: '/etc/my-app' },
    ];
    for (const props of combos) {
      expect(shellcheck(checkStep(props).script)).toBe('');
    }
  });

  test('present files: one ok line each and Config OK, exit 0', async () => {
    const dir = configMapDir({ 'app.yaml': 'port: 8080\n', 'logging/logback.xml': '<configuration/>' });
    const { script, env } = checkStep({ files: ['app.yaml', 'logging/logback.xml'] }, dir);
    const result = await runScript(script, { env });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `config-check: ok ${dir}/app.yaml (11 bytes)`,
      `config-check: ok ${dir}/logging/logback.xml (16 bytes)`,
      `config-check: Config OK (2 file(s) in ${dir})`,
    ]);
    expect(result.stderr).toBe('');
  });

  test('a missing file: a MISSING line naming it, a summary on stderr, exit 1', async () => {
    const dir = configMapDir({ 'app.yaml': 'port: 8080\n' });
    const { script, env } = checkStep({ files: ['app.yaml', 'db.yaml'] }, dir);
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`config-check: ok ${dir}/app.yaml`);
    expect(result.stdout).toContain(`config-check: MISSING ${dir}/db.yaml`);
    expect(result.stderr).toBe(
      `config-check: FAILED: 1 of 2 required file(s) not usable in ${dir} (see above); check the volume mounted there\n`,
    );
  });

  test('an empty file passes by default (the seed checks existence only)', async () => {
    const dir = configMapDir({ 'app.yaml': '' });
    const { script, env } = checkStep({ files: ['app.yaml'] }, dir);
    const result = await runScript(script, { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`config-check: ok ${dir}/app.yaml (0 bytes)`);
  });

  test('an empty file fails with requireNonEmpty', async () => {
    const dir = configMapDir({ 'app.yaml': '', 'db.yaml': 'url: x\n' });
    const { script, env } = checkStep({ files: ['app.yaml', 'db.yaml'], requireNonEmpty: true }, dir);
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`config-check: EMPTY ${dir}/app.yaml`);
    expect(result.stdout).toContain(`config-check: ok ${dir}/db.yaml (7 bytes)`);
    expect(result.stderr).toContain('FAILED: 1 of 2 required file(s)');
  });

  test('a file the step may not read passes as present, with its size and no error', async () => {
    // A Secret volume's files are 0400 root-owned unless the pod sets fsGroup; the step runs as 65534.
    const dir = configMapDir({ 'app.yaml': 'port: 8080\n', 'tls.key': 'key' });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(fs.realpathSync(path.join(dir, '..data')), 0o755);
    fs.chmodSync(path.join(dir, 'tls.key'), 0o400);
    const { script, env } = checkStep({ files: ['app.yaml', 'tls.key'], requireNonEmpty: true }, dir);
    const result = await runScript(script, { env, uid: 65534 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `config-check: ok ${dir}/app.yaml (11 bytes)`,
      `config-check: ok ${dir}/tls.key (3 bytes)`,
      `config-check: Config OK (2 file(s) in ${dir})`,
    ]);
  });

  test('a directory where a file is expected fails', async () => {
    const dir = configMapDir({ 'conf.d/a.conf': 'x' });
    const { script, env } = checkStep({ files: ['conf.d'] }, dir);
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`config-check: NOT A FILE ${dir}/conf.d`);
  });

  test('hostile values put into the env by hand run nothing: they are data or rejected', async () => {
    const dir = configMapDir({ 'app.yaml': 'x' });
    const marker = path.join(tempDir('config-hostile'), 'pwned');
    const { script, env } = checkStep({ files: ['app.yaml'] }, dir);
    const files = [`$(touch ${marker})`, `app.yaml; touch ${marker}`, `\`touch ${marker}\``, '../../etc/passwd', '*'];
    const result = await runScript(script, { env: { ...env, CONFIG_FILES: files.join('\n') } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`config-check: MISSING ${dir}/$(touch ${marker})`);
    expect(result.stdout).toContain('config-check: BAD NAME ../../etc/passwd');
    expect(result.stdout).toContain(`config-check: MISSING ${dir}/*`);
    expect(result.stderr).toContain('FAILED: 5 of 5');
    const badDir = await runScript(script, { env: { ...env, CONFIG_DIR: `$(touch ${marker})` } });
    expect(badDir.code).toBe(2);
    expect(badDir.stderr).toContain('CONFIG_DIR must be an absolute path');
    expect(fs.existsSync(marker)).toBe(false);
  });
});
