import { App } from 'cdk8s';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { build } from './chart';

describe('07-internal-dashboard', () => {
  const manifests = synthValid(build(new App()));
  const deployment = only(manifests, 'Deployment', 'internal-dashboard');
  const spec = deployment.spec.template.spec;

  test('synthesizes', () => {
    expect(manifests).toMatchSnapshot();
    // the Secret is referred to by name, not created here
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment']);
  });

  test('oauth2-proxy is a native sidecar with the seed flags, its secrets by reference', () => {
    const proxy = containerNamed(spec, 'oauth2-proxy');
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['oauth2-proxy']);
    expect(proxy.restartPolicy).toBe('Always');
    expect(proxy.env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'oauth2-proxy-secret', key: 'client-id' },
      { name: 'oauth2-proxy-secret', key: 'client-secret' },
      { name: 'oauth2-proxy-secret', key: 'cookie-secret' },
    ]);
  });
});
