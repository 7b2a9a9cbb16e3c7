import { App } from 'cdk8s';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { build } from './chart';

describe('04-payment-service', () => {
  test('synthesizes valid manifests', () => {
    const manifests = synthValid(build(new App()));
    expect(manifests).toMatchSnapshot();
    const pod = only(manifests, 'Pod', 'payment-service');
    expect(pod.spec.serviceAccountName).toBe('payment-service-sa');
    expect(containerNamed(pod.spec, 'payment-service').env).toEqual([
      { name: 'STRIPE_API_KEY_FILE', value: '/secrets/stripe_api_key' },
      { name: 'DB_PASSWORD_FILE', value: '/secrets/db_password' },
    ]);
  });
});
