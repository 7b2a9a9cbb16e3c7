import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatText } from '../../lib/cli/format';
import { readManifests } from '../../lib/cli/read-manifests';
import { runCli } from './run-doctor';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

function tempDir(files: { [name: string]: string | Buffer }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const GOOD_POD = `apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  containers:
    - name: app
      image: app:1.0
      resources:
        requests: { cpu: 100m, memory: 64Mi }
        limits: { memory: 128Mi }
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        capabilities: { drop: [ALL] }
        seccompProfile: { type: RuntimeDefault }
`;

describe('doctor as a process', () => {
  test('a clean manifest exits 0 and says what it checked', () => {
    // GIVEN a file with no problem
    const dir = tempDir({ 'ok.yaml': GOOD_POD });
    // WHEN the doctor runs on it
    const run = runCli(['doctor', path.join(dir, 'ok.yaml')]);
    // THEN it exits 0 with a summary and no colour (stdout is not a terminal)
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('0 errors, 0 warnings, 0 info; 1 object checked in 1 file (target Kubernetes 1.29)');
    expect(run.stdout).not.toContain('\x1b[');
  });

  test('an error-level finding exits 1; text output groups findings by object with file, line and fix', () => {
    // WHEN the doctor reads a folder of bad fixtures
    const run = runCli(['doctor', path.join(FIXTURES, 'secret-in-args')]);
    // THEN it exits 1 and names the object, the container, the rule and the line
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`Pod migrate  ${path.join(FIXTURES, 'secret-in-args', 'bad.yaml')}:1`);
    expect(run.stdout).toMatch(
      /error {4}\[flyway\] container 'flyway' expands Secret-backed \$\(DB_PASSWORD\).*\(secret-in-args, line 9\)/,
    );
    expect(run.stdout).toContain('fix: Pass the secret as an environment variable');
    expect(run.stderr).toBe('');
  });

  test('JSON and SARIF output carry every finding with its rule, file and line', () => {
    // GIVEN a bad fixture read from standard input
    const input = fs.readFileSync(path.join(FIXTURES, 'flag-with-value', 'bad.yaml'), 'utf8');
    // WHEN the doctor writes JSON, then SARIF
    const json = JSON.parse(runCli(['doctor', '--format', 'json', '-'], input).stdout);
    const sarifRun = runCli(['doctor', '--format=sarif', '--min-severity', 'warning', '-'], input);
    const sarif = JSON.parse(sarifRun.stdout);
    // THEN both locate the finding
    expect(json.findings).toEqual([
      expect.objectContaining({ ruleId: 'pod-security-restricted', line: 7 }),
      expect.objectContaining({ ruleId: 'resources-missing', line: 7 }),
      expect.objectContaining({
        ruleId: 'flag-with-value',
        severity: 'warning',
        kind: 'Pod',
        name: 'p',
        file: '-',
        line: 9,
      }),
    ]);
    expect(json.summary).toMatchObject({ error: 0, warning: 3, objects: 1, files: 1 });
    expect(sarifRun.status).toBe(0);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('flag-with-value');
    expect(sarif.runs[0].results.find((r: any) => r.ruleId === 'flag-with-value')).toMatchObject({
      ruleId: 'flag-with-value',
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'stdin' }, region: { startLine: 9 } } }],
    });
  });

  test('malformed and mixed input: every problem named with file and line, the rest still checked, exit 2', () => {
    // GIVEN a folder with a malformed document beside a good one, a non-Kubernetes document, an unknown kind,
    // an empty file and a binary file
    const dir = tempDir({
      'a-mixed.yaml': `${GOOD_POD}---\nkind: [unclosed\n---\njust: a map\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: web }\n`,
      'b-empty.yaml': '',
      'c-binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'd-bad.yaml': fs.readFileSync(path.join(FIXTURES, 'container-name', 'bad.yaml')),
      'notes.txt': 'not read: folders give only .yaml, .yml and .json files',
    });
    // WHEN the doctor reads it
    const run = runCli(['doctor', dir]);
    // THEN each problem is reported, without a stack trace, and the good objects are checked
    expect(run.status).toBe(2);
    const mixed = path.join(dir, 'a-mixed.yaml');
    expect(run.stdout).toContain(`input    ${mixed}:18: malformed YAML:`);
    expect(run.stdout).toContain(`input    ${mixed}:20: is not a Kubernetes object: it has no kind`);
    expect(run.stdout).toContain(`input    ${path.join(dir, 'c-binary.yaml')}: is binary, not YAML or JSON`);
    expect(run.stdout).toContain(`note     ${path.join(dir, 'b-empty.yaml')}: is empty`);
    expect(run.stdout).toContain("container 'Web_App': 'name' must be a DNS-1123 label");
    expect(run.stdout).toContain('2 objects checked in 4 files');
    expect(run.stdout).toContain('1 object skipped (kinds not checked: Ingress 1)');
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });

  test('a file over the size limit is refused with a clear message', () => {
    const dir = tempDir({ 'big.yaml': GOOD_POD });
    const run = runCli(['doctor', '--max-bytes', '100', path.join(dir, 'big.yaml')]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`${path.join(dir, 'big.yaml')}: is ${GOOD_POD.length} bytes, over the 100-byte limit`);
  });

  test.each([
    [
      ['doctor', '--format', 'xml', 'x.yaml'],
      'cdk8s-pod-patterns doctor: --format must be text, json or sarif, got "xml"',
    ],
    [
      ['doctor', '--target-version', '2.0', 'x.yaml'],
      'cdk8s-pod-patterns doctor: --target-version must be a Kubernetes version such as 1.29, got "2.0"',
    ],
    [
      ['doctor', '--min-severity', 'fatal', 'x.yaml'],
      'cdk8s-pod-patterns doctor: --min-severity must be error, warning or info, got "fatal"',
    ],
    [['doctor', '--colour', 'x.yaml'], 'cdk8s-pod-patterns doctor: unknown option --colour'],
    [['doctor'], "cdk8s-pod-patterns doctor: give at least one file, folder or '-'"],
    [['examine'], 'cdk8s-pod-patterns: unknown command "examine"'],
  ])('bad usage %j exits 2 with a message', (args, message) => {
    const run = runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  test('a missing file exits 2', () => {
    const run = runCli(['doctor', 'no-such-file.yaml']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('input    no-such-file.yaml: does not exist');
  });
});

describe('doctor output, in process', () => {
  test('text output is coloured only when asked (a terminal)', () => {
    const dir = tempDir({ 'bad.yaml': fs.readFileSync(path.join(FIXTURES, 'container-name', 'bad.yaml')) });
    const read = readManifests([dir]);
    const { diagnose } = jest.requireActual('../../lib/cli/doctor');
    const report = { findings: diagnose(read), read, rules: [], targetVersion: '1.29' };
    expect(formatText(report, true)).toContain('\x1b[31merror');
    expect(formatText(report, false)).not.toContain('\x1b[');
  });

  test('a List is read item by item, and a field in an item is located', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: a }\n    spec:\n      containers:\n        - name: Bad_Name\n          image: x:1\n`;
    const read = readManifests(['-'], { stdin: () => Buffer.from(list) });
    expect(read.documents.map((d) => d.object.metadata.name)).toEqual(['a']);
    expect(read.documents[0].lineOf('spec.containers[0].name')).toBe(9);
  });
});
