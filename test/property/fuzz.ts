/**
 * The property-test harness: a fixed seed (FC_SEED, default below) so that CI runs are reproducible, the
 * number of cases per property and per file printed, and a failure that prints what replays it.
 *
 * The property every construct is held to: building it and synthesizing its chart either throws an
 * `Error` (exactly `Error`, no TypeError or RangeError) whose message names a prop or the object, or
 * yields output that `assertAccepted` accepts.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { assertAccepted } from './accepted';

/** The seed every property runs with: FC_SEED, else a constant. */
export const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20260401;
/** Scales every property's number of runs (FC_RUNS_FACTOR=10 for a long run). */
const FACTOR = process.env.FC_RUNS_FACTOR !== undefined ? Number(process.env.FC_RUNS_FACTOR) : 1;

const counts: Array<{ name: string; runs: number; thrown: number; accepted: number }> = [];

/** How a case ended. */
export type Outcome = 'thrown' | 'accepted';

/**
 * Builds a chart with `build`, synthesizes it, and checks the property. Returns how the case ended.
 *
 * @param names what an error message must mention at least one of (prop names, ids)
 */
export function buildOrThrowNaming(build: () => Chart, names: string[]): { outcome: Outcome; manifests: any[] } {
  let manifests: any[];
  try {
    manifests = Testing.synth(build());
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error) {
      throw new Error(`threw ${(e as any)?.constructor?.name ?? typeof e}, not Error: ${String(e)}`, { cause: e });
    }
    // a synth-time error names the object by its construct path; a generated name is refused as 'name'
    const namesObject = /^Validation failed with the following errors:\n\s+\[test\//.test(e.message);
    if (!namesObject && ![...names, "'name'"].some((n) => e.message.includes(n))) {
      throw new Error(`the error names none of ${JSON.stringify(names)}: ${e.message}`, { cause: e });
    }
    return { outcome: 'thrown', manifests: [] };
  }
  assertAccepted(manifests);
  return { outcome: 'accepted', manifests };
}

/**
 * A jest test running one property `runs` times (times FC_RUNS_FACTOR) with the fixed seed. Set FC_PATH
 * with FC_SEED to replay one failure, as fast-check's message says.
 */
export function property<T>(name: string, arb: fc.Arbitrary<T>, check: (value: T) => Outcome, runs: number): void {
  test(name, () => {
    const numRuns = Math.max(1, Math.round(runs * FACTOR));
    const tally = { name, runs: numRuns, thrown: 0, accepted: 0 };
    fc.assert(
      fc.property(arb, (value) => {
        tally[check(value)]++;
      }),
      { seed: SEED, numRuns, path: process.env.FC_PATH, endOnFailure: process.env.FC_PATH !== undefined },
    );
    counts.push(tally);
  });
}

/** Prints the seed and the cases run by each property of the file and in all, after the file's tests. */
export function reportCases(file: string): void {
  afterAll(() => {
    const total = counts.reduce((sum, c) => sum + c.runs, 0);
    const lines = counts.map(
      (c) => `  ${c.name}: ${c.runs} cases (${c.thrown} threw a clear error, ${c.accepted} accepted)`,
    );
    console.log(`${file}: seed ${SEED} (FC_SEED), ${counts.length} properties, ${total} cases\n${lines.join('\n')}`);
  });
}

/** The number of cases run so far in this file. */
export function casesRun(): number {
  return counts.reduce((sum, c) => sum + c.runs, 0);
}
