/**
 * Synth benchmark: N workloads of the same shape, built three ways in one process, timed as build + synth
 * to YAML. Reports medians and the ratio of each to the plain-objects floor and to hand-written
 * cdk8s-plus-28, measured in the same run.
 *
 * Shape (TOOLCHAIN.md baseline): a Deployment with 2 wait-for init containers, 1 migration init
 * container (2 secret env vars, a ConfigMap volume), 1 native sidecar on an emptyDir, the app container,
 * and a Service.
 *
 *   npm run bench                 # N=1000, 5 rounds
 *   BENCH_N=200 BENCH_ROUNDS=3 npm run bench
 */
import { App, Chart, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { stringify } from 'yaml';
import {
  AppWorkload,
  FluentBitConfig,
  FluentBitHealth,
  FluentBitSidecar,
  FlywayMigration,
  FlywayScripts,
  SharedVolume,
  WaitForService,
  WaitTarget,
} from '../lib';

const N = Number(process.env.BENCH_N ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const small = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

/** Hand-written cdk8s-plus-28: what a user writes without this library. */
function handWritten(chart: Chart, i: number): void {
  const logs = kplus.Volume.fromEmptyDir(chart, `logs-${i}`, 'logs');
  const sql = kplus.Volume.fromConfigMap(chart, `sql-${i}`, kplus.ConfigMap.fromConfigMapName(chart, `cm-${i}`, 'sql'));
  const secret = kplus.Secret.fromSecretName(chart, `secret-${i}`, 'db');
  const d = new kplus.Deployment(chart, `app-${i}`, {
    containers: [
      { name: 'app', image: 'app:1', portNumber: 8080, volumeMounts: [{ path: '/var/log/app', volume: logs }] },
    ],
  });
  for (const [name, port] of [
    ['postgres', 5432],
    ['redis', 6379],
  ] as const) {
    d.addInitContainer({
      name: `wait-${name}`,
      image: 'busybox:1.36',
      command: ['sh', '-c', `until nc -w 2 ${name} ${port} </dev/null; do sleep 2; done`],
      resources: small,
    });
  }
  d.addInitContainer({
    name: 'migrate',
    image: 'flyway/flyway:10.12-alpine',
    args: ['migrate'],
    envVariables: {
      FLYWAY_USER: kplus.EnvValue.fromSecretValue({ secret, key: 'username' }),
      FLYWAY_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }),
    },
    volumeMounts: [{ path: '/flyway/sql', volume: sql }],
    resources: small,
  });
  d.addInitContainer({
    name: 'logs',
    image: 'fluent/fluent-bit:3.0',
    restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
    volumeMounts: [{ path: '/var/log/app', volume: logs, readOnly: true }],
    resources: small,
  });
  d.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
}

/** The same workload with this library's patterns. */
function withPatterns(chart: Chart, i: number): void {
  const app = new AppWorkload(chart, `app-${i}`, { container: { name: 'app', image: 'app:1', portNumber: 8080 } });
  const logs = SharedVolume.emptyDir(app, 'logs');
  app.composer.mountIntoApp(logs, '/var/log/app', { readOnly: false });
  new WaitForService(app, 'wait-postgres', { workload: app.workload, targets: [WaitTarget.tcp('postgres', 5432)] });
  new WaitForService(app, 'wait-redis', { workload: app.workload, targets: [WaitTarget.tcp('redis', 6379)] });
  const secret = kplus.Secret.fromSecretName(app, 'db', 'db');
  new FlywayMigration(app, 'migrate', {
    workload: app.workload,
    jdbcUrl: 'jdbc:postgresql://postgres:5432/app',
    user: { secret, key: 'username' },
    password: { secret, key: 'password' },
    scripts: FlywayScripts.fromConfigMap(kplus.ConfigMap.fromConfigMapName(app, 'sql', 'sql')),
  });
  new FluentBitSidecar(app, 'logs-shipper', {
    workload: app.workload,
    logVolume: logs,
    config: FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(app, 'flb', 'fluent-bit-config'), {
      health: FluentBitHealth.httpServer(),
    }),
  });
  app.exposeViaService({ port: 80 });
}

