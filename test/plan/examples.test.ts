/**
 * The plan of every example, checked against values computed by hand from each example's containers: the
 * start-up order, what gates each step, and the effective requests and limits (KEP-753).
 *
 * Helper defaults: wait and config steps 10m/16Mi (limit 50m/32Mi), Flyway 100m/256Mi (500m/512Mi), git clone
 * 50m/64Mi (500m/256Mi), Vault 50m/64Mi (250m/128Mi), Fluent Bit 50m/64Mi (200m/128Mi), Fluentd 100m/200Mi
 * (500m/500Mi), Envoy 50m/64Mi (200m/256Mi), oauth2-proxy 25m/32Mi (200m/128Mi); cdk8s-plus app containers
 * 1000m/512Mi (1500m/2048Mi).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PodPlan } from '../../lib';
import { synthValid } from '../util/manifest';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function planOf(example: string, workload?: string): PodPlan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(EXAMPLES, example, 'chart'));
  const plans = PodPlan.fromManifests(synthValid(build(Testing.app())));
  if (workload === undefined) expect(plans).toHaveLength(1);
  const found = plans.filter((p) => workload === undefined || p.name === workload);
  expect(found).toHaveLength(1);
  return found[0];
}

interface Expected {
  readonly order: string[];
  readonly gates: string[];
  readonly requests: { cpu: string; memory: string };
  readonly limits: { cpu?: string; memory: string };
  readonly drivenBy?: string;
  readonly shutdownSeconds?: number;
  /** The workload, when the example has several. */
  readonly workload?: string;
}

const APP = 'app containers and sidecars';
const EXPECTED: { [example: string]: Expected } = {
  // app 1000m/512Mi beats either 10m/16Mi step
  '00-my-app': {
    order: ['check-config', 'wait-db', 'app'],
    gates: ['runs to completion', 'runs to completion', 'run until the pod stops'],
    requests: { cpu: '1000m', memory: '512Mi' },
    limits: { cpu: '1500m', memory: '2Gi' },
  },
  '01-order-service': {
    order: ['wait-for-postgres', 'wait-for-redis', 'order-service'],
    gates: ['runs to completion', 'runs to completion', 'run until the pod stops'],
    requests: { cpu: '1000m', memory: '512Mi' },
    limits: { cpu: '1500m', memory: '2Gi' },
  },
  // Flyway 100m/256Mi (500m/512Mi) stays under the app
  '02-user-service-migrator': {
    order: ['flyway-migrate', 'user-service'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '1000m', memory: '512Mi' },
    limits: { cpu: '1500m', memory: '2Gi' },
  },
  '03-nginx-static': {
    order: ['git-clone', 'nginx'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '1000m', memory: '512Mi' },
    limits: { cpu: '1500m', memory: '2Gi' },
  },
  '04-payment-service': {
    order: ['vault-fetch-secrets', 'payment-service'],
    gates: ['runs to completion', 'run until the pod stops'],
    requests: { cpu: '1000m', memory: '512Mi' },
    limits: { cpu: '1500m', memory: '2Gi' },
  },
  // classic Fluentd beside the app: 1000m + 100m, 512Mi + 200Mi; limits 1500m + 500m, 2048Mi + 500Mi
  '05-api-server': {
    order: ['api-server', 'fluentd'],
    gates: ['run until the pod stops'],
    requests: { cpu: '1100m', memory: '712Mi' },
    limits: { cpu: '2000m', memory: '2548Mi' },
  },
  // classic Envoy: 1000m + 50m, 512Mi + 64Mi; limits 1500m + 200m, 2048Mi + 256Mi; its preStop drains 5 s
  '06-grpc-service': {
    order: ['grpc-service', 'envoy'],
    gates: ['run until the pod stops'],
    requests: { cpu: '1050m', memory: '576Mi' },
    limits: { cpu: '1700m', memory: '2304Mi' },
    shutdownSeconds: 5,
  },
  // native oauth2-proxy with a startupProbe, then Grafana: 1000m + 25m, 512Mi + 32Mi; 1500m + 200m, 2048Mi + 128Mi
  '07-internal-dashboard': {
    order: ['oauth2-proxy', 'grafana'],
    gates: ['waits for startupProbe', 'run until the pod stops'],
    requests: { cpu: '1025m', memory: '544Mi' },
    limits: { cpu: '1700m', memory: '2176Mi' },
  },
  // wait-for-db, then native Fluent Bit (startupProbe), then the app: 1000m + 50m, 512Mi + 64Mi; Fluent Bit's
  // default Grace of 5 s after the app stops
  '08-app-with-native-sidecar': {
    order: ['wait-for-db', 'log-forwarder', 'app'],
    gates: ['runs to completion', 'waits for startupProbe', 'run until the pod stops'],
    requests: { cpu: '1050m', memory: '576Mi' },
    limits: { cpu: '1700m', memory: '2176Mi' },
    shutdownSeconds: 5,
  },
  // the chart's web Deployment: wait 10m/16Mi (50m/32Mi), Vault 50m/64Mi (250m/128Mi), then the chart's app
  // 100m/128Mi with a 256Mi memory limit and no CPU limit, which beats both steps
  '09-third-party-chart': {
    workload: 'shop-web',
    order: ['wait-for-db', 'vault-secrets', 'shop'],
    gates: ['runs to completion', 'runs to completion', 'run until the pod stops'],
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { memory: '256Mi' },
  },
};

