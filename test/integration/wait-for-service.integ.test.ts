/**
 * WaitForService's generated script, run under real busybox sh (only busybox applets on PATH) against
 * loopback servers that come up late, never come up, answer 500, or hold the connection open.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WaitForService, WaitForServiceProps, WaitTarget } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { busyboxBin, freePort, requireTool, runScript, scriptOf, shellcheck, tempDir } from './harness';

type WaitOptions = Omit<WaitForServiceProps, 'workload'>;

/** The script and env of a WaitForService step built with `props`. */
function waitStep(props: WaitOptions): { script: string; env: { [name: string]: string } } {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
  new WaitForService(chart, 'wait', { workload: deployment, ...props });
  return scriptOf(containerNamed(onlyPodSpec(synthValid(chart)), 'wait'));
}

/** What the running test started: closed after it, so that nothing outlives the test that needs it. */
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/**
 * Starts `server` on 127.0.0.1:port after `delayMs`. After the test, a start that has not happened yet is
 * cancelled and the server closes at once: every connection it holds (a half-open client, a keep-alive) is
 * destroyed first, so closing never waits for a client, however slow the machine.
 */
function listenLater(server: net.Server, port: number, delayMs: number): Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let timer: NodeJS.Timeout | undefined;
  cleanups.push(() => {
    clearTimeout(timer);
    sockets.forEach((socket) => socket.destroy());
    if (server instanceof http.Server) server.closeAllConnections();
    return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  });
  return new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    }, delayMs);
  });
}

/** A TCP listener on 127.0.0.1:port that starts after `delayMs` (Node closes each connection on the client's EOF). */
function tcpLaterOn(port: number, delayMs: number, options: net.ServerOpts = {}): Promise<void> {
  const server = net.createServer(options, () => undefined);
  return listenLater(server, port, delayMs);
}

/** An HTTP server on 127.0.0.1:port that starts after `delayMs` and answers `status`; records request paths. */
function httpLaterOn(port: number, delayMs: number, status: number, seen: string[] = []): Promise<void> {
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(status, status >= 300 && status < 400 ? { Location: '/ok' } : {});
    res.end('x');
  });
  return listenLater(server, port, delayMs);
}

const fast = { intervalSeconds: 1, attemptTimeoutSeconds: 1 };

