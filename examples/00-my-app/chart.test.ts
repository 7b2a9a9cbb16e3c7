import { Testing } from 'cdk8s';
import { build } from './chart';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { compareWithSeed, loadSeed } from '../../test/util/seed-compare';

/** Fields every helper container gets beyond the seed: the library's safe defaults. */
function helperDefaults(name: string): { [path: string]: string } {
  return {
    [`spec.initContainers[${name}].env`]: 'settings reach the script as env vars, never inside its text',
    [`spec.initContainers[${name}].imagePullPolicy`]: 'pinned tag: IfNotPresent',
    [`spec.initContainers[${name}].terminationMessagePolicy`]:
      'helper default: the log tail becomes the termination message',
    [`spec.initContainers[${name}].resources`]: 'explicit small requests and limits (10m/16Mi, 50m/32Mi)',
    [`spec.initContainers[${name}].securityContext`]: 'non-root (65534), read-only root FS, no capabilities',
  };
}

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

  test('rebuilds the seed Pod, with only the listed differences', () => {
    const pod = only(synthValid(build(Testing.app())), 'Pod', 'my-app');
    const differences = compareWithSeed(loadSeed('00-my-app.yaml'), pod, {
      changed: {
        // `test -f ... && echo` becomes a script that prints one line per file and fails with a clear summary.
        'spec.initContainers[check-config].command': 'generated check script (values in env)',
        // `until nc -z` spins for ever under busybox builds without -z; ours uses `nc -w`, logs each attempt
        // and can have a deadline.
        'spec.initContainers[wait-db].command': 'generated wait script (values in env)',
      },
      added: {
        ...helperDefaults('check-config'),
        ...helperDefaults('wait-db'),
        // consumers mount read-only (a ConfigMap volume is read-only anyway)
        'spec.initContainers[check-config].volumeMounts[config-vol].readOnly': 'the check only reads',
        'spec.containers[app].volumeMounts[config-vol].readOnly': 'the app only reads its config',
        // cdk8s-plus-28 defaults for the app container and the pod
        'metadata.labels': "cdk8s-plus's address label",
        'spec.containers[app].imagePullPolicy': 'cdk8s-plus default',
        'spec.containers[app].resources': 'cdk8s-plus default requests and limits',
        'spec.containers[app].securityContext': 'cdk8s-plus default security context',
        'spec.containers[app].startupProbe': 'cdk8s-plus adds a TCP startup probe on the app port',
        'spec.automountServiceAccountToken': 'cdk8s-plus default: no API token in the pod',
        'spec.dnsPolicy': 'cdk8s-plus default (the Kubernetes default)',
        'spec.hostNetwork': 'cdk8s-plus default (the Kubernetes default)',
        'spec.restartPolicy': 'cdk8s-plus default (the Kubernetes default)',
        'spec.securityContext': 'cdk8s-plus default pod security context',
        'spec.setHostnameAsFQDN': 'cdk8s-plus default (the Kubernetes default)',
        'spec.terminationGracePeriodSeconds': 'cdk8s-plus default (the Kubernetes default)',
      },
    });
    expect(differences).toEqual([]);
  });
});
