/**
 * Integration harness: runs generated shell scripts under real `busybox sh`, with a PATH that holds only
 * busybox applets (as in the busybox image) plus any tools a test names, and checks them with shellcheck.
 * A missing tool fails the test: it never skips.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The absolute path of a tool on this machine; throws when it is missing. */
export function requireTool(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`integration tests need '${name}' on PATH (apt-get install -y ${name}); it is missing`);
  }
}

/** Runs shellcheck on a POSIX sh script; returns its findings ('' when clean). */
export function shellcheck(script: string): string {
  const bin = requireTool('shellcheck');
  try {
    execFileSync(bin, ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
    return '';
  } catch (e: any) {
    return String(e.stdout || e.message);
  }
}

let binDirCache: string | undefined;

/**
 * A directory of busybox applet links, like the busybox image's /bin, that every user may read. Tools named
 * in `extra` (for example 'git') are linked in too.
 */
export function busyboxBin(extra: string[] = []): string {
  const busybox = requireTool('busybox');
  if (!binDirCache) {
    binDirCache = fs.mkdtempSync(path.join(os.tmpdir(), 'busybox-bin-'));
    fs.chmodSync(binDirCache, 0o755);
    const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const applet of applets) fs.symlinkSync(busybox, path.join(binDirCache, applet));
  }
  if (extra.length === 0) return binDirCache;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'busybox-bin-extra-'));
  fs.chmodSync(dir, 0o755);
  for (const f of fs.readdirSync(binDirCache)) fs.symlinkSync(busybox, path.join(dir, f));
  for (const tool of extra) {
    const target = path.join(dir, tool);
    if (fs.existsSync(target)) fs.unlinkSync(target);
    fs.symlinkSync(requireTool(tool), target);
  }
  return dir;
}

/** The result of a script run. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the script was killed for running longer than `timeoutMs`. */
  readonly timedOut: boolean;
}

/** Options for `runScript`. */
export interface RunOptions {
  /** Environment variables (the script sees only these, plus PATH and HOME). */
  readonly env?: { [name: string]: string };
  /** Extra tools to put on PATH beside busybox. */
  readonly tools?: string[];
  /** Kill the script after this many ms. */
  readonly timeoutMs?: number;
  /** Working directory. */
  readonly cwd?: string;
  /**
   * Run as this user id (and group id), as the kubelet does with `runAsUser`. Switching users needs root:
   * the run fails, never skips, when the tests are not root.
   */
  readonly uid?: number;
  /** With `uid`: the supplementary groups, as the kubelet gives a pod's `fsGroup` to every container. */
  readonly groups?: number[];
}

/** The argv that runs `busybox sh -c script`, through `setpriv` when `options.uid` is set. */
function shellArgv(script: string, options: RunOptions): string[] {
  const shell = [requireTool('busybox'), 'sh', '-c', script];
  if (options.uid === undefined) return shell;
  if (process.getuid?.() !== 0) {
    throw new Error('this test switches users with setpriv and so must run as root (as CI does)');
  }
  const groups = options.groups ?? [];
  const groupArgs = groups.length > 0 ? [`--groups=${groups.join(',')}`] : ['--clear-groups'];
  return [requireTool('setpriv'), `--reuid=${options.uid}`, `--regid=${options.uid}`, ...groupArgs, ...shell];
}

/** Runs `script` with `busybox sh -c` asynchronously (so servers in this process keep serving). */
export function runScript(script: string, options: RunOptions = {}): Promise<RunResult> {
  const [command, ...args] = shellArgv(script, options);
  const bin = busyboxBin(options.tools ?? []);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { PATH: bin, HOME: options.env?.HOME ?? os.tmpdir(), ...options.env },
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * The script and plain env of a container that runs `sh -c SCRIPT` (the form every generated script
 * takes). Secret-sourced env vars are left out: tests supply them.
 */
export function scriptOf(container: any): { script: string; env: { [name: string]: string } } {
  const cmd: string[] = [...(container.command ?? []), ...(container.args ?? [])];
  const i = cmd.indexOf('-c');
  if (i < 0 || !/(^|\/)sh$/.test(cmd[i - 1] ?? '')) {
    throw new Error(`container ${container.name} does not run 'sh -c SCRIPT': ${JSON.stringify(cmd)}`);
  }
  const env: { [name: string]: string } = {};
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = String(e.value);
  return { script: cmd[i + 1], env };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const net = await import('net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as any).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A temporary directory removed by the caller (or left to the OS). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}