/** The floor: plain objects serialized with the yaml package. */
function plainObjects(i: number): any[] {
  const c = (name: string, image: string, extra: any = {}) => ({
    name,
    image,
    resources: { requests: { cpu: '10m' } },
    ...extra,
  });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}` },
      spec: {
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: {
            initContainers: [
              c('wait-postgres', 'busybox:1.36', {
                command: ['sh', '-c', 'until nc -w 2 postgres 5432 </dev/null; do sleep 2; done'],
              }),
              c('wait-redis', 'busybox:1.36', {
                command: ['sh', '-c', 'until nc -w 2 redis 6379 </dev/null; do sleep 2; done'],
              }),
              c('migrate', 'flyway/flyway:10.12-alpine', {
                args: ['migrate'],
                env: ['FLYWAY_USER', 'FLYWAY_PASSWORD'].map((name, k) => ({
                  name,
                  valueFrom: { secretKeyRef: { name: 'db', key: ['username', 'password'][k] } },
                })),
                volumeMounts: [{ name: 'sql', mountPath: '/flyway/sql' }],
              }),
              c('logs', 'fluent/fluent-bit:3.0', {
                restartPolicy: 'Always',
                volumeMounts: [{ name: 'logs', mountPath: '/var/log/app', readOnly: true }],
              }),
            ],
            containers: [
              c('app', 'app:1', {
                ports: [{ containerPort: 8080 }],
                volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }],
              }),
            ],
            volumes: [
              { name: 'logs', emptyDir: {} },
              { name: 'sql', configMap: { name: 'sql' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `app-${i}` },
      spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
}

/** YAML bytes produced by the last timed run of each generator. */
const bytes: { [name: string]: number } = {};

function timeCdk8s(name: string, build: (chart: Chart, i: number) => void): number {
  const start = process.hrtime.bigint();
  const app = new App({ outdir: '/tmp/bench-unused' });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < N; i++) build(chart, i);
  const yaml = Yaml.stringify(...chart.toJson());
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  bytes[name] = yaml.length;
  return ms;
}

function timePlain(): number {
  const start = process.hrtime.bigint();
  const docs: any[] = [];
  for (let i = 0; i < N; i++) docs.push(...plainObjects(i));
  const yaml = docs.map((d) => stringify(d)).join('---\n');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  bytes.plain = yaml.length;
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const runs: { [name: string]: number[] } = { plain: [], handWritten: [], patterns: [] };
  // warm-up round, not counted
  timePlain();
  timeCdk8s('handWritten', handWritten);
  timeCdk8s('patterns', withPatterns);
  for (let r = 0; r < ROUNDS; r++) {
    // alternate the order so that drift on a noisy machine does not favour one side
    const order = r % 2 === 0 ? ['plain', 'handWritten', 'patterns'] : ['patterns', 'handWritten', 'plain'];
    for (const name of order) {
      runs[name].push(
        name === 'plain' ? timePlain() : timeCdk8s(name, name === 'handWritten' ? handWritten : withPatterns),
      );
    }
  }
  const m = { plain: median(runs.plain), handWritten: median(runs.handWritten), patterns: median(runs.patterns) };
  const kb = (name: string) => `${(bytes[name] / N / 1024).toFixed(1).padStart(5)} KiB/workload`;
  console.log(`synth benchmark: N=${N} workloads, ${ROUNDS} rounds, median build + synth to YAML`);
  console.log(`  plain objects + yaml (floor)   ${m.plain.toFixed(0).padStart(6)} ms  ${kb('plain')}   1.00x floor`);
  console.log(
    `  hand-written cdk8s-plus-28     ${m.handWritten.toFixed(0).padStart(6)} ms  ${kb('handWritten')}   ` +
      `${(m.handWritten / m.plain).toFixed(2)}x floor`,
  );
  console.log(
    `  cdk8s-pod-patterns             ${m.patterns.toFixed(0).padStart(6)} ms  ${kb('patterns')}   ` +
      `${(m.patterns / m.plain).toFixed(2)}x floor, ${(m.patterns / m.handWritten).toFixed(2)}x hand-written cdk8s-plus`,
  );
  const perByte = (name: 'handWritten' | 'patterns') => m[name] / bytes[name];
  console.log(
    `  per byte of output, cdk8s-pod-patterns costs ${(perByte('patterns') / perByte('handWritten')).toFixed(2)}x ` +
      'hand-written cdk8s-plus (its manifests also carry the generated scripts, probes and security contexts)',
  );
}

main();
