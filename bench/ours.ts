/**
 * Generator (a): the workload written with this library's patterns.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppWorkload,
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  FlywayMigration,
  FlywayScripts,
  SharedVolume,
  WaitForService,
  WaitTarget,
} from '../lib';
import { APP, LOG_SHIPPER, LOG_VOLUME, MIGRATION, SERVICE_PORT, WAITS, workloadId } from './shape';

/** Adds workload `i` to `chart`. */
export function buildOurs(chart: Construct, i: number): void {
  const app = new AppWorkload(chart, workloadId(i), {
    container: {
      name: APP.name,
      image: APP.image,
      portNumber: APP.port,
      resources: {
        cpu: { request: kplus.Cpu.millis(APP.cpuRequestMillis), limit: kplus.Cpu.millis(APP.cpuLimitMillis) },
        memory: { request: Size.mebibytes(APP.memoryRequestMiB), limit: Size.mebibytes(APP.memoryLimitMiB) },
      },
    },
  });
  const workload = app.workload;
  const logs = SharedVolume.emptyDir(app, LOG_VOLUME);
  for (const wait of WAITS) {
    new WaitForService(app, wait.name, { workload, targets: [WaitTarget.tcp(wait.host, wait.port)] });
  }
  const secret = kplus.Secret.fromSecretName(app, 'DbSecret', MIGRATION.secret);
  new FlywayMigration(app, MIGRATION.name, {
    workload,
    jdbcUrl: MIGRATION.jdbcUrl,
    user: { secret, key: MIGRATION.userKey },
    password: { secret, key: MIGRATION.passwordKey },
    scripts: FlywayScripts.fromConfigMap(
      kplus.ConfigMap.fromConfigMapName(app, 'Migrations', MIGRATION.scriptsConfigMap),
    ),
  });
  new FluentBitSidecar(app, LOG_SHIPPER.name, {
    workload,
    logVolume: logs,
    appMountPath: APP.logPath,
    config: FluentBitConfig.generate({
      outputs: [FluentBitOutput.elasticsearch({ host: LOG_SHIPPER.elasticsearchHost, index: LOG_SHIPPER.index })],
    }),
  });
  app.exposeViaService({ port: SERVICE_PORT });
}
