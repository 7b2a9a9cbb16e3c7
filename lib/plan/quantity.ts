/**
 * Kubernetes quantities: '250m', '0.5', '64Mi', '1G', '1e3'. CPU is counted in millicores and memory in bytes,
 * rounded up as Kubernetes rounds them.
 */

import { memoByKey } from '../core/memo';

const BINARY: { [suffix: string]: number } = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: { [suffix: string]: number } = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** The value of a quantity in base units (cores, bytes), or undefined when the text is not a quantity. */
export function quantityValue(quantity: unknown): number | undefined {
  if (typeof quantity !== 'string' && typeof quantity !== 'number') return undefined;
  // manifests repeat a handful of quantities ('10m', '64Mi') thousands of times: each is parsed once
  return parsed(String(quantity));
}

const parsed = memoByKey(parse);

function parse(text: string): number | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Rounds up, ignoring the noise of binary floating point (0.1 * 1000 is 100, not 101). */
function ceilClean(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < 1e-6 ? nearest : Math.ceil(value);
}

/** A CPU quantity in millicores. */
export function cpuMillis(value: number): number {
  return ceilClean(value * 1000);
}

/** A memory quantity in bytes. */
export function memoryBytes(value: number): number {
  return ceilClean(value);
}

/** Millicores as a quantity: '750m'. */
export function formatCpu(millis: number): string {
  return `${millis}m`;
}

/** Bytes as a quantity in the largest binary unit that divides them: '320Mi', '1Gi', '1000'. */
export function formatMemory(bytes: number): string {
  for (const [suffix, factor] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return `${bytes}`;
}
