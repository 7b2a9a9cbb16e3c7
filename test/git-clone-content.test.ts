import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppWorkload, GitCloneContent, GitCloneContentProps, GitRef, SharedVolume, WorkloadKind } from '../lib';
import { containerNamed, envOf, onlyPodSpec, synthValid } from './util/manifest';

const REPO = 'https://github.com/company/website-content.git';
const SHA = '0123456789abcdef0123456789abcdef01234567';

/** A chart with an nginx Deployment (plain cdk8s-plus) to attach to. */
function nginx(): { chart: any; deployment: kplus.Deployment } {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27-alpine', portNumber: 80 }] });
  return { chart, deployment };
}

/** Synthesizes one GitCloneContent on a plain Deployment and returns its clone container and pod spec. */
function render(props: Partial<GitCloneContentProps> = {}): { clone: any; spec: any } {
  const { chart, deployment } = nginx();
  new GitCloneContent(chart, 'git-clone', { workload: deployment, repository: REPO, ...props });
  const spec = onlyPodSpec(synthValid(chart));
  return { clone: containerNamed(spec, 'git-clone'), spec };
}

function attach(props: Partial<GitCloneContentProps>, scope?: Construct): () => GitCloneContent {
  const { chart, deployment } = nginx();
  return () => new GitCloneContent(scope ?? chart, 'git-clone', { workload: deployment, repository: REPO, ...props });
}

