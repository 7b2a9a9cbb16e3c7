/**
 * The EnvoySidecar preStop drain, run for real: bash (as in the envoyproxy/envoy image, which has no curl or
 * wget) against a loopback HTTP server standing in for Envoy's admin interface.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { AppWorkload, EnvoySidecar } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { busyboxBin, freePort, requireTool } from './harness';

/** The preStop command and env of a synthesized EnvoySidecar. */
function preStopOf(drainSeconds: number) {
  const chart = Testing.chart();
  const app = new AppWorkload(chart, 'web', { container: { image: 'x:1', portNumber: 8080 } });
  new EnvoySidecar(chart, 'envoy', { workload: app.workload, drainSeconds });
  const envoy = containerNamed(onlyPodSpec(synthValid(chart)), 'envoy');
  const env: { [name: string]: string } = {};
  for (const e of envoy.env) env[e.name] = e.value;
  return { command: envoy.lifecycle.preStop.exec.command as string[], env };
}

/** Runs the hook's command with only busybox applets and bash on PATH (like the image: a shell and sleep). */
function runHook(command: string[], env: { [name: string]: string }): Promise<{ code: number | null; ms: number }> {
  const bash = requireTool('bash');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bash, command.slice(1), { env: { PATH: busyboxBin(['bash']), ...env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started });
    });
  });
}

describe('EnvoySidecar preStop drain', () => {
  const requests: string[] = [];
  let server: http.Server;
  let adminPort: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.httpVersion}`);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    adminPort = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('the script is clean under shellcheck (bash)', () => {
    const shellcheck = requireTool('shellcheck');
    const { command } = preStopOf(5);
    expect(command.slice(0, 2)).toEqual(['bash', '-c']);
    const out = (() => {
      try {
        execFileSync(shellcheck, ['-s', 'bash', '-'], { input: command[2], encoding: 'utf8' });
        return '';
      } catch (e: any) {
        return String(e.stdout || e.message);
      }
    })();
    expect(out).toBe('');
  });

  test('asks the admin interface for a graceful drain by POST, then waits drainSeconds', async () => {
    requests.length = 0;
    const { command, env } = preStopOf(1);
    const result = await runHook(command, { ...env, ENVOY_ADMIN_PORT: String(adminPort) });
    expect(result.code).toBe(0);
    expect(requests).toEqual(['POST /drain_listeners?graceful 1.1']);
    expect(result.ms).toBeGreaterThanOrEqual(1000);
    expect(result.ms).toBeLessThan(5000);
  });

  test('environment values are data: a hostile value runs no command', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envoy-drain-'));
    const marker = path.join(dir, 'pwned');
    const { command } = preStopOf(1);
    const result = await runHook(command, {
      ENVOY_ADMIN_PORT: `${adminPort}; touch ${marker}`,
      ENVOY_DRAIN_SECONDS: `$(touch ${marker})`,
    });
    expect(result.code).not.toBe(null);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('still waits (and exits 0) when the admin interface does not answer', async () => {
    const closed = await freePort();
    const { command, env } = preStopOf(1);
    const result = await runHook(command, { ...env, ENVOY_ADMIN_PORT: String(closed) });
    expect(result.code).toBe(0);
    expect(result.ms).toBeGreaterThanOrEqual(1000);
  });
});
