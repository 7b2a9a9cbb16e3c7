import { runScript, shellcheck } from './harness';

// The harness itself must be able to fail: a failing script fails, shellcheck finds a real issue.
test('busybox sh runs with only busybox applets on PATH', async () => {
  const ok = await runScript('nc --help 2>&1 | head -1; command -v wget');
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('BusyBox');
  const bad = await runScript('exit 3');
  expect(bad.code).toBe(3);
});

test('shellcheck reports problems', () => {
  expect(shellcheck('echo $1\n')).toContain('SC2086');
  expect(shellcheck('echo "$1"\n')).toBe('');
});
