#!/usr/bin/env node
/**
 * Checks the manifests the consumer app (scripts/consumer-app/main.ts) synthesized with the installed
 * package: the kinds, the container names and their order, native sidecars, the Service's target.
 *
 * Usage: node scripts/consumer-check.js <app dist folder>
 */
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) {
  console.error(`consumer-check: no manifests folder ${JSON.stringify(dir)}; pass the app's cdk8s output folder`);
  process.exit(1);
}
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const objects = files.flatMap((f) =>
  YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()),
);
const problems = [];

function expectEqual(what, actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function find(kind, name) {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) problems.push(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
  return found[0];
}

function podSpec(o) {
  return o?.spec?.template?.spec ?? {};
}

function names(containers) {
  return (containers ?? []).map((c) => (c.restartPolicy ? `${c.name} (${c.restartPolicy})` : c.name));
}

const kinds = objects.map((o) => o.kind).sort();
expectEqual('files', files.sort(), ['legacy.k8s.yaml', 'shop.k8s.yaml']);
expectEqual('kinds', kinds, [
  'ConfigMap',
  'ConfigMap',
  'ConfigMap',
  'Deployment',
  'Deployment',
  'Job',
  'Service',
  'Service',
  'StatefulSet',
]);
for (const o of objects) {
  const legacy = o.metadata?.name === 'api' || /^legacy-/.test(o.metadata?.name ?? '');
  expectEqual(`${o.kind} ${o.metadata?.name} namespace`, o.metadata?.namespace, legacy ? 'legacy' : 'shop');
}

// The Deployment: the wait step, then the native Fluent Bit sidecar after it, then the app.
const web = podSpec(find('Deployment', 'web'));
expectEqual('Deployment web initContainers', names(web.initContainers), ['wait-for-db', 'log-forwarder (Always)']);
expectEqual('Deployment web containers', names(web.containers), ['web']);
const forwarder = (web.initContainers ?? []).find((c) => c.name === 'log-forwarder');
if (!forwarder?.startupProbe) problems.push('Deployment web: the log-forwarder sidecar has no startupProbe');
const wait = (web.initContainers ?? []).find((c) => c.name === 'wait-for-db');
expectEqual('wait-for-db allowPrivilegeEscalation', wait?.securityContext?.allowPrivilegeEscalation, false);

// Its Service selects its pods and targets the app's port.
const webLabels = find('Deployment', 'web')?.spec?.template?.metadata?.labels ?? {};
const selects = (o) =>
  Object.keys(o.spec?.selector ?? {}).length > 0 &&
  Object.entries(o.spec.selector).every(([k, v]) => webLabels[k] === v);
const services = objects.filter((o) => o.kind === 'Service' && selects(o));
expectEqual('Services selecting the pods of Deployment web', services.length, 1);
expectEqual(
  'that Service ports',
  (services[0]?.spec?.ports ?? []).map((p) => [p.port, p.targetPort]),
  [[80, 8080]],
);

// The StatefulSet: the configuration check, then the app.
const cache = podSpec(find('StatefulSet', 'cache'));
expectEqual('StatefulSet cache initContainers', names(cache.initContainers), ['check-config']);
expectEqual('StatefulSet cache containers', names(cache.containers), ['cache']);

// The Job: a native sidecar, so the pod completes when the job's container exits.
const report = podSpec(find('Job', 'report'));
expectEqual('Job report initContainers', names(report.initContainers), ['report-logs (Always)']);
expectEqual('Job report containers', names(report.containers), ['report']);
expectEqual('Job report restartPolicy', report.restartPolicy, 'Never');

// Kubernetes 1.28: the sidecar is classic, a second container beside the app.
const api = podSpec(find('Deployment', 'api'));
expectEqual('Deployment api (1.28) initContainers', names(api.initContainers), []);
expectEqual('Deployment api (1.28) containers', names(api.containers), ['api', 'api-logs']);

if (problems.length > 0) {
  console.error(`consumer-check: the synthesized manifests in ${dir} are not what main.ts asks for:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`consumer-check: ${objects.length} objects in ${files.length} file(s): ${kinds.join(', ')}; ok`);
