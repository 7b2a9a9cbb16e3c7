import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, SharedVolume, WorkloadKind } from '../lib';
import { onlyPodSpec, synthValid } from './util/manifest';

test('smoke', () => {
  const chart = Testing.chart();
  const app = new AppWorkload(chart, 'web', {
    kind: WorkloadKind.deployment({ replicas: 2 }),
    container: { image: 'nginx:1.27', portNumber: 8080 },
  });
  const data = SharedVolume.emptyDir(chart, 'data');
  const a = app.composer.addInitStep({ name: 'fill', image: 'busybox:1.36', command: ['true'], mounts: [{ volume: data, path: '/data', readOnly: false }] });
  app.composer.addInitStep({ name: 'first', image: 'busybox:1.36' });
  app.composer.addSidecar({ name: 'side', image: 'busybox:1.36' }, { after: [a] });
  app.composer.mountIntoApp(data, '/srv');
  app.exposeViaService();
  const m = synthValid(chart);
  console.log(JSON.stringify(m, null, 1));
  expect(onlyPodSpec(m).initContainers.map((c: any) => c.name)).toEqual(['fill', 'first', 'side']);
  void kplus;
});
