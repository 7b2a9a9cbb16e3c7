/**
 * What the POSIX sh scripts of helper containers share, so that every step logs and fails the same way.
 * Scripts take every value from environment variables, never inside their text.
 */

const TAG = /^[a-z][a-z0-9-]*$/;

/**
 * The image the busybox script steps (WaitForService, ConfigCheck) run in by default: an exact, multi-arch
 * release of the Docker official image (see docs/images.md).
 */
export const BUSYBOX_IMAGE = 'busybox:1.37.0';

/**
 * The opening of a helper script: `set -u`, then two functions that prefix each line with `tag`:
 *
 * - `log MESSAGE` prints `<tag>: MESSAGE` on stdout;
 * - `die CODE MESSAGE` prints `<tag>: MESSAGE` on stderr, writes MESSAGE to the container's termination
 *   message when the kubelet provides one (so `kubectl describe pod` shows it), and exits with CODE.
 *
 * @param tag the step's name in its log lines, such as 'wait-for-service': a constant of the pattern
 */
export function shellPreamble(tag: string): string {
  if (!TAG.test(tag)) {
    throw new Error(`shellPreamble: 'tag' must be lower-case letters, digits and '-', got ${JSON.stringify(tag)}`);
  }
  return [
    'set -u',
    `log() { printf '${tag}: %s\\n' "$1"; }`,
    'die() {',
    `  printf '${tag}: %s\\n' "$2" >&2`,
    `  if [ -w /dev/termination-log ]; then printf '%s\\n' "$2" >/dev/termination-log; fi`,
    '  exit "$1"',
    '}',
    '',
  ].join('\n');
}
