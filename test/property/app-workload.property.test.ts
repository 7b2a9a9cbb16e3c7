/**
 * Property: AppWorkload and WorkloadKind, with the cdk8s-plus props they pass through (names, namespaces,
 * labels, replicas, schedules, container ports, env, resources) and a Service, either throw a clear Error
 * or produce output a cluster accepts.
 */
import { Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { AppWorkload, WorkloadKind } from '../../lib';
import { constructId, dnsLabel, envName, image, maybe, num, port, SENTINEL_SECRET, text } from './arbitraries';
import { buildOrThrowNaming, property, reportCases } from './fuzz';

reportCases('app-workload.property');

const metadata = fc.record(
  {
    name: maybe(text(dnsLabel)),
    namespace: maybe(text(dnsLabel)),
    labels: maybe(fc.dictionary(text(dnsLabel), text(dnsLabel), { maxKeys: 2 })),
  },
  { requiredKeys: [] },
);

const kinds = fc.oneof(
  fc.record({ kind: fc.constant('deployment'), metadata, replicas: maybe(num(fc.integer({ min: 0, max: 10 }))) }),
  fc.record({ kind: fc.constant('statefulSet'), metadata, replicas: maybe(num(fc.integer({ min: 0, max: 10 }))) }),
  fc.record({ kind: fc.constant('daemonSet'), metadata }),
  fc.record({ kind: fc.constant('job'), metadata }),
  fc.record({
    kind: fc.constant('cronJob'),
    metadata,
    minute: fc.oneof(fc.constant('0'), fc.constant('*/5'), text(fc.constant('30'))),
  }),
  fc.record({ kind: fc.constant('pod'), metadata }),
);

const container = fc.record({
  name: maybe(text(dnsLabel)),
  image,
  portNumber: maybe(port),
  env: fc.dictionary(envName, text(fc.string({ maxLength: 10 })), { maxKeys: 3 }),
  cpuMillis: maybe(num(fc.integer({ min: 1, max: 4000 }))),
  memoryMiB: maybe(num(fc.integer({ min: 1, max: 8192 }))),
  withSecret: fc.boolean(),
});

const service = maybe(fc.record({ name: maybe(text(dnsLabel)), port: maybe(port) }, { requiredKeys: [] }));

/** Size.mebibytes refuses negative amounts itself, before any construct sees them. */
function sizeOrUndefined(mib: number): Size | undefined {
  try {
    return Size.mebibytes(mib);
  } catch {
    return undefined;
  }
}

type KindInput = { kind: string; metadata: any; replicas?: number; minute?: string };

function workloadKind(k: KindInput): WorkloadKind {
  const md = k.metadata;
  switch (k.kind) {
    case 'deployment':
      return WorkloadKind.deployment({ metadata: md, replicas: k.replicas });
    case 'statefulSet':
      return WorkloadKind.statefulSet({ metadata: md, replicas: k.replicas });
    case 'daemonSet':
      return WorkloadKind.daemonSet({ metadata: md });
    case 'job':
      return WorkloadKind.job({ metadata: md });
    case 'cronJob':
      return WorkloadKind.cronJob({ metadata: md, schedule: Cron.schedule({ minute: k.minute }) });
    default:
      return WorkloadKind.pod({ metadata: md });
  }
}

property(
  'AppWorkload with any kind, container and Service',
  fc.tuple(kinds, container, service, constructId),
  ([k, c, svc, id]) => {
    const { outcome, manifests } = buildOrThrowNaming(() => {
      const chart = Testing.chart();
      const secret = new kplus.Secret(chart, 'db', { stringData: { password: SENTINEL_SECRET } });
      const env: { [name: string]: kplus.EnvValue } = {};
      for (const [name, value] of Object.entries(c.env)) env[name] = kplus.EnvValue.fromValue(value);
      if (c.withSecret) env.DB_PASSWORD = kplus.EnvValue.fromSecretValue({ secret, key: 'password' });
      const app = new AppWorkload(chart, id, {
        kind: workloadKind(k),
        container: {
          name: c.name,
          image: c.image,
          portNumber: c.portNumber,
          envVariables: env,
          resources:
            c.cpuMillis === undefined && c.memoryMiB === undefined
              ? undefined
              : {
                  cpu: c.cpuMillis === undefined ? undefined : { request: kplus.Cpu.millis(c.cpuMillis) },
                  memory: c.memoryMiB === undefined ? undefined : { request: sizeOrUndefined(c.memoryMiB) },
                },
        },
      });
      if (svc) app.exposeViaService({ name: svc.name, port: svc.port });
      return chart;
    }, ['name', 'namespace', 'labels', 'replicas', 'schedule', 'image', 'portNumber', 'port', 'env', 'cpu', 'memory']);
    if (outcome === 'accepted') {
      // nothing the user gave is silently dropped
      const workload = manifests.find((m) => m.kind !== 'Secret' && m.kind !== 'Service');
      const text = JSON.stringify(workload);
      for (const name of Object.keys(c.env)) expect(text).toContain(JSON.stringify(name));
      expect(text).toContain(JSON.stringify(c.image));
      if (k.metadata.name !== undefined) expect(workload.metadata.name).toBe(k.metadata.name);
      if (k.metadata.namespace !== undefined) expect(workload.metadata.namespace).toBe(k.metadata.namespace);
    }
    return outcome;
  },
  1500,
);