describe('the plan of every example', () => {
  test('every example is covered', () => {
    const examples = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'chart.ts')));
    expect(Object.keys(EXPECTED).sort()).toEqual(examples.sort());
  });

  test.each(Object.entries(EXPECTED))('%s', (example, expected) => {
    // GIVEN the example's rendered, validated manifests
    // WHEN
    const plan = planOf(example, expected.workload);
    const json = plan.toJson();
    // THEN
    expect(json.startupOrder).toEqual(expected.order);
    expect(plan.phases.map((p) => p.gate)).toEqual(expected.gates);
    expect(json.effectiveRequests).toEqual(expected.requests);
    expect(json.effectiveLimits).toEqual(expected.limits);
    expect(plan.effectiveResources.cpuRequest.drivenBy).toBe(expected.drivenBy ?? APP);
    expect(plan.shutdown.knownSpendSeconds).toBe(expected.shutdownSeconds ?? 0);
    expect(plan.shutdown.withinGracePeriod).toBe(true);
  });

  test("example 09's StatefulSet: the chart's init step, then native Fluent Bit beside postgres", () => {
    // postgres 250m/256Mi (512Mi limit) + Fluent Bit 50m/64Mi (200m/128Mi); no CPU limit on postgres
    const plan = planOf('09-third-party-chart', 'shop-db');
    const json = plan.toJson();
    expect(json.startupOrder).toEqual(['init-chmod-data', 'log-forwarder', 'postgres']);
    expect(plan.phases.map((p) => p.gate)).toEqual([
      'runs to completion',
      'waits for startupProbe',
      'run until the pod stops',
    ]);
    expect(json.effectiveRequests).toEqual({ cpu: '300m', memory: '320Mi' });
    expect(json.effectiveLimits).toEqual({ memory: '640Mi' });
    expect(plan.shutdown.knownSpendSeconds).toBe(5);
  });

  test('example 08: the sidecar stops after the app, and the runbook maps Init:N/M to containers', () => {
    const plan = planOf('08-app-with-native-sidecar');
    expect(plan.shutdown.steps.map((s) => s.containers)).toEqual([['app'], ['log-forwarder']]);
    expect(plan.runbook.map((e) => `${e.status} ${e.container}`)).toEqual([
      'Init:0/2 wait-for-db',
      'Init:1/2 log-forwarder',
      'Running app',
    ]);
    expect(plan.podCommands.listPods).toBe('kubectl get pods -n production -l app=app-native');
    expect(plan.container('log-forwarder').mounts[0]).toEqual({
      volume: 'log-vol',
      mountPath: '/var/log/app',
      readOnly: true,
      memoryBacked: false,
      source: 'emptyDir',
    });
  });

  test('example 04: the secrets volume is memory-backed and read-only for the app', () => {
    const plan = planOf('04-payment-service');
    const mount = plan.container('payment-service').mounts.find((m) => m.mountPath === '/secrets')!;
    expect(mount.readOnly).toBe(true);
    expect(mount.memoryBacked).toBe(true);
    expect(plan.podCommands.describe).toBe('kubectl describe pod payment-service -n production');
  });

  test('example 06: Envoy drains for its ENVOY_DRAIN_SECONDS within the grace period', () => {
    const plan = planOf('06-grpc-service');
    expect(plan.shutdown.steps[0].spends).toEqual([
      { container: 'envoy', seconds: 5, what: 'preStop hook waits 5s (ENVOY_DRAIN_SECONDS)' },
    ]);
  });
});