describe('GitCloneContent', () => {
  test('on AppWorkload: a shallow clone of the default branch into an emptyDir, as uid 65534 on a read-only root', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', {
      kind: WorkloadKind.deployment({ replicas: 2 }),
      container: { image: 'nginx:1.27-alpine', portNumber: 80 },
    });
    new GitCloneContent(chart, 'git-clone', { workload: app.workload, repository: REPO });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();

    const spec = onlyPodSpec(manifests);
    const clone = containerNamed(spec, 'git-clone');
    expect(clone.image).toBe('alpine/git:2.49.1');
    expect(clone.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(envOf(clone)).toEqual({
      HOME: '/tmp',
      GIT_TERMINAL_PROMPT: '0',
      CLONE_REPOSITORY: REPO,
      CLONE_REF: 'HEAD',
      CLONE_DEPTH: '1',
      CLONE_TARGET: '/data/content',
      CLONE_SCRATCH: '/tmp',
    });
    expect(clone.securityContext).toMatchObject({ runAsUser: 65534, readOnlyRootFilesystem: true });
    expect(clone.volumeMounts).toEqual([
      { name: 'git-clone-content', mountPath: '/data', readOnly: false },
      { name: 'git-clone-scratch', mountPath: '/tmp', readOnly: false },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'git-clone-content', emptyDir: {} },
      { name: 'git-clone-scratch', emptyDir: {} },
    ]);
    // not mounted into the app unless asked
    expect(spec.containers[0].volumeMounts).toBeUndefined();
  });

  test('on a plain cdk8s-plus Deployment: token from a Secret through a credential helper, content mounted read-only', () => {
    const { chart, deployment } = nginx();
    const token = kplus.Secret.fromSecretName(chart, 'token', 'github-token');
    new GitCloneContent(chart, 'git-clone', {
      workload: deployment,
      repository: REPO,
      gitRef: GitRef.branch('main'),
      token: { secret: token, key: 'token' },
      subDirectory: 'html',
      mountPath: '/usr/share/nginx/html',
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();

    const spec = onlyPodSpec(manifests);
    const clone = containerNamed(spec, 'git-clone');
    const env = envOf(clone);
    expect(env.CLONE_TOKEN).toEqual({ secretKeyRef: { name: 'github-token', key: 'token' } });
    expect(env.CLONE_USERNAME).toBe('x-access-token');
    expect(env.GIT_CONFIG_KEY_0).toBe('credential.helper');
    // the helper names the variable; the token itself is nowhere in the container's text
    expect(env.GIT_CONFIG_VALUE_0).toContain('"$CLONE_TOKEN"');
    expect(JSON.stringify(clone.command)).not.toMatch(/CLONE_TOKEN|@github/);
    expect(env.CLONE_TARGET).toBe('/data/html');
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'git-clone-content', mountPath: '/usr/share/nginx/html', subPath: 'html', readOnly: true },
    ]);
  });

  test('the script is the same whatever the values: they arrive only through the environment', () => {
    const a = render().clone.command;
    const b = render({
      gitRef: GitRef.commit(SHA),
      depth: 50,
      subDirectory: 'a/b',
      token: { secret: kplus.Secret.fromSecretName(Testing.chart(), 's', 'x'), key: 'k' },
    }).clone.command;
    expect(b).toEqual(a);
    expect(a[2]).not.toContain('github.com');
    // kubelet expands $(NAME) of a container env var, and '$$' to '$', in command and args: the script has neither
    for (const name of Object.keys(
      envOf(render({ token: { secret: kplus.Secret.fromSecretName(Testing.chart(), 's', 'x'), key: 'k' } }).clone),
    )) {
      expect(a[2]).not.toContain(`$(${name})`);
    }
    expect(a[2]).not.toContain('$$');
  });

  test.each([
    [GitRef.defaultBranch(), 'HEAD', 'default branch'],
    [GitRef.branch('release/2.x'), 'refs/heads/release/2.x', 'branch release/2.x'],
    [GitRef.tag('v1.4.0'), 'refs/tags/v1.4.0', 'tag v1.4.0'],
    [GitRef.commit(SHA), SHA, `commit ${SHA}`],
  ])('ref %s fetches %s', (ref, fetched, description) => {
    expect(envOf(render({ gitRef: ref }).clone).CLONE_REF).toBe(fetched);
    expect(ref.toString()).toBe(description);
  });

  test('depth', () => {
    expect(envOf(render({ depth: 20 }).clone).CLONE_DEPTH).toBe('20');
  });

  test('tokenUsername', () => {
    const token = { secret: kplus.Secret.fromSecretName(Testing.chart(), 's', 'gitlab-token'), key: 'token' };
    expect(envOf(render({ token, tokenUsername: 'oauth2' }).clone).CLONE_USERNAME).toBe('oauth2');
  });

  test('a given volume is used and exposed', () => {
    const { chart, deployment } = nginx();
    const volume = SharedVolume.emptyDir(chart, 'web-content');
    const git = new GitCloneContent(chart, 'git-clone', { workload: deployment, repository: REPO, volume });
    expect(git.volume).toBe(volume);
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'git-clone').volumeMounts[0]).toEqual({
      name: 'web-content',
      mountPath: '/data',
      readOnly: false,
    });
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['web-content', 'git-clone-scratch']);
  });

  test('mountInto: another container, read-write on request, added after construction', () => {
    const { chart, deployment } = nginx();
    const git = new GitCloneContent(chart, 'git-clone', {
      workload: deployment,
      repository: REPO,
      subDirectory: 'site',
    });
    const sidecar = deployment.addContainer({ name: 'builder', image: 'builder:1' });
    git.mountInto('/srv/site', { container: sidecar, readOnly: false });
    const spec = onlyPodSpec(synthValid(chart));
    expect(containerNamed(spec, 'builder').volumeMounts).toEqual([
      { name: 'git-clone-content', mountPath: '/srv/site', subPath: 'site', readOnly: false },
    ]);
    expect(containerNamed(spec, 'main').volumeMounts).toBeUndefined();
  });

  test('image, resources and containerName', () => {
    const { chart, deployment } = nginx();
    new GitCloneContent(chart, 'git-clone', {
      workload: deployment,
      repository: REPO,
      image: 'registry.local/git:2.45',
      containerName: 'fetch-site',
      resources: { cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(200) } },
    });
    const spec = onlyPodSpec(synthValid(chart));
    const clone = containerNamed(spec, 'fetch-site');
    expect(clone.image).toBe('registry.local/git:2.45');
    expect(clone.resources).toEqual({ requests: { cpu: '20m' }, limits: { cpu: '200m' } });
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['fetch-site-content', 'fetch-site-scratch']);
  });

  test('runs after the steps named in after', () => {
    const { chart, deployment } = nginx();
    const first = new GitCloneContent(chart, 'first', { workload: deployment, repository: REPO, subDirectory: 'a' });
    const later = new GitCloneContent(chart, 'later', { workload: deployment, repository: REPO, subDirectory: 'b' });
    later.composer.addInitStep({ name: 'prepare', image: 'busybox:1.36' });
    new GitCloneContent(chart, 'last', {
      workload: deployment,
      repository: REPO,
      after: [first, later],
      subDirectory: 'c',
    });
    expect(onlyPodSpec(synthValid(chart)).initContainers.map((c: any) => c.name)).toEqual([
      'first',
      'later',
      'prepare',
      'last',
    ]);
  });
});

