import { App } from 'cdk8s';
import { containerNamed, only, podSpecOf, synthValid } from '../../test/util/manifest';
import { build } from './chart';

test('08-app-with-native-sidecar synthesizes to valid manifests', () => {
  const manifests = synthValid(build(new App()));
  expect(manifests).toMatchSnapshot();
  const spec = podSpecOf(only(manifests, 'Deployment', 'app-with-native-sidecar'));
  expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
    ['wait-for-db', undefined],
    ['log-forwarder', 'Always'],
  ]);
  expect(containerNamed(spec, 'log-forwarder').volumeMounts.slice(0, 2)).toEqual([
    { name: 'log-vol', mountPath: '/var/log/app', readOnly: true },
    { name: 'fluent-bit-config', mountPath: '/fluent-bit/etc', readOnly: true },
  ]);
});
