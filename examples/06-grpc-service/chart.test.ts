import { App } from 'cdk8s';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { build } from './chart';

describe('06-grpc-service', () => {
  const manifests = synthValid(build(new App()));
  const pod = only(manifests, 'Pod', 'grpc-service');

  test('synthesizes', () => {
    expect(manifests).toMatchSnapshot();
    // the ConfigMap is referred to by name, not created here
    expect(manifests.map((m) => m.kind)).toEqual(['Pod']);
  });

  test('Envoy gets its arguments as separate argv elements', () => {
    expect(containerNamed(pod.spec, 'envoy').args.slice(0, 6)).toEqual([
      '-c',
      '/etc/envoy/envoy.yaml',
      '--service-cluster',
      'grpc-service',
      '--service-node',
      'grpc-service',
    ]);
  });
});
