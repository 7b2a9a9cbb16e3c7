/**
 * What the two log-shipping sidecars (Fluent Bit, Fluentd) share (internal: not re-exported, not a pattern).
 */
import * as kplus from 'cdk8s-plus-28';
import { checkAbsolutePath, checkEnvName } from '../core/names';
import { PodComposer } from '../core/pod-composer';
import { SharedVolume } from '../core/shared-volume';

/**
 * Adds the user's `env` to the variables the sidecar sets itself, refusing to overwrite one of them.
 *
 * @param why what the sidecar's own variables carry and the fix, for the message
 *   ("carries an output's credential; choose another name")
 */
export function mergeUserEnv(
  owner: string,
  own: { [name: string]: kplus.EnvValue },
  user: { [name: string]: kplus.EnvValue } | undefined,
  why: string,
): { [name: string]: kplus.EnvValue } {
  const env = { ...own };
  for (const [name, value] of Object.entries(user ?? {})) {
    checkEnvName(owner, 'env', name);
    if (env[name] !== undefined) {
      throw new Error(`${owner}: 'env' must not set ${name}, which ${why}`);
    }
    env[name] = value;
  }
  return env;
}

/** Mounts the log volume read-write into the app container at `appMountPath`, when it is given. */
export function mountLogsIntoApp(
  owner: string,
  composer: PodComposer,
  logVolume: SharedVolume,
  appMountPath: string | undefined,
): void {
  if (appMountPath === undefined) return;
  const path = checkAbsolutePath(owner, 'appMountPath', appMountPath);
  composer.mountIntoApp(logVolume, path, { readOnly: false });
}
