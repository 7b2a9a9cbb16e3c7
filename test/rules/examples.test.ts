/** Every example's synthesized output passes the rules with no error-level finding. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { ManifestRules, Severity } from '../../lib';
import { runCli } from '../cli/run-doctor';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const names = fs
  .readdirSync(EXAMPLES)
  .filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'chart.ts')))
  .sort();

function synth(name: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(EXAMPLES, name, 'chart'));
  return build(Testing.app()).toJson();
}

describe('the examples pass the rules', () => {
  test('there are examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
  });

  test.each(names)('%s: no error-level finding', (name) => {
    // GIVEN the example's synthesized objects, WHEN the rules run
    const errors = ManifestRules.check(synth(name)).filter((f) => f.severity === Severity.ERROR);
    // THEN there is no error
    expect(errors).toEqual([]);
  });

  test('the doctor process agrees on a written example (exit 0)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-example-'));
    const file = path.join(dir, '07-internal-dashboard.k8s.yaml');
    fs.writeFileSync(
      file,
      synth('07-internal-dashboard')
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const run = runCli(['doctor', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('0 errors');
  });
});
