import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { mib } from '../core/render';
import { checkAbsolutePath, checkInteger, checkRelativePath, checkUrl, derivedName } from '../core/names';
import { referenceSecretValue } from '../core/references';
import { shellPreamble } from '../core/shell';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { SharedVolume } from '../core/shared-volume';

const BRANCH_OR_TAG = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const TOKEN_USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Where the target volume is mounted in the clone container. */
const DATA_PATH = '/data';
/** Where the scratch volume (HOME and the git metadata) is mounted in the clone container. */
const SCRATCH_PATH = '/tmp';

/**
 * The script the clone container runs. Every value arrives through the environment:
 *
 * - CLONE_REPOSITORY: the repository URL (validated, no credentials)
 * - CLONE_REF: `HEAD`, `refs/heads/<branch>`, `refs/tags/<tag>` or a full commit id
 * - CLONE_DEPTH: the fetch depth
 * - CLONE_TARGET: the content directory (replaced on every run)
 * - CLONE_SCRATCH: a writable directory outside the content for the git metadata
 *
 * The git metadata lives in CLONE_SCRATCH (GIT_DIR) and is deleted at the end, so the content directory
 * holds the checked-out files only: no `.git`, no URL, no credentials. A token, when given, reaches git
 * through a credential helper set in the environment (GIT_CONFIG_*), never through argv or a file.
 */
const GIT_CLONE_SCRIPT = [
  shellPreamble('git-clone-content') + 'set -e',
  'GIT_DIR="${CLONE_SCRATCH:?}/repo.git"',
  'GIT_WORK_TREE="${CLONE_TARGET:?}"',
  'export GIT_DIR GIT_WORK_TREE',
  'rm -rf "$GIT_DIR" "$GIT_WORK_TREE"',
  'mkdir -p "$GIT_WORK_TREE" "$CLONE_SCRATCH"',
  'git init --quiet',
  'log "fetching $CLONE_REF from $CLONE_REPOSITORY (depth $CLONE_DEPTH)"',
  // '--' ends the options: a repository such as '--upload-pack=CMD' is a repository, never an option
  'git fetch --quiet --no-tags --depth "$CLONE_DEPTH" -- "$CLONE_REPOSITORY" "$CLONE_REF"',
  'git checkout --quiet --detach FETCH_HEAD',
  'commit=$(git rev-parse HEAD)',
  'case "$CLONE_REF" in',
  '  HEAD | refs/*) ;;',
  '  *) if [ "$commit" != "$CLONE_REF" ]; then die 1 "fetched commit $commit, expected $CLONE_REF"; fi ;;',
  'esac',
  '# Git LFS is not supported: its files would be served as pointer files. Refuse such a repository.',
  "lfs=$(git ls-files -- ':(attr:filter=lfs)' | sed -n 1p)",
  'if [ -n "$lfs" ]; then',
  '  rm -rf "$GIT_DIR" "$GIT_WORK_TREE"',
  '  die 3 "$CLONE_REPOSITORY stores $lfs (and maybe more) with Git LFS, which is not supported: the content would hold LFS pointer files instead of the files"',
  'fi',
  'rm -rf "$GIT_DIR"',
  'log "cloned $CLONE_REPOSITORY $CLONE_REF at commit $commit into $GIT_WORK_TREE"',
  '',
].join('\n');

/**
 * The credential helper given to git through `GIT_CONFIG_*` environment variables. It answers git's `get`
 * request from the environment; `printf` is a shell builtin, so the token is in no process's argv.
 */
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || return 0; printf \'username=%s\\npassword=%s\\n\' "$CLONE_USERNAME" "$CLONE_TOKEN"; }; f';

/**
 * The revision of a repository to check out: a branch, a tag, a commit, or the remote's default branch.
 */
export class GitRef {
  /** The branch the remote's HEAD points to (its default branch). */
  public static defaultBranch(): GitRef {
    return new GitRef('HEAD', 'default branch');
  }

  /** The tip of a branch, such as 'main' or 'release/2.x'. */
  public static branch(name: string): GitRef {
    return new GitRef(`refs/heads/${checkRefName('GitRef.branch', name)}`, `branch ${name}`);
  }

  /** A tag, such as 'v1.4.0' (annotated tags resolve to their commit). */
  public static tag(name: string): GitRef {
    return new GitRef(`refs/tags/${checkRefName('GitRef.tag', name)}`, `tag ${name}`);
  }

