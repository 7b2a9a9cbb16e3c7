/** The doctor as a cdk8s validation plugin, loaded the way `cdk8s synth` loads the `validations:` of cdk8s.yaml. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// cdk8s-cli exports only its plugin contract; its loader is read from its files, as `cdk8s synth` runs it
const CLI = path.dirname(require.resolve('cdk8s-cli/package.json'));
/* eslint-disable @typescript-eslint/no-require-imports */
const { PluginManager } = require(path.join(CLI, 'lib', 'plugins', '_manager.js'));
const { ValidationPlugin } = require(path.join(CLI, 'lib', 'plugins', 'validation.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

function load(manifests: string[], properties: { [key: string]: any } = {}): { plugin: any; context: any } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-'));
  return ValidationPlugin.load(
    {
      package: path.join(__dirname, '..', '..', 'lib', 'cli', 'validation-plugin.ts'),
      version: '0.1.0',
      class: 'DoctorValidation',
      properties,
    },
    { manifests },
    false,
    new PluginManager(dir),
  );
}

describe('DoctorValidation', () => {
  test('fails the report on an error-level finding, one violation per rule', async () => {
    // GIVEN synthesized manifests with a secret in argv
    const { plugin, context } = load([path.join(FIXTURES, 'secret-in-args', 'bad.yaml')]);
    // WHEN cdk8s runs the validation
    await plugin.validate(context);
    // THEN the report fails and names the rule, the object and the fields
    const report = context.report.toJson();
    expect(report.summary.status).toBe('failure');
    const violation = report.violations.find((v: any) => v.ruleName === 'secret-in-args (error)')!;
    expect(violation.fix).toContain('Pass the secret as an environment variable');
    expect(violation.violatingConstructs.map((c: any) => [c.resourceName, c.locations])).toEqual([
      ['migrate', ['spec.initContainers[0].args[0]']],
      ['migrate', ['spec.initContainers[1].args[1]']],
    ]);
  });

  test('passes with warnings only, unless failOnWarnings', async () => {
    const manifests = [path.join(FIXTURES, 'flag-with-value', 'bad.yaml')];
    const lenient = load(manifests);
    await lenient.plugin.validate(lenient.context);
    expect(lenient.context.report.success).toBe(true);
    const strict = load(manifests, { failOnWarnings: true });
    await strict.plugin.validate(strict.context);
    expect(strict.context.report.success).toBe(false);
  });

  test('honours the target version', async () => {
    const manifests = [path.join(FIXTURES, 'native-sidecar-version', 'bad.yaml')];
    const old = load(manifests, { targetVersion: '1.28' });
    await old.plugin.validate(old.context);
    expect(old.context.report.success).toBe(false);
    const current = load(manifests, { targetVersion: '1.29' });
    await current.plugin.validate(current.context);
    expect(current.context.report.success).toBe(true);
  });
});
