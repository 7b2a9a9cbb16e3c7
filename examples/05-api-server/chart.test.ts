import { App } from 'cdk8s';
import { containerNamed, only, podSpecOf, synthValid } from '../../test/util/manifest';
import { build } from './chart';

test('05-api-server synthesizes to valid manifests', () => {
  const manifests = synthValid(build(new App()));
  expect(manifests).toMatchSnapshot();
  const spec = podSpecOf(only(manifests, 'Deployment', 'api-server'));
  expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server', 'fluentd']);
  expect(containerNamed(spec, 'fluentd').volumeMounts[0]).toEqual({
    name: 'log-volume',
    mountPath: '/var/log/app',
    readOnly: true,
  });
});
