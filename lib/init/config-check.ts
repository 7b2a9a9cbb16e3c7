import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkAbsolutePath, checkRelativePath } from '../core/names';
import { InitStep } from '../core/pod-parts';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { referenceVolume } from '../core/references';
import { SHELL_STEP_RESOURCES } from '../core/render';
import { BUSYBOX_IMAGE, shellPreamble } from '../core/shell';
import { SharedVolume } from '../core/shared-volume';

/** Props for `ConfigCheck`. */
export interface ConfigCheckProps extends PodPatternProps {
  /**
   * The volume that holds the configuration, for example `SharedVolume.fromConfigMap(...)`. The step mounts
   * it read-only.
   */
  readonly volume: SharedVolume;

  /**
   * The files that must exist, relative to `mountPath` (for a ConfigMap: its keys, such as 'app.yaml').
   * Plain segments only: letters, digits, '.', '_', '-' and '/', no '..'.
   */
  readonly files: string[];

  /**
   * Where the step mounts the volume.
   * @default '/config'
   */
  readonly mountPath?: string;

  /**
   * Also fail when a file exists but is empty. Off by default because the seed checks existence only and
   * a ConfigMap key may legitimately be empty (a marker file).
   * @default false
   */
  readonly requireNonEmpty?: boolean;
}

/**
 * The step's script. Settings arrive in environment variables: CONFIG_DIR (absolute), CONFIG_FILES (one
 * relative name per line) and CONFIG_REQUIRE_NON_EMPTY ('true' or 'false'). One log line per file; on
 * failure a summary on stderr and, when the kubelet provides it, in the termination message.
 */
const CONFIG_CHECK_SCRIPT = `${shellPreamble('config-check')}dir=\${CONFIG_DIR:-}
nonempty=\${CONFIG_REQUIRE_NON_EMPTY:-false}
case $dir in /*) ;; *) die 2 "CONFIG_DIR must be an absolute path, got '$dir'" ;; esac
# Prints one line for file $1; returns 1 when it fails the check.
check() {
  case /$1/ in *//* | */../* | */./*) log "BAD NAME $1"; return 1 ;; esac
  path=$dir/$1
  if [ ! -e "$path" ]; then log "MISSING $path"; return 1; fi
  if [ ! -f "$path" ]; then log "NOT A FILE $path"; return 1; fi
  if [ "$nonempty" = true ] && [ ! -s "$path" ]; then log "EMPTY $path"; return 1; fi
  # stat, not wc: the size without opening the file, which this user may not be allowed to read
  size=$(stat -L -c %s "$path" 2>/dev/null) || size='?'
  log "ok $path ($size bytes)"
}
count=0 failed=0
while IFS= read -r file; do
  [ -n "$file" ] || continue
  count=$((count + 1))
  check "$file" </dev/null || failed=$((failed + 1))
done <<EOF
\${CONFIG_FILES:-}
EOF
[ "$count" -gt 0 ] || die 2 'CONFIG_FILES names no file'
if [ "$failed" -gt 0 ]; then
  die 1 "FAILED: $failed of $count required file(s) not usable in $dir (see above); check the volume mounted there"
fi
log "Config OK ($count file(s) in $dir)"
`;

/**
 * An init step that fails fast, with one clear log line per file, unless the configuration files the app
 * needs are present on a mounted volume (typically a ConfigMap): the seed's `check-config` step.
 *
 * It renders one init container (default image `busybox:1.37.0`, 10m/16Mi requested, 50m/32Mi limit, non-root,
 * read-only root file system) that mounts the volume read-only at `mountPath` and checks each file with
 * `test -e`/`test -f` (and `test -s` with `requireNonEmpty`). File names and the path reach the script
 * through environment variables, never inside its text. On failure it exits 1 and writes the summary to the
 * container's termination message, so `kubectl describe pod` shows it.
 *
 * The step does not mount the volume into the app: do that with `composer.mountIntoApp(volume, path)`.
 *
 * @example
 * const app = new AppWorkload(chart, 'my-app', {
 *   kind: WorkloadKind.pod(),
 *   container: { name: 'app', image: 'my-app:2.1.0', portNumber: 8080 },
 * });
 * const config = SharedVolume.fromConfigMap(chart, kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app-config'), {
 *   name: 'config-vol',
 * });
 * new ConfigCheck(chart, 'check-config', { workload: app.workload, volume: config, files: ['app.yaml'] });
 * app.composer.mountIntoApp(config, '/config');
 */
export class ConfigCheck extends PodPattern {
  /** The init step this pattern added. */
  public readonly step: InitStep;

  /** Where the step mounts the volume. */
  public readonly mountPath: string;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: ConfigCheckProps) {
    super(scope, id, props);
    if (props.files.length === 0) {
      throw new Error(`${this.owner}: 'files' must name at least one file to check (such as 'app.yaml'), got []`);
    }
    const seen = new Set<string>();
    for (const file of props.files) {
      checkRelativePath(this.owner, 'files', file);
      if (seen.has(file)) {
        throw new Error(`${this.owner}: 'files' lists ${JSON.stringify(file)} twice; list each file once`);
      }
      seen.add(file);
    }
    this.mountPath = checkAbsolutePath(this.owner, 'mountPath', props.mountPath ?? '/config');
    if (this.mountPath === '/') {
      throw new Error(`${this.owner}: 'mountPath' must not be '/', got "/"; use a directory such as '/config'`);
    }
    const requireNonEmpty = props.requireNonEmpty ?? false;
    // the app mounts the same configuration: a change of a ConfigMap of this app rolls the pods
    referenceVolume(this.owner, this.composer, props.volume, this.containerName);
    this.step = this.composer.addInitStep(
      {
        name: this.containerName,
        image: props.image ?? BUSYBOX_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        command: ['sh', '-c', CONFIG_CHECK_SCRIPT],
        env: {
          CONFIG_DIR: kplus.EnvValue.fromValue(this.mountPath),
          CONFIG_FILES: kplus.EnvValue.fromValue(props.files.join('\n')),
          CONFIG_REQUIRE_NON_EMPTY: kplus.EnvValue.fromValue(String(requireNonEmpty)),
        },
        mounts: [{ volume: props.volume, path: this.mountPath, readOnly: true }],
        resources: props.resources ?? SHELL_STEP_RESOURCES,
      },
      { after: props.after },
    );
  }
}
