/**
 * Import cost: how long `require()` of a module takes in a fresh Node process (the module cache empty, the
 * files in the OS cache), measured inside the child around the `require` alone, so that Node's own start-up
 * is not counted.
 */
import { spawnSync } from 'child_process';
import { median } from './stats';

const PROBE =
  'const t0 = process.hrtime.bigint(); require(process.argv[1]); ' +
  'process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));';

/** One fresh process's `require` time of `modulePath`, in ms. */
export function requireMs(modulePath: string): number {
  const child = spawnSync(process.execPath, ['-e', PROBE, modulePath], { encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(`bench: requiring ${modulePath} failed in a fresh process: ${child.stderr}`);
  }
  return Number(child.stdout);
}

/** Import times of several modules: `repeats` fresh processes each, interleaved; medians in ms. */
export function importTimes(modules: { [name: string]: string }, repeats: number) {
  const samples: { [name: string]: number[] } = {};
  for (const name of Object.keys(modules)) samples[name] = [];
  for (let r = 0; r < repeats; r++) {
    for (const [name, path] of Object.entries(modules)) samples[name].push(requireMs(path));
  }
  const medians: { [name: string]: number } = {};
  for (const [name, values] of Object.entries(samples)) medians[name] = median(values);
  return { medians, samples };
}
