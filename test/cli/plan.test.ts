import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { build } from '../../examples/08-app-with-native-sidecar/chart';
import { runCli } from './run-doctor';

function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

// A native sidecar that starts before a regular init container: the guide's naive formula says 500m/512Mi.
const SIDECAR_FIRST = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      initContainers:
        - name: proxy
          image: envoyproxy/envoy:v1.38.2
          restartPolicy: Always
          startupProbe: { tcpSocket: { port: 10000 } }
          resources: { requests: { cpu: 200m, memory: 256Mi }, limits: { cpu: 400m, memory: 512Mi } }
        - name: migrate
          image: flyway/flyway:10.12.0
          resources: { requests: { cpu: 500m, memory: 512Mi }, limits: { cpu: 1, memory: 1Gi } }
      containers:
        - name: app
          image: app:1.0
          resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { cpu: 500m, memory: 512Mi } }
`;

describe('plan as a process', () => {
  test('--format json: one entry per workload with order and KEP-753 figures', () => {
    // GIVEN a Deployment whose native sidecar starts before a regular init container
    const file = tempFile('web.yaml', SIDECAR_FIRST);
    // WHEN
    const run = runCli(['plan', '--format', 'json', file]);
    // THEN
    expect(run.status).toBe(0);
    const [entry] = JSON.parse(run.stdout);
    expect(entry).toMatchObject({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      startupOrder: ['proxy', 'migrate', 'app'],
      effectiveRequests: { cpu: '700m', memory: '768Mi' },
      effectiveLimits: { cpu: '1400m', memory: '1536Mi' },
    });
    expect(entry.phases.length).toBeGreaterThan(0);
    expect(entry.shutdown).toBeDefined();
    expect(entry.runbook.containers.map((c: any) => c.container)).toEqual(['proxy', 'migrate', 'app']);
  });

  test('text and Markdown read an example from standard input', () => {
    // GIVEN the synthesized output of example 08
    const yaml = Yaml.stringify(...Testing.synth(build(Testing.app())));
    // WHEN
    const text = runCli(['plan', '-'], yaml);
    const markdown = runCli(['plan', '--format', 'markdown', '-'], yaml);
    // THEN
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('wait-for-db');
    expect(text.stdout).toContain('kubectl');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain('```mermaid');
  });

  test('bad input: a clear message, no stack trace, exit 2; the readable workloads are still planned', () => {
    const file = tempFile(
      'mixed.yaml',
      `${SIDECAR_FIRST}---\nkind: Deployment\nmetadata: { name: broken }\n---\n: : :\n`,
    );
    const run = runCli(['plan', '--format', 'json', file]);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).map((e: any) => e.name)).toEqual(['web']);
    expect(run.stderr).toContain('mixed.yaml');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('usage mistakes exit 2 with the usage', () => {
    const run = runCli(['plan', '--format', 'yaml', 'x.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--format must be text, markdown or json, got "yaml"');
    expect(run.stderr).toContain('Usage: cdk8s-pod-patterns plan');
  });
});
