/**
 * GitCloneContent's script, run under busybox sh with git on PATH against a real repository served by
 * `git http-backend` behind a loopback HTTP server that demands the token (HTTP Basic).
 *
 * The construct only accepts https URLs; the test server speaks plain http on 127.0.0.1, so the tests
 * override CLONE_REPOSITORY in the environment (the construct's validation stays strict).
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GitCloneContent, GitRef } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';
import { busyboxBin, requireTool, runScript, scriptOf, shellcheck, tempDir } from './harness';

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';
// Shell metacharacters in the token prove it is handled as data all the way to the server.
const TOKEN = 's3cr3t-T0ken_$(touch PWNED);`id`"\'';
const USERNAME = 'x-access-token';

let server: http.Server;
let baseUrl: string;
let commits: { first: string; second: string; third: string };
let requests = 0;
const dirs: string[] = [];

/** A temporary directory removed in afterAll. */
function scratchDir(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** Runs git with a fixed identity in `cwd`; returns stdout. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync(requireTool('git'), args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim();
}

/** Serves `root` through git-http-backend (CGI), after checking HTTP Basic credentials. */
function startServer(root: string): Promise<string> {
  const expected = `Basic ${Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64')}`;
  server = http.createServer((req, res) => {
    requests++;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('unauthorized\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const env: { [name: string]: string } = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
      REMOTE_USER: USERNAME,
      REMOTE_ADDR: '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = String(req.headers['content-length']);
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    const cgi = spawn(HTTP_BACKEND, [], { env });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as any).port}`)),
  );
}

/** The synthesized clone container for the given props. */
function cloneContainer(ref?: GitRef): { script: string; env: { [name: string]: string } } {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27-alpine', portNumber: 80 }] });
  new GitCloneContent(chart, 'git-clone', {
    workload: deployment,
    repository: 'https://git.example.com/company/site.git',
    gitRef: ref,
    token: { secret: kplus.Secret.fromSecretName(chart, 't', 'github-token'), key: 'token' },
    subDirectory: 'html',
  });
  return scriptOf(containerNamed(onlyPodSpec(synthValid(chart)), 'git-clone'));
}

/**
 * The clone container's env, pointed at the test server, with `scratch` for the git metadata (and HOME) and
 * `content` for the checked-out files.
 */
function localEnv(env: { [name: string]: string }, scratch: string, content: string): { [name: string]: string } {
  return {
    ...env,
    PATH: busyboxBin(['git']),
    HOME: scratch,
    CLONE_SCRATCH: scratch,
    CLONE_TARGET: content,
    CLONE_REPOSITORY: `${baseUrl}/site.git`,
    CLONE_TOKEN: TOKEN,
  };
}

/** Every file under `dir` (recursively), including dot files. */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

interface CloneRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly data: string;
  readonly scratch: string;
  readonly content: string;
  readonly argv: string;
  readonly trace: string;
  readonly cwd: string;
}

/**
 * Runs the clone script with a recording `git` shim first on PATH (it logs its argv, then runs the real git)
 * and GIT_TRACE on, so that every command git itself runs (credential helper, remote helper) is logged too.
 */
async function runClone(
  ref: GitRef | undefined,
  token: string,
  overrides: { [name: string]: string } = {},
): Promise<CloneRun> {
  const work = scratchDir('git-clone-run');
  const data = path.join(work, 'data');
  const scratch = path.join(work, 'scratch');
  const shims = path.join(work, 'shims');
  fs.mkdirSync(data);
  fs.mkdirSync(scratch);
  fs.mkdirSync(shims);
  const argvLog = path.join(work, 'git-argv.log');
  const traceLog = path.join(work, 'git-trace.log');
  const realGit = requireTool('git');
  fs.writeFileSync(
    path.join(shims, 'git'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\037' "$a"; done >> '${argvLog}'\necho >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
    { mode: 0o755 },
  );
  const { script, env } = cloneContainer(ref);
  const result = await runScript(script, {
    cwd: work,
    timeoutMs: 30000,
    env: {
      ...localEnv(env, scratch, path.join(data, 'html')),
      PATH: `${shims}:${busyboxBin(['git'])}`,
      CLONE_TOKEN: token,
      GIT_TRACE: traceLog,
      GIT_CONFIG_NOSYSTEM: '1',
      ...overrides,
    },
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  return {
    code: result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    data,
    scratch,
    content: path.join(data, 'html'),
    argv: read(argvLog),
    trace: read(traceLog),
    cwd: work,
  };
}

/** Asserts that the token is in no file under `dir` and no argv, and that there is no `.git` in the content. */
function expectNoLeak(run: CloneRun): void {
  const needles = [Buffer.from(TOKEN), Buffer.from(Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64'))];
  for (const dir of [run.data, run.scratch]) {
    for (const file of walk(dir)) {
      if (fs.statSync(file).isDirectory()) continue;
      const bytes = fs.readFileSync(file);
      for (const needle of needles) expect({ file, leaks: bytes.includes(needle) }).toEqual({ file, leaks: false });
    }
  }
  expect(walk(run.data).filter((p) => path.basename(p) === '.git')).toEqual([]);
  expect(run.argv).not.toContain(TOKEN);
  expect(run.trace).not.toContain(TOKEN);
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  expect(fs.existsSync(path.join(run.cwd, 'PWNED'))).toBe(false);
}

beforeAll(async () => {
  requireTool('git');
  requireTool('busybox');
  if (!fs.existsSync(HTTP_BACKEND)) throw new Error(`integration tests need ${HTTP_BACKEND} (apt-get install -y git)`);
  const root = scratchDir('git-clone-root');
  const work = path.join(root, 'work');
  fs.mkdirSync(work);
  git(work, 'init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(path.join(work, 'index.html'), '<h1>first</h1>\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'tag', '-a', 'v1', '-m', 'release 1');
  git(work, 'branch', 'feature');
  fs.writeFileSync(path.join(work, 'index.html'), '<h1>second</h1>\n');
  git(work, 'commit', '--quiet', '-am', 'second');
  fs.writeFileSync(path.join(work, 'index.html'), '<h1>third</h1>\n');
  fs.mkdirSync(path.join(work, 'css'));
  fs.writeFileSync(path.join(work, 'css', 'site.css'), 'h1 { color: red }\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'third');
  commits = {
    first: git(work, 'rev-parse', 'v1^{commit}'),
    second: git(work, 'rev-parse', 'HEAD~1'),
    third: git(work, 'rev-parse', 'HEAD'),
  };
  // a branch that stores a file with Git LFS (a pointer file in git, as git-lfs commits it)
  git(work, 'checkout', '--quiet', '-b', 'lfs');
  fs.writeFileSync(path.join(work, '.gitattributes'), '*.bin filter=lfs diff=lfs merge=lfs -text\n');
  fs.writeFileSync(
    path.join(work, 'video.bin'),
    'version https://git-lfs.github.com/spec/v1\noid sha256:' + '0'.repeat(64) + '\nsize 1048576\n',
  );
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'lfs');
  git(work, 'checkout', '--quiet', 'main');
  git(root, 'clone', '--quiet', '--bare', work, path.join(root, 'site.git'));
  baseUrl = await startServer(root);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('the generated script passes shellcheck', () => {
  expect(shellcheck(cloneContainer(GitRef.branch('main')).script)).toBe('');
  expect(shellcheck(cloneContainer().script)).toBe('');
});

test('the server really demands the token', async () => {
  const before = requests;
  const run = await runClone(GitRef.branch('main'), 'wrong-token');
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/Authentication failed/);
  expect(requests).toBeGreaterThan(before);
  expect(fs.readdirSync(run.content)).toEqual([]);
  expect(run.stdout + run.stderr).not.toContain('wrong-token');
});

test('clones the default branch with the token, logs the commit, leaks nothing', async () => {
  const run = await runClone(undefined, TOKEN);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`at commit ${commits.third}`);
  expect(fs.readFileSync(path.join(run.content, 'index.html'), 'utf8')).toBe('<h1>third</h1>\n');
  expect(fs.readFileSync(path.join(run.content, 'css', 'site.css'), 'utf8')).toBe('h1 { color: red }\n');
  expect(fs.readdirSync(run.content).sort()).toEqual(['css', 'index.html']);
  // git's metadata is gone from the scratch volume too
  expect(fs.readdirSync(run.scratch)).toEqual([]);
  expectNoLeak(run);
  // the argv log really recorded git's calls, and GIT_TRACE saw the credential helper run
  expect(run.argv).toContain('fetch');
  expect(run.trace).toMatch(/credential|run_command/);
});

test('checks out a branch', async () => {
  const run = await runClone(GitRef.branch('feature'), TOKEN);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`refs/heads/feature at commit ${commits.first}`);
  expect(fs.readFileSync(path.join(run.content, 'index.html'), 'utf8')).toBe('<h1>first</h1>\n');
  expectNoLeak(run);
});

test('checks out an annotated tag at its commit', async () => {
  const run = await runClone(GitRef.tag('v1'), TOKEN);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`refs/tags/v1 at commit ${commits.first}`);
  expect(fs.readFileSync(path.join(run.content, 'index.html'), 'utf8')).toBe('<h1>first</h1>\n');
  expectNoLeak(run);
});

test('checks out a commit that is not a branch tip, by its id', async () => {
  const run = await runClone(GitRef.commit(commits.second), TOKEN);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`at commit ${commits.second}`);
  expect(fs.readFileSync(path.join(run.content, 'index.html'), 'utf8')).toBe('<h1>second</h1>\n');
  expectNoLeak(run);
});

test('a second run replaces the content (an init container restarted after a failure)', async () => {
  const first = await runClone(GitRef.branch('main'), TOKEN);
  expect(first.code).toBe(0);
  fs.writeFileSync(path.join(first.content, 'stale.html'), 'stale');
  const { script, env } = cloneContainer(GitRef.tag('v1'));
  const again = await runScript(script, { env: localEnv(env, first.scratch, first.content) });
  expect(again.code).toBe(0);
  expect(fs.readdirSync(first.content)).toEqual(['index.html']);
  expect(fs.readFileSync(path.join(first.content, 'index.html'), 'utf8')).toBe('<h1>first</h1>\n');
});

test('a hostile ref that reached the environment is passed to git as data and runs nothing', async () => {
  // The construct rejects such a ref (see the unit tests); this proves the script would not run it either.
  const run = await runClone(GitRef.branch('main'), TOKEN, { CLONE_REF: 'refs/heads/main;touch PWNED;$(touch PWNED)' });
  expect(run.code).not.toBe(0);
  expect(fs.existsSync(path.join(run.cwd, 'PWNED'))).toBe(false);
  expect(fs.existsSync(path.join(run.scratch, 'PWNED'))).toBe(false);
});

test('fails when the checked-out commit is not the one asked for', async () => {
  // git itself never does this; simulate a server that answers with another commit by fetching main instead.
  const { script, env } = cloneContainer(GitRef.commit(commits.second));
  const tampered = script.replace('"$CLONE_REPOSITORY" "$CLONE_REF"', '"$CLONE_REPOSITORY" refs/heads/main');
  expect(tampered).not.toBe(script);
  const work = scratchDir('git-clone-mismatch');
  const result = await runScript(tampered, {
    env: localEnv(env, path.join(work, 'scratch'), path.join(work, 'data', 'html')),
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`fetched commit ${commits.third}, expected ${commits.second}`);
});

test('refuses a revision that stores files with Git LFS, which it does not support, and serves nothing', async () => {
  // GIVEN a branch whose .gitattributes sends *.bin through the LFS filter
  // WHEN it is cloned
  const run = await runClone(GitRef.branch('lfs'), TOKEN);
  // THEN the step fails with its own exit code, names a file, and leaves no pointer files to serve
  expect(run.code).toBe(3);
  expect(run.stderr).toContain('stores video.bin (and maybe more) with Git LFS, which is not supported');
  expect(fs.existsSync(run.content)).toBe(false);
  expectNoLeak(run);
});
