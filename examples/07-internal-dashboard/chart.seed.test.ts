import { App } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusDeploymentDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
} from '../../test/util/seed-compare';
import { build } from './chart';

describe('07-internal-dashboard', () => {
  const manifests = synthValid(build(new App()));
  const deployment = only(manifests, 'Deployment', 'internal-dashboard');

  test('matches the seed except for the listed, intentional differences', () => {
    const seed = loadSeed('07-internal-dashboard.yaml');
    const grafana = 'spec.template.spec.containers[grafana]';
    const proxy = 'spec.template.spec.initContainers[oauth2-proxy]';
    const problems = compareWithSeed(seed, deployment, {
      changed: {
        // The seed runs oauth2-proxy as a classic container. Here it is a native sidecar (the library's default
        // from Kubernetes 1.29): it starts, and passes its startup probe, before Grafana, and it stops after
        // Grafana. Same image, flags, port and secret references: see the `added` entries under initContainers.
        'spec.template.spec.containers[oauth2-proxy]': 'moved to initContainers as a native sidecar',
        // oauth2-proxy hands the signed-in user to the app in X-Forwarded-Email and strips that header from
        // client requests. X-Auth-Request-Email, which the seed has Grafana trust, is only a response header of
        // --set-xauthrequest: any signed-in user could send it and become any Grafana user.
        [`${grafana}.env[GF_AUTH_PROXY_HEADER_NAME].value`]: 'X-Forwarded-Email, the header the proxy sets',
      },
      added: {
        // The native sidecar: the seed's container, plus the library's probes, resources and security context.
        [`${proxy}.name`]: 'seed container, moved',
        [`${proxy}.image`]: 'seed image',
        [`${proxy}.args`]: 'seed flags, unchanged and in the same order',
        [`${proxy}.env`]: 'seed secretKeyRefs to oauth2-proxy-secret, unchanged',
        [`${proxy}.ports[0].containerPort`]: 'seed port 4180',
        [`${proxy}.ports[0].protocol`]: 'explicit TCP',
        [`${proxy}.restartPolicy`]: 'Always: what makes it a native sidecar',
        ...helperContainerDefaults(proxy),
        [`${proxy}.startupProbe`]: '/ping: Grafana starts once the proxy is up',
        [`${proxy}.livenessProbe`]: '/ping',
        [`${proxy}.readinessProbe`]: '/ready',
        [`${proxy}.resources`]: 'small explicit requests and limits (the seed sets none)',
        // Grafana trusts the identity header only from the proxy beside it (the loopback), not from a client
        // that reaches its port directly.
        [`${grafana}.env[GF_AUTH_PROXY_WHITELIST]`]: 'identity header accepted only from localhost',
        // cdk8s-plus defaults for the app container. Its read-only root file system default is turned off:
        // Grafana writes its database under /var/lib/grafana, as in the seed.
        ...cdk8sPlusAppContainerDefaults(grafana),
        [`${grafana}.securityContext`]: 'cdk8s-plus default: non-root, no privilege escalation (writable root FS)',
        ...cdk8sPlusDeploymentDefaults(),
        // names the proxy every Service must reach, for the rules and the doctor
        'spec.template.metadata.annotations.pod-patterns.cdk8s.io/front-door': 'oauth2-proxy is the front door',
        ...cdk8sPlusPodDefaults('spec.template'),
      },
    });
    expect(problems).toEqual([]);
  });
});
