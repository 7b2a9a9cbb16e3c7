/**
 * Seed 00 (my-app): a Pod whose config is checked and whose database is waited for before the app starts.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, ConfigCheck, SharedVolume, WaitForService, WaitTarget, WorkloadKind } from '../../lib';

/** Builds the my-app chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '00-my-app');

  const myApp = new AppWorkload(chart, 'my-app', {
    kind: WorkloadKind.pod({ metadata: { name: 'my-app' } }),
    container: { name: 'app', image: 'my-app:2.1.0', portNumber: 8080 },
  });

  // The ConfigMap app-config is managed elsewhere; the pod mounts it as 'config-vol'.
  const config = SharedVolume.fromConfigMap(
    chart,
    kplus.ConfigMap.fromConfigMapName(chart, 'app-config', 'app-config'),
    {
      name: 'config-vol',
    },
  );

  new ConfigCheck(myApp, 'check-config', {
    workload: myApp.workload,
    volume: config,
    mountPath: '/config',
    files: ['app.yaml'],
  });

  new WaitForService(myApp, 'wait-db', {
    workload: myApp.workload,
    targets: [WaitTarget.tcp('postgres-svc', 5432)],
    intervalSeconds: 2,
  });

  myApp.composer.mountIntoApp(config, '/config');
  return chart;
}
