/**
 * Seed 01 (order-service): a Deployment that waits for PostgreSQL and Redis before the app starts.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, WaitForService, WaitTarget, WorkloadKind } from '../../lib';

/** Builds the order-service chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '01-order-service');

  const orders = new AppWorkload(chart, 'order-service', {
    kind: WorkloadKind.deployment({
      metadata: { name: 'order-service', namespace: 'production' },
      replicas: 3,
      select: false,
      podMetadata: { labels: { app: 'order-service' } },
    }),
    container: {
      name: 'order-service',
      image: 'company/order-service:3.4.1',
      portNumber: 8080,
      envVariables: {
        SPRING_DATASOURCE_URL: kplus.EnvValue.fromValue('jdbc:postgresql://postgres-svc:5432/orders'),
        SPRING_REDIS_HOST: kplus.EnvValue.fromValue('redis-svc'),
      },
    },
  });
  orders.deployment.select(kplus.LabelSelector.of({ labels: { app: 'order-service' } }));

  // One step per dependency, as in the seed, polling every 3 s with 2 s per attempt.
  new WaitForService(orders, 'wait-for-postgres', {
    workload: orders.workload,
    targets: [WaitTarget.tcp('postgres-svc', 5432)],
    intervalSeconds: 3,
    attemptTimeoutSeconds: 2,
  });
  new WaitForService(orders, 'wait-for-redis', {
    workload: orders.workload,
    targets: [WaitTarget.tcp('redis-svc', 6379)],
    intervalSeconds: 3,
    attemptTimeoutSeconds: 2,
  });
  return chart;
}
