// A user's cdk8s app: only the package's public API, as installed from the tarball.
import { App, Chart } from 'cdk8s';
import {
  AppWorkload,
  ConfigCheck,
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  KubernetesVersion,
  SharedVolume,
  WaitForService,
  WaitTarget,
  WorkloadKind,
} from 'cdk8s-pod-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

// A Deployment that waits for its database, with a native Fluent Bit sidecar and a Service.
const web = new AppWorkload(chart, 'web', {
  kind: WorkloadKind.deployment({ metadata: { name: 'web' }, replicas: 2 }),
  container: { name: 'web', image: 'company/web:1.2.3', portNumber: 8080 },
});
const wait = new WaitForService(chart, 'wait-for-db', {
  workload: web.workload,
  targets: [WaitTarget.tcp('postgres-svc', 5432)],
});
new FluentBitSidecar(chart, 'log-forwarder', {
  workload: web.workload,
  logVolume: SharedVolume.emptyDir(chart, 'web-logs'),
  appMountPath: '/var/log/app',
  config: FluentBitConfig.generate({
    inputs: [{ paths: ['/var/log/app/*.log'], tag: 'web.*' }],
    outputs: [FluentBitOutput.stdout()],
  }),
  after: [wait],
});
web.exposeViaService({ port: 80 });

// A StatefulSet that checks its configuration files before it starts.
const cache = new AppWorkload(chart, 'cache', {
  kind: WorkloadKind.statefulSet({ metadata: { name: 'cache' } }),
  container: { name: 'cache', image: 'company/cache:4.0.0', portNumber: 6379 },
});
new ConfigCheck(chart, 'check-config', {
  workload: cache.workload,
  volume: SharedVolume.emptyDir(chart, 'cache-config'),
  mountPath: '/etc/cache',
  files: ['cache.conf'],
});

// A Job with a native sidecar: the pod completes when the job's container exits.
const report = new AppWorkload(chart, 'report', {
  kind: WorkloadKind.job({ metadata: { name: 'report' } }),
  container: { name: 'report', image: 'company/report:1.0.0' },
});
new FluentBitSidecar(chart, 'report-logs', {
  workload: report.workload,
  logVolume: SharedVolume.emptyDir(chart, 'report-log-files'),
  appMountPath: '/var/log/app',
  config: FluentBitConfig.generate({
    inputs: [{ paths: ['/var/log/app/*.log'], tag: 'report.*' }],
    outputs: [FluentBitOutput.stdout()],
  }),
});

// A cluster before 1.29: the same sidecar renders classic, beside the app.
const legacy = new Chart(app, 'legacy', { namespace: 'legacy' });
KubernetesVersion.setTarget(legacy, KubernetesVersion.V1_28);
const api = new AppWorkload(legacy, 'api', {
  kind: WorkloadKind.deployment({ metadata: { name: 'api' } }),
  container: { name: 'api', image: 'company/api:2.0.0', portNumber: 8080 },
});
new FluentBitSidecar(legacy, 'api-logs', {
  workload: api.workload,
  logVolume: SharedVolume.emptyDir(legacy, 'api-log-files'),
  appMountPath: '/var/log/app',
  config: FluentBitConfig.generate({
    inputs: [{ paths: ['/var/log/app/*.log'], tag: 'api.*' }],
    outputs: [FluentBitOutput.stdout()],
  }),
});

app.synth();