describe('GitCloneContent validation', () => {
  const owner = "GitCloneContent 'git-clone'";
  const urlError = (value: string) =>
    `${owner}: 'repository' must be a https URL without credentials, quotes, spaces or shell characters ` +
    `(for example https://service:8080/path), got ${JSON.stringify(value)}`;

  test.each([
    'http://github.com/company/site.git',
    'https://user:ghp_secret@github.com/company/site.git',
    'https://ghp_secret@github.com/company/site.git',
    "https://github.com/company/site.git'; touch /tmp/pwned; '",
    'https://github.com/$(touch /tmp/pwned).git',
    'https://github.com/company/site.git\ntouch /tmp/pwned',
    'git@github.com:company/site.git',
  ])('rejects the repository %j', (repository) => {
    expect(attach({ repository })).toThrow(urlError(repository));
  });

  test.each([
    'main; touch /tmp/pwned',
    '$(touch /tmp/pwned)',
    '-upload-pack=touch',
    'a..b',
    'feature/',
    '.hidden',
    'x.lock',
    'with space',
    'new\nline',
  ])('GitRef.branch rejects %j', (name) => {
    expect(() => GitRef.branch(name)).toThrow(
      "GitRef.branch: 'name' must be a git branch or tag name (letters, digits, '.', '_', '-' and '/'; no '..', " +
        `no leading '-' or '.', not ending in '/', '.' or '.lock'), got ${JSON.stringify(name)}`,
    );
  });

  test('GitRef.tag rejects a hostile name', () => {
    expect(() => GitRef.tag('v1`id`')).toThrow(
      "GitRef.tag: 'name' must be a git branch or tag name (letters, digits, '.', '_', '-' and '/'; no '..', " +
        "no leading '-' or '.', not ending in '/', '.' or '.lock'), got \"v1`id`\"",
    );
  });

  test.each(['abc1234', SHA.toUpperCase(), `${SHA};id`, `${SHA}0`])('GitRef.commit rejects %j', (sha) => {
    expect(() => GitRef.commit(sha)).toThrow(
      "GitRef.commit: 'sha' must be a full commit id (40 or 64 lower-case hex digits; short ids cannot be fetched), " +
        `got ${JSON.stringify(sha)}`,
    );
  });

  test.each([0, -1, 1.5, 2_000_000])('rejects depth %d', (depth) => {
    expect(attach({ depth })).toThrow(`${owner}: 'depth' must be a whole number from 1 to 1000000, got ${depth}`);
  });

  test.each(['../etc', '/abs', 'a/../b', 'a b', '$(id)'])('rejects subDirectory %j', (subDirectory) => {
    expect(attach({ subDirectory })).toThrow(
      `${owner}: 'subDirectory' must be a relative path of plain segments (letters, digits, '.', '_', '-'; no '..', ` +
        `no leading '/'), got ${JSON.stringify(subDirectory)}`,
    );
  });

  test('rejects a relative mountPath', () => {
    expect(attach({ mountPath: 'html' })).toThrow(`${owner}: 'mountPath' must be absolute (start with /), got "html"`);
  });

  test("rejects mounting the content over the app container's root", () => {
    expect(attach({ mountPath: '/' })).toThrow(
      `${owner}: 'mountPath' must not be '/', got "/"; use a directory such as '/usr/share/nginx/html'`,
    );
  });

  test('rejects a hostile tokenUsername', () => {
    expect(attach({ tokenUsername: 'x"; id; "' })).toThrow(
      `${owner}: 'tokenUsername' must be a user name of letters, digits, '.', '_', '@' and '-', got "x\\"; id; \\""`,
    );
  });

  test('rejects a bad token key', () => {
    const secret = kplus.Secret.fromSecretName(Testing.chart(), 's', 'github-token');
    expect(attach({ token: { secret, key: 'to ken' } })).toThrow(
      `${owner}: 'token.key' must be a Secret key (letters, digits, '-', '_' and '.', at most 253 characters), got "to ken"`,
    );
  });

  test('rejects a container name that is not a DNS label', () => {
    expect(attach({ containerName: 'Git_Clone' })).toThrow(
      `${owner}: 'containerName' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending ` +
        'with a letter or digit, at most 63 characters), got "Git_Clone"',
    );
  });

  test('rejects a hostile image', () => {
    expect(attach({ image: 'alpine/git:2.43.0; id' })).toThrow(
      `${owner}: 'image' must be an image reference such as 'busybox:1.36' or 'registry/name@sha256:...', ` +
        'got "alpine/git:2.43.0; id"',
    );
  });
});
