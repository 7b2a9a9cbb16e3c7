/**
 * The plan of every manifest in the guide, read as YAML (`npm run test:seed`), checked against values computed
 * by hand from the manifests. The guide sets few resources, so most figures are what the one container that sets
 * any asks for, and most limits are unbounded.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PodPlan } from '../../lib';
import { SEED_DIR } from '../util/seed-compare';

function plansOf(file: string): PodPlan[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(SEED_DIR, file), 'utf8')).map((d) => d.toJS());
  return PodPlan.fromManifests(docs);
}

interface Expected {
  readonly kind: string;
  readonly namespace: string | null;
  readonly order: string[];
  readonly gates: string[];
  readonly requests: { cpu: string; memory: string };
  readonly limits: { [resource: string]: string };
}

const EXPECTED: { [file: string]: Expected } = {
  // no resources anywhere: nothing requested, limits unbounded
  '00-my-app.yaml': {
    kind: 'Pod',
    namespace: null,
    order: ['check-config', 'wait-db', 'app'],
    gates: ['runs to completion', 'runs to completion', 'run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  '01-order-service.yaml': {
    kind: 'Deployment',
    namespace: 'production',
    order: ['wait-for-postgres', 'wait-for-redis', 'order-service'],
    gates: ['runs to completion', 'runs to completion', 'run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  '02-user-service-migrator.yaml': {
    kind: 'Pod',
    namespace: 'production',
    order: ['flyway-migrate', 'user-service'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  '03-nginx-static.yaml': {
    kind: 'Deployment',
    namespace: 'web',
    order: ['git-clone', 'nginx'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  '04-payment-service.yaml': {
    kind: 'Pod',
    namespace: 'production',
    order: ['vault-fetch-secrets', 'payment-service'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  // only Fluentd sets resources: 100m/200Mi; the app sets no limit, so the pod's limits are unbounded
  '05-api-server.yaml': {
    kind: 'Deployment',
    namespace: 'production',
    order: ['api-server', 'fluentd'],
    gates: ['run until the pod stops'],
    requests: { cpu: '100m', memory: '200Mi' },
    limits: {},
  },
  // only Envoy: 50m/64Mi
  '06-grpc-service.yaml': {
    kind: 'Pod',
    namespace: 'production',
    order: ['grpc-service', 'envoy'],
    gates: ['run until the pod stops'],
    requests: { cpu: '50m', memory: '64Mi' },
    limits: {},
  },
  '07-internal-dashboard.yaml': {
    kind: 'Deployment',
    namespace: 'tools',
    order: ['grafana', 'oauth2-proxy'],
    gates: ['run until the pod stops'],
    requests: { cpu: '0m', memory: '0' },
    limits: {},
  },
  // the guide's native sidecar has no startupProbe: the app starts as soon as it runs; it counts 50m/64Mi
  '08-app-with-native-sidecar.yaml': {
    kind: 'Deployment',
    namespace: 'production',
    order: ['wait-for-db', 'log-forwarder', 'app'],
    gates: ['runs to completion', 'waits until started', 'run until the pod stops'],
    requests: { cpu: '50m', memory: '64Mi' },
    limits: {},
  },
};

describe('the plan of every guide manifest', () => {
  test('every manifest is covered', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(
      fs
        .readdirSync(SEED_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    );
  });

  test.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    // GIVEN the guide's YAML
    // WHEN
    const plans = plansOf(file);
    // THEN
    expect(plans).toHaveLength(1);
    const json = plans[0].toJson();
    expect([json.kind, json.namespace]).toEqual([expected.kind, expected.namespace]);
    expect(json.startupOrder).toEqual(expected.order);
    expect(plans[0].phases.map((p) => p.gate)).toEqual(expected.gates);
    expect(json.effectiveRequests).toEqual(expected.requests);
    expect(json.effectiveLimits).toEqual(expected.limits);
  });

  test('08: the sidecar stops after the app; Init:1/2 is the log forwarder', () => {
    const [plan] = plansOf('08-app-with-native-sidecar.yaml');
    expect(plan.shutdown.steps.map((s) => s.containers)).toEqual([['app'], ['log-forwarder']]);
    expect(plan.runbook[1].status).toBe('Init:1/2');
    expect(plan.runbook[1].container).toBe('log-forwarder');
    expect(plan.effectiveResources.cpuRequest.drivenBy).toBe('app containers and sidecars');
  });

  test('04: the secrets volume is in memory, and the app reads it only', () => {
    const [plan] = plansOf('04-payment-service.yaml');
    expect(plan.container('payment-service').mounts[0]).toEqual({
      volume: 'secrets-vol',
      mountPath: '/secrets',
      readOnly: true,
      memoryBacked: true,
      source: 'emptyDir (memory)',
    });
    expect(plan.podCommands.listPods).toBe('kubectl get pod payment-service -n production');
  });

  test('02: restartPolicy OnFailure restarts a failing migration in place', () => {
    const [plan] = plansOf('02-user-service-migrator.yaml');
    expect(plan.restartPolicy).toBe('OnFailure');
    expect(plan.phases[0].onFailure).toBe(
      'restarted with back-off until it exits 0 (restartPolicy OnFailure): Init:Error, then Init:CrashLoopBackOff; ' +
        'nothing after it starts',
    );
  });
});
