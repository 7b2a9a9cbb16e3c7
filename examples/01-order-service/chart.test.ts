import { Testing } from 'cdk8s';
import { build } from './chart';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { compareWithSeed, loadSeed } from '../../test/util/seed-compare';

const POD = 'spec.template.spec';

/** Fields every wait step gets beyond the seed: its settings and the library's safe defaults. */
function waitStepAdditions(name: string): { [path: string]: string } {
  return {
    [`${POD}.initContainers[${name}].env`]: 'target and timings reach the script as env vars, never inside its text',
    [`${POD}.initContainers[${name}].imagePullPolicy`]: 'pinned tag: IfNotPresent',
    [`${POD}.initContainers[${name}].terminationMessagePolicy`]:
      'helper default: the log tail becomes the termination message',
    [`${POD}.initContainers[${name}].resources`]: 'explicit small requests and limits (10m/16Mi, 50m/32Mi)',
    [`${POD}.initContainers[${name}].securityContext`]: 'non-root (65534), read-only root FS, no capabilities',
  };
}

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

  test('rebuilds the seed Deployment, with only the listed differences', () => {
    const deployment = only(synthValid(build(Testing.app())), 'Deployment', 'order-service');
    const differences = compareWithSeed(loadSeed('01-order-service.yaml'), deployment, {
      changed: {
        // `until nc -z -w 2` spins for ever under busybox builds without -z; ours uses `nc -w 2`, sleeps 3 s
        // between attempts as the seed does, and logs each attempt with its reason.
        [`${POD}.initContainers[wait-for-postgres].command`]: 'generated wait script (values in env)',
        [`${POD}.initContainers[wait-for-redis].command`]: 'generated wait script (values in env)',
      },
      added: {
        ...waitStepAdditions('wait-for-postgres'),
        ...waitStepAdditions('wait-for-redis'),
        // cdk8s-plus-28 defaults for the Deployment, its pod and the app container
        'spec.minReadySeconds': 'cdk8s-plus default (the Kubernetes default)',
        'spec.progressDeadlineSeconds': 'cdk8s-plus default (the Kubernetes default)',
        'spec.strategy': 'cdk8s-plus default rolling update (the Kubernetes default)',
        'spec.template.metadata.labels.cdk8s.io/metadata.addr':
          "cdk8s-plus's address label, added even with select: false",
        [`${POD}.automountServiceAccountToken`]: 'cdk8s-plus default: no API token in the pod',
        [`${POD}.containers[order-service].imagePullPolicy`]: 'cdk8s-plus default',
        [`${POD}.containers[order-service].resources`]: 'cdk8s-plus default requests and limits',
        [`${POD}.containers[order-service].securityContext`]: 'cdk8s-plus default security context',
        [`${POD}.containers[order-service].startupProbe`]: 'cdk8s-plus adds a TCP startup probe on the app port',
        [`${POD}.dnsPolicy`]: 'cdk8s-plus default (the Kubernetes default)',
        [`${POD}.hostNetwork`]: 'cdk8s-plus default (the Kubernetes default)',
        [`${POD}.restartPolicy`]: 'cdk8s-plus default (the Kubernetes default)',
        [`${POD}.securityContext`]: 'cdk8s-plus default pod security context',
        [`${POD}.setHostnameAsFQDN`]: 'cdk8s-plus default (the Kubernetes default)',
        [`${POD}.terminationGracePeriodSeconds`]: 'cdk8s-plus default (the Kubernetes default)',
      },
    });
    expect(differences).toEqual([]);
  });
});
