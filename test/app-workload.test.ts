import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, KubernetesVersion, WorkloadKind } from '../lib';
import { only, onlyPodSpec, synthValid } from './util/manifest';

describe('AppWorkload', () => {
  test('a Deployment with the app container by default', () => {
    const chart = Testing.chart();
    new AppWorkload(chart, 'orders', {
      container: { name: 'order-service', image: 'company/order-service:3.4.1', portNumber: 8080 },
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const deployment = only(manifests, 'Deployment');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['order-service']);
  });

  test('the kind carries the cdk8s-plus props (name, namespace, replicas, labels)', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'orders', {
      kind: WorkloadKind.deployment({
        metadata: { name: 'order-service', namespace: 'production' },
        replicas: 3,
        select: false,
        podMetadata: { labels: { app: 'order-service' } },
      }),
      container: { image: 'company/order-service:3.4.1', portNumber: 8080 },
    });
    (app.workload as kplus.Deployment).select(kplus.LabelSelector.of({ labels: { app: 'order-service' } }));
    const deployment = only(synthValid(chart), 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'order-service', namespace: 'production' });
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'order-service' } });
    // cdk8s-plus always adds its own address label to the pod template, even with select: false
    expect(Object.keys(deployment.spec.template.metadata.labels)).toEqual(['app', 'cdk8s.io/metadata.addr']);
  });

  test('a StatefulSet gets its ports from the app container', () => {
    const chart = Testing.chart();
    new AppWorkload(chart, 'db', {
      kind: WorkloadKind.statefulSet(),
      container: { image: 'postgres:16', portNumber: 5432 },
    });
    const manifests = synthValid(chart);
    expect(only(manifests, 'StatefulSet').spec.template.spec.containers[0].image).toBe('postgres:16');
  });

  test('extra containers of the kind props come after the app container', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', {
      kind: WorkloadKind.pod({ containers: [{ name: 'metrics', image: 'exporter:1' }] }),
      container: { name: 'web', image: 'nginx:1.27' },
    });
    expect(app.container.name).toBe('web');
    expect(onlyPodSpec(synthValid(chart)).containers.map((c: any) => c.name)).toEqual(['web', 'metrics']);
  });

  test('exposeViaService makes a Service to the app port', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'web', { container: { image: 'nginx:1.27', portNumber: 8080 } });
    app.exposeViaService({ name: 'web', port: 80, portName: 'http' });
    const svc = only(synthValid(chart), 'Service');
    expect(svc.metadata.name).toBe('web');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  test('exposeViaService without a port is an error that says what to give', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'worker', { container: { image: 'worker:1' } });
    expect(() => app.exposeViaService()).toThrow(
      "PodComposer 'test/worker/Workload': the app container declares no port; give it 'portNumber' or pass 'targetPort'",
    );
  });
});

describe('KubernetesVersion', () => {
  test('defaults to 1.29 and reads the nearest target', () => {
    const chart = Testing.chart();
    expect(KubernetesVersion.targetOf(chart).toString()).toBe('1.29');
    KubernetesVersion.setTarget(chart, KubernetesVersion.V1_28);
    expect(KubernetesVersion.targetOf(chart).supportsNativeSidecars).toBe(false);
    expect(KubernetesVersion.of(31).supportsNativeSidecars).toBe(true);
  });

  test('rejects a minor version out of range', () => {
    expect(() => KubernetesVersion.of(2.5)).toThrow(
      "KubernetesVersion.of: 'minor' must be a whole number from 20 to 99 (1.20-1.99), got 2.5",
    );
  });
});
