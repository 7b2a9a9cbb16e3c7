/**
 * Seed 06: a gRPC service with a manually added Envoy sidecar (classic, as in the seed), whose configuration
 * comes from the existing ConfigMap `envoy-grpc-config`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, EnvoyConfig, EnvoySidecar, WorkloadKind } from '../../lib';

export function build(app: App): Chart {
  const chart = new Chart(app, '06-grpc-service');

  const service = new AppWorkload(chart, 'grpc-service', {
    kind: WorkloadKind.pod({ metadata: { name: 'grpc-service', namespace: 'production' } }),
    container: { name: 'grpc-service', image: 'company/grpc-service:2.0.0', portNumber: 50051 },
  });

  // The configuration is managed outside this chart: refer to it by name.
  const config = kplus.ConfigMap.fromConfigMapName(chart, 'envoy-grpc-config', 'envoy-grpc-config');

  new EnvoySidecar(service, 'envoy', {
    workload: service.workload,
    config: EnvoyConfig.fromConfigMap(config, { listenerPorts: [15001] }),
    adminPort: 9901,
    serviceCluster: 'grpc-service',
    serviceNode: 'grpc-service',
  });

  return chart;
}
