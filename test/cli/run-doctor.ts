/** Runs the command line as a real process (through ts-node, so no build is needed). */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `cdk8s-pod-patterns <args>` with `input` on standard input. */
export function runCli(args: string[], input?: string | Buffer): Run {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args],
    {
      cwd: ROOT,
      input: input ?? '',
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
      timeout: 60000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