describe('WaitForService script', () => {
  test('passes shellcheck for every prop combination', () => {
    const combos: WaitOptions[] = [
      { targets: [WaitTarget.tcp('postgres-svc', 5432)] },
      { targets: [WaitTarget.http('https://api.example.com/ready?x=1')], deadlineSeconds: 30 },
      {
        targets: [WaitTarget.tcp('a', 1), WaitTarget.http('http://b:8080/health')],
        intervalSeconds: 5,
        attemptTimeoutSeconds: 3,
        deadlineSeconds: 600,
      },
    ];
    for (const props of combos) {
      expect(shellcheck(waitStep(props).script)).toBe('');
    }
  });

  test('waits for a TCP listener that comes up late, then succeeds', async () => {
    const port = await freePort();
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast, deadlineSeconds: 20 });
    const started = Date.now();
    const [result] = await Promise.all([runScript(script, { env }), tcpLaterOn(port, 2000)]);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    // the elapsed seconds are the script's own clock: 0 on an idle machine, more on a loaded one
    expect(result.stdout).toMatch(
      new RegExp(`wait-for-service: tcp://127\\.0\\.0\\.1:${port} not ready \\(attempt 1, \\d+s elapsed\\): `),
    );
    expect(result.stdout).toMatch(new RegExp(`tcp://127\\.0\\.0\\.1:${port} is ready \\(attempt [2-9]`));
    expect(result.stdout).toContain('all 1 target(s) ready');
  });

  test('waits for an HTTP server that comes up late, then succeeds on 200', async () => {
    const port = await freePort();
    const { script, env } = waitStep({ targets: [WaitTarget.http(`http://127.0.0.1:${port}/healthz`)], ...fast });
    const seen: string[] = [];
    const [result] = await Promise.all([runScript(script, { env }), httpLaterOn(port, 2000, 200, seen)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('not ready (attempt 1');
    expect(result.stdout).toContain(`http://127.0.0.1:${port}/healthz is ready`);
    expect(seen).toContain('/healthz');
  });

  test('waits for several targets in order, each of them late', async () => {
    const [tcpPort, httpPort] = [await freePort(), await freePort()];
    const { script, env } = waitStep({
      targets: [WaitTarget.http(`http://127.0.0.1:${httpPort}/ready`), WaitTarget.tcp('127.0.0.1', tcpPort)],
      ...fast,
      deadlineSeconds: 20,
    });
    const [result] = await Promise.all([
      runScript(script, { env }),
      httpLaterOn(httpPort, 1500, 204),
      tcpLaterOn(tcpPort, 3000),
    ]);
    expect(result.code).toBe(0);
    const ready = result.stdout.split('\n').filter((l) => l.includes(' is ready '));
    expect(ready.map((l) => l.split(' ')[1])).toEqual([
      `http://127.0.0.1:${httpPort}/ready`,
      `tcp://127.0.0.1:${tcpPort}`,
    ]);
    expect(result.stdout).toContain('all 2 target(s) ready');
  });

  test('a target that never comes up: the deadline fires, the exit code is non-zero, the message names it', async () => {
    const port = await freePort();
    const { script, env } = waitStep({
      targets: [WaitTarget.tcp('127.0.0.1', port)],
      ...fast,
      deadlineSeconds: 3,
    });
    const started = Date.now();
    const result = await runScript(script, { env });
    const took = Date.now() - started;
    expect(result.code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(2900);
    // the deadline ends the wait; the margin is for a loaded machine, where each attempt starts late
    expect(took).toBeLessThan(8000);
    expect(result.stderr).toMatch(
      new RegExp(
        `^wait-for-service: gave up on tcp://127\\.0\\.0\\.1:${port}: not ready within the 3s deadline \\([2-4] attempt\\(s\\); last: `,
      ),
    );
    // the reason is nc's own last line, which differs between busybox builds (Debian's applet says
    // 'Connection refused'; the busybox:1.37.0 image's netcat-1.10-style applet prints nothing): only the
    // exit code and our own message are asserted here, both forms of the reason below
  });

  test("a refused connection with an nc that prints nothing (the image's applet) still names the reason", async () => {
    // GIVEN an nc that behaves like the busybox image's netcat-1.10-compatible applet on a refused
    // connection: no output, exit code 1
    const stubs = fs.mkdtempSync(path.join(os.tmpdir(), 'nc-stub-'));
    fs.writeFileSync(path.join(stubs, 'nc'), `#!${requireTool('busybox')} sh\nexit 1\n`, { mode: 0o755 });
    fs.chmodSync(stubs, 0o755);
    const port = await freePort();
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast, deadlineSeconds: 2 });
    // WHEN the step runs with it first on PATH
    const result = await runScript(script, { env: { ...env, PATH: `${stubs}:${busyboxBin()}` } });
    // THEN it gives up with exit code 1 and falls back to nc's exit code as the reason
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`gave up on tcp://127.0.0.1:${port}: not ready within the 2s deadline`);
    expect(result.stderr).toContain('last: exit code 1)');
    fs.rmSync(stubs, { recursive: true, force: true });
  });

  test("a refused connection with Debian's nc: the same exit code, its message as the reason", async () => {
    const port = await freePort();
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast, deadlineSeconds: 2 });
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/; last: .+\)\n$/);
  });

  test('an HTTP 500 is not success: the deadline fires', async () => {
    const port = await freePort();
    await httpLaterOn(port, 0, 500);
    const { script, env } = waitStep({
      targets: [WaitTarget.http(`http://127.0.0.1:${port}/health`)],
      ...fast,
      deadlineSeconds: 2,
    });
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/not ready \(attempt 1, \d+s elapsed\): HTTP 500; next try in 1s/);
    expect(result.stderr).toContain(`gave up on http://127.0.0.1:${port}/health: not ready within the 2s deadline`);
    expect(result.stderr).toContain('last: HTTP 500)');
  });

  test('a redirect is not success either (the first answer must be 2xx)', async () => {
    const port = await freePort();
    await httpLaterOn(port, 0, 302);
    const { script, env } = waitStep({
      targets: [WaitTarget.http(`http://127.0.0.1:${port}/health`)],
      ...fast,
      deadlineSeconds: 1,
    });
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('last: HTTP 302)');
  });

  test('a deadline stops the wait for a later target too, naming that target', async () => {
    const [up, down] = [await freePort(), await freePort()];
    await tcpLaterOn(up, 0);
    const { script, env } = waitStep({
      targets: [WaitTarget.tcp('127.0.0.1', up), WaitTarget.tcp('127.0.0.1', down)],
      ...fast,
      deadlineSeconds: 2,
    });
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`tcp://127.0.0.1:${up} is ready (attempt 1`);
    expect(result.stderr).toContain(`gave up on tcp://127.0.0.1:${down}:`);
  });

  test('a server that accepts but never answers or closes costs one attempt timeout, not a hang', async () => {
    const port = await freePort();
    await tcpLaterOn(port, 0, { allowHalfOpen: true });
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast, deadlineSeconds: 3 });
    const result = await runScript(script, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no answer within 1s');
  });

  test('without a deadline it keeps waiting (killed by the test after 3 s)', async () => {
    const port = await freePort();
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast });
    const result = await runScript(script, { env, timeoutMs: 3000 });
    expect(result.timedOut).toBe(true);
    expect(result.stdout.split('\n').filter((l) => l.includes('not ready')).length).toBeGreaterThanOrEqual(2);
  });

  test('hostile values put into the env by hand run nothing: they are rejected or passed to wget as data', async () => {
    const dir = tempDir('wait-hostile');
    const marker = path.join(dir, 'pwned');
    const port = await freePort();
    const seen: string[] = [];
    await httpLaterOn(port, 0, 200, seen);
    const { script, env } = waitStep({ targets: [WaitTarget.tcp('127.0.0.1', port)], ...fast, deadlineSeconds: 2 });
    const hostile = [
      `tcp://x;touch ${marker}:1`,
      `$(touch ${marker})`,
      `tcp://$(touch ${marker}):1`,
      `tcp://-e/bin/sh:${port}`,
      `\`touch ${marker}\``,
    ];
    for (const target of hostile) {
      const result = await runScript(script, { env: { ...env, WAIT_TARGETS: target } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('bad target');
    }
    const timing = await runScript(script, { env: { ...env, WAIT_INTERVAL_SECONDS: `a[$(touch ${marker})]` } });
    expect(timing.code).toBe(2);
    expect(timing.stderr).toContain('timings must be whole seconds');
    // A URL is handed to wget as one argument: the server sees the characters, the shell never runs them.
    const url = `http://127.0.0.1:${port}/$(touch${'${IFS}'}${marker})`;
    const asData = await runScript(script, { env: { ...env, WAIT_TARGETS: url } });
    expect(asData.code).toBe(0);
    expect(seen.some((p) => p.includes('$(touch'))).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