  /**
   * An exact commit, by its full id (40 hex digits for SHA-1, 64 for SHA-256). The server must allow
   * fetching a commit by id, as GitHub, GitLab and `git http-backend` with protocol v2 do.
   */
  public static commit(sha: string): GitRef {
    if (!COMMIT_ID.test(sha)) {
      throw new Error(
        "GitRef.commit: 'sha' must be a full commit id (40 or 64 lower-case hex digits; short ids cannot be " +
          `fetched), got ${JSON.stringify(sha)}`,
      );
    }
    return new GitRef(sha, `commit ${sha}`);
  }

  private constructor(
    /** What is fetched: `HEAD`, `refs/heads/<name>`, `refs/tags/<name>` or a commit id. */
    public readonly fetchRef: string,
    /** A description for logs and docs: 'branch main'. */
    public readonly description: string,
  ) {}

  /** The description: 'branch main', 'tag v1', 'commit 0123...'. */
  public toString(): string {
    return this.description;
  }
}

/** Checks a branch or tag name: a safe subset of git's ref-name rules. */
function checkRefName(owner: string, name: string): string {
  const bad =
    name.length > 200 ||
    !BRANCH_OR_TAG.test(name) ||
    name.includes('..') ||
    name.includes('//') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.split('/').some((segment) => segment.startsWith('.'));
  if (bad) {
    throw new Error(
      `${owner}: 'name' must be a git branch or tag name (letters, digits, '.', '_', '-' and '/'; no '..', ` +
        `no leading '-' or '.', not ending in '/', '.' or '.lock'), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** Options for `GitCloneContent.mountInto()`. */
export interface GitContentMountOptions {
  /**
   * The app container to mount into (a cdk8s-plus workload's; on another pod template, choose the app
   * container with `PodComposer.of(owner, { appContainer })`).
   * @default - the composer's app container: the workload's first container unless chosen otherwise
   */
  readonly container?: kplus.Container;

  /**
   * Mount read-only.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** Props for `GitCloneContent`. */
export interface GitCloneContentProps extends PodPatternProps {
  /**
   * The repository's https URL, without credentials (for example
   * 'https://github.com/company/website-content.git').
   */
  readonly repository: string;

  /**
   * The revision to check out.
   * @default GitRef.defaultBranch()
   */
  readonly gitRef?: GitRef;

  /**
   * How many commits of history to fetch (a shallow clone).
   * @default 1
   */
  readonly depth?: number;

  /**
   * An access token for a private repository, from a Secret. It reaches git through a credential helper that
   * reads it from the environment: it is never in a process's arguments or in any file.
   * @default - no token (a public repository)
   */
  readonly token?: kplus.SecretValue;

  /**
   * The user name sent with the token ('x-access-token' for GitHub, 'oauth2' for GitLab, 'x-token-auth' for
   * Bitbucket).
   * @default 'x-access-token'
   */
  readonly tokenUsername?: string;

  /**
   * The volume the content is written to; share it with the app (see `mountInto`).
   * @default - a new emptyDir named '<containerName>-content'
   */
  readonly volume?: SharedVolume;

  /**
   * The directory inside the volume that holds the content; the app mounts it with `subPath`. It is
   * replaced on every run.
   * @default 'content'
   */
  readonly subDirectory?: string;

  /**
   * Mount the content read-only into the app container at this path.
   * @default - not mounted; call `mountInto()`
   */
  readonly mountPath?: string;
}

/**
 * An init step that checks out a git repository into a shared volume before the app starts, so that the app
 * serves or reads the content without git or credentials in its own image.
 *
 * Unlike a hand-written `git clone https://$(TOKEN)@host/...`, the token never appears in a process's
 * arguments or in a file, and the content directory holds no `.git`: git's metadata lives in a separate
 * scratch volume and is deleted once the files are checked out. The log prints the commit checked out.
 *
 * Git LFS is not supported: the image enables LFS only in root's global git configuration, which the
 * non-root step never reads, so LFS files would arrive as pointer files. The step therefore fails (exit code
 * 3, naming a file) when the checked-out revision tracks any file with LFS.
 *
 * @example
 * const token = kplus.Secret.fromSecretName(chart, 'token', 'github-token');
 * new GitCloneContent(chart, 'git-clone', {
 *   workload: deployment,
 *   repository: 'https://github.com/company/website-content.git',
 *   gitRef: GitRef.branch('main'),
 *   token: { secret: token, key: 'token' },
 *   subDirectory: 'html',
 *   mountPath: '/usr/share/nginx/html',
 * });
 */
export class GitCloneContent extends PodPattern {
  /** The default image: git 2.49.1 on Alpine, built for amd64, arm64 and more (see docs/images.md). */
  public static readonly DEFAULT_IMAGE = 'alpine/git:2.49.1';

  /** The volume that holds the content. */
  public readonly volume: SharedVolume;

  /** The directory inside `volume` that holds the content (the `subPath` consumers mount). */
  public readonly subDirectory: string;

  /** The revision checked out. */
  public readonly gitRef: GitRef;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: GitCloneContentProps) {
    super(scope, id, props);
    const owner = this.owner;
    checkUrl(owner, 'repository', props.repository, ['https']);
    this.gitRef = props.gitRef ?? GitRef.defaultBranch();
    const depth = checkInteger(owner, 'depth', props.depth ?? 1, 1, 1_000_000);
    this.subDirectory = checkRelativePath(owner, 'subDirectory', props.subDirectory ?? 'content');
    const tokenUsername = props.tokenUsername ?? 'x-access-token';
    if (!TOKEN_USERNAME.test(tokenUsername) || tokenUsername.length > 100) {
      throw new Error(
        `${owner}: 'tokenUsername' must be a user name of letters, digits, '.', '_', '@' and '-', got ` +
          JSON.stringify(tokenUsername),
      );
    }
    if (props.token !== undefined) referenceSecretValue(owner, this.composer, 'token', props.token);

    this.volume = props.volume ?? SharedVolume.emptyDir(this, derivedName(this.containerName, 'content'));
    const scratch = SharedVolume.emptyDir(this, derivedName(this.containerName, 'scratch'));

    const env: { [name: string]: kplus.EnvValue } = {
      HOME: kplus.EnvValue.fromValue(SCRATCH_PATH),
      GIT_TERMINAL_PROMPT: kplus.EnvValue.fromValue('0'),
      CLONE_REPOSITORY: kplus.EnvValue.fromValue(props.repository),
      CLONE_REF: kplus.EnvValue.fromValue(this.gitRef.fetchRef),
      CLONE_DEPTH: kplus.EnvValue.fromValue(String(depth)),
      CLONE_TARGET: kplus.EnvValue.fromValue(`${DATA_PATH}/${this.subDirectory}`),
      CLONE_SCRATCH: kplus.EnvValue.fromValue(SCRATCH_PATH),
    };
    if (props.token) {
      Object.assign(env, {
        CLONE_USERNAME: kplus.EnvValue.fromValue(tokenUsername),
        CLONE_TOKEN: kplus.EnvValue.fromSecretValue(props.token),
        GIT_CONFIG_COUNT: kplus.EnvValue.fromValue('1'),
        GIT_CONFIG_KEY_0: kplus.EnvValue.fromValue('credential.helper'),
        GIT_CONFIG_VALUE_0: kplus.EnvValue.fromValue(CREDENTIAL_HELPER),
      });
    }

    this.composer.addInitStep(
      {
        name: this.containerName,
        image: props.image ?? GitCloneContent.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        usesNetwork: true,
        command: ['sh', '-c', GIT_CLONE_SCRIPT],
        env,
        mounts: [
          { volume: this.volume, path: DATA_PATH, readOnly: false },
          { volume: scratch, path: SCRATCH_PATH, readOnly: false },
        ],
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
          memory: { request: mib(64), limit: mib(256) },
        },
      },
      { after: props.after },
    );

    if (props.mountPath !== undefined) {
      this.mountInto(props.mountPath);
    }
  }

  /**
   * Mounts the content directory into an app container (read-only by default), with `subPath` set to
   * `subDirectory`.
   *
   * @param path the absolute mount path in the app container
   */
  public mountInto(path: string, options: GitContentMountOptions = {}): void {
    const mountPath = checkAbsolutePath(this.owner, 'mountPath', path);
    if (mountPath === '/') {
      throw new Error(
        `${this.owner}: 'mountPath' must not be '/', got "/"; use a directory such as '/usr/share/nginx/html'`,
      );
    }
    this.composer.mountIntoApp(this.volume, mountPath, {
      subPath: this.subDirectory,
      readOnly: options.readOnly ?? true,
      container: options.container,
    });
  }
}
