import { Testing } from 'cdk8s';
import { build } from './chart';
import { containerNamed, only, synthValid } from '../../test/util/manifest';

describe('example 00-my-app', () => {
  test('synthesizes valid manifests', () => {
    const manifests = synthValid(build(Testing.app()));
    expect(manifests).toMatchSnapshot();
    const pod = only(manifests, 'Pod', 'my-app');
    expect(pod.spec.initContainers.map((c: any) => c.name)).toEqual(['check-config', 'wait-db']);
    expect(containerNamed(pod.spec, 'check-config').volumeMounts).toEqual([
      { name: 'config-vol', mountPath: '/config', readOnly: true },
    ]);
  });
});
