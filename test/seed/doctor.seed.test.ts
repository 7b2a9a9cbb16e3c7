/**
 * The doctor, as a process, on the guide's manifests (SEED_MANIFESTS_DIR): it must find the problems the
 * guide's manifests are known to have.
 */
import * as path from 'path';
import { SEED_DIR } from '../util/seed-compare';
import { runCli } from '../cli/run-doctor';

describe("doctor on the guide's manifests", () => {
  // GIVEN the guide's folder, WHEN the doctor reads it as JSON
  const run = runCli(['doctor', '--format', 'json', SEED_DIR]);
  const report = JSON.parse(run.stdout);
  const found = (ruleId: string, file: string) =>
    report.findings.filter((f: any) => f.ruleId === ruleId && path.basename(f.file) === file);

  test('reads every manifest and fails on the errors', () => {
    expect(run.status).toBe(1);
    expect(report.problems).toEqual([]);
    expect(report.summary.files).toBe(9);
    expect(report.summary.objects).toBe(9);
  });

  test('the git token expanded into a URL on the command line', () => {
    expect(found('secret-in-args', '03-nginx-static.yaml')).toEqual([
      expect.objectContaining({
        severity: 'error',
        container: 'git-clone',
        message: expect.stringContaining('$(GIT_TOKEN)'),
      }),
    ]);
  });

  test("Flyway's user and password expanded into its arguments", () => {
    expect(found('secret-in-args', '02-user-service-migrator.yaml').map((f: any) => f.field)).toEqual([
      'spec.initContainers[0].args[1]',
      'spec.initContainers[0].args[2]',
    ]);
  });

  test("Envoy's '-c path' given as one argument", () => {
    expect(found('flag-with-value', '06-grpc-service.yaml')[0]).toMatchObject({
      container: 'envoy',
      message: 'container \'envoy\' passes "-c /etc/envoy/envoy.yaml" as one argument',
      line: 21,
    });
  });

  test('waits without a deadline', () => {
    const waits = report.findings.filter((f: any) => f.ruleId === 'wait-without-deadline');
    expect(waits.map((f: any) => `${path.basename(f.file)} ${f.container}`)).toEqual([
      '00-my-app.yaml wait-db',
      '01-order-service.yaml wait-for-postgres',
      '01-order-service.yaml wait-for-redis',
      '08-app-with-native-sidecar.yaml wait-for-db',
    ]);
  });

  test('containers without requests and limits', () => {
    expect(found('resources-missing', '00-my-app.yaml').map((f: any) => f.container)).toEqual([
      'check-config',
      'wait-db',
      'app',
    ]);
    // the seed sizes its sidecars only
    expect(found('resources-missing', '05-api-server.yaml').map((f: any) => f.container)).toEqual(['api-server']);
  });
});
