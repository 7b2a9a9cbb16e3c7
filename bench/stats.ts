/**
 * Small measuring helpers.
 */
import { runInNewContext } from 'vm';
import { setFlagsFromString } from 'v8';

/** The median (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * A full garbage collection, run between timed runs so that no run pays for the garbage of the one before.
 * Node exposes `gc` only with --expose-gc; the flag set at run time makes it available in a new context.
 */
export function fullGc(): () => void {
  const existing = (globalThis as any).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}
