/**
 * The seed's app-with-native-sidecar Deployment: a wait-for-db init step, then a Fluent Bit log forwarder
 * as a native sidecar (an init container with `restartPolicy: Always`) that tails the app's log files with
 * the configuration in the ConfigMap `fluent-bit-config`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  FluentBitConfig,
  FluentBitHealth,
  FluentBitSidecar,
  SharedVolume,
  WaitForService,
  WaitTarget,
  WorkloadKind,
} from '../../lib';

export function build(app: App): Chart {
  const chart = new Chart(app, '08-app-with-native-sidecar');

  const native = new AppWorkload(chart, 'app-with-native-sidecar', {
    kind: WorkloadKind.deployment({
      metadata: { name: 'app-with-native-sidecar', namespace: 'production' },
      replicas: 2,
      select: false,
      podMetadata: { labels: { app: 'app-native' } },
    }),
    container: { name: 'app', image: 'company/app:7.0.0', portNumber: 8080 },
  });
  native.deployment.select(kplus.LabelSelector.of({ labels: { app: 'app-native' } }));

  new WaitForService(native, 'wait-for-db', {
    workload: native.workload,
    targets: [WaitTarget.tcp('postgres-svc', 5432)],
  });

  new FluentBitSidecar(native, 'log-forwarder', {
    workload: native.workload,
    logVolume: SharedVolume.emptyDir(chart, 'log-vol'),
    appMountPath: '/var/log/app',
    // The seed's ConfigMap, kept as it is. Its fluent-bit.conf is expected to turn on HTTP_Server on port
    // 2020 (the probes call /api/v1/uptime there) and to keep Grace under the pod's 30 s.
    config: FluentBitConfig.fromConfigMap(
      kplus.ConfigMap.fromConfigMapName(chart, 'fluent-bit-config', 'fluent-bit-config'),
      { health: FluentBitHealth.httpServer(2020) },
    ),
  });

  return chart;
}
