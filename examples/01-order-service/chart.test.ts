import { Testing } from 'cdk8s';
import { build } from './chart';
import { containerNamed, only, synthValid } from '../../test/util/manifest';

describe('example 01-order-service', () => {
  test('synthesizes valid manifests', () => {
    const manifests = synthValid(build(Testing.app()));
    expect(manifests).toMatchSnapshot();
    const deployment = only(manifests, 'Deployment', 'order-service');
    expect(deployment.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual([
      'wait-for-postgres',
      'wait-for-redis',
    ]);
    const redis = containerNamed(deployment.spec.template.spec, 'wait-for-redis');
    expect(redis.env).toEqual([
      { name: 'WAIT_TARGETS', value: 'tcp://redis-svc:6379' },
      { name: 'WAIT_INTERVAL_SECONDS', value: '3' },
      { name: 'WAIT_ATTEMPT_TIMEOUT_SECONDS', value: '2' },
    ]);
  });
});
