/**
 * The rules at synth and the doctor, when this version of the library has them (`ManifestRules`); otherwise
 * the reason they were not measured.
 */
import { parseAllDocuments } from 'yaml';
import { median } from './stats';

/** `ManifestRules.check`, if the library exports it. */
export interface RuleCheck {
  check(objects: any[]): unknown[];
}

/** The library's `ManifestRules`, or why it is not there. */
export function findManifestRules(): { rules?: RuleCheck; missing?: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('../lib');
  const rules = lib.ManifestRules;
  if (rules && typeof rules.check === 'function') return { rules };
  return { missing: 'this version of the library exports no ManifestRules (the rule set is not merged yet)' };
}

/** Median ms of `fn` over `repeats` calls (after one untimed call). */
function timeMedian(repeats: number, fn: () => void, between: () => void): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    between();
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** What the rules cost over one synth's objects: `ManifestRules.check` over them, median ms. */
export function rulesMs(rules: RuleCheck, objects: any[], repeats: number, gc: () => void): number {
  return timeMedian(repeats, () => rules.check(objects), gc);
}

/**
 * The doctor over a YAML file's text: parse every document (as the doctor reads a file) and run the rules,
 * against the parse alone. Median ms of each.
 */
export function doctorMs(rules: RuleCheck, yaml: string, repeats: number, gc: () => void) {
  const parse = () => parseAllDocuments(yaml).map((d: any) => d.toJS());
  const parseMs = timeMedian(repeats, parse, gc);
  const ms = timeMedian(repeats, () => rules.check(parse()), gc);
  return { parseMs, ms };
}
