/**
 * The seed's api-server Deployment: the app writes its log files to a shared emptyDir, and a classic Fluentd
 * sidecar reads them (read-only) and ships them to Elasticsearch with the configuration in ConfigMap
 * `fluentd-config`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, FluentdSidecar, SharedVolume, WorkloadKind } from '../../lib';

export function build(app: App): Chart {
  const chart = new Chart(app, '05-api-server');

  const api = new AppWorkload(chart, 'api-server', {
    kind: WorkloadKind.deployment({
      metadata: { name: 'api-server', namespace: 'production' },
      replicas: 3,
      select: false,
      podMetadata: { labels: { app: 'api-server' } },
    }),
    container: {
      name: 'api-server',
      image: 'company/api-server:6.1.0',
      portNumber: 8080,
      envVariables: { LOG_DIR: kplus.EnvValue.fromValue('/var/log/app') },
    },
  });
  api.deployment.select(kplus.LabelSelector.of({ labels: { app: 'api-server' } }));

  new FluentdSidecar(api, 'fluentd', {
    workload: api.workload,
    logVolume: SharedVolume.emptyDir(chart, 'log-volume'),
    appMountPath: '/var/log/app',
    configMap: kplus.ConfigMap.fromConfigMapName(chart, 'fluentd-config', 'fluentd-config'),
    elasticsearchHost: 'elasticsearch-svc',
    elasticsearchPort: 9200,
  });

  return chart;
}
