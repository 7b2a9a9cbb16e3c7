import { App } from 'cdk8s';
import { containerNamed, only, podSpecOf, synthValid } from '../../test/util/manifest';
import { compareWithSeed, loadSeed } from '../../test/util/seed-compare';
import { build } from './chart';

const POD = 'spec.template.spec';
const APP = `${POD}.containers[app]`;
const WAIT = `${POD}.initContainers[wait-for-db]`;
const FORWARDER = `${POD}.initContainers[log-forwarder]`;

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

test('08-app-with-native-sidecar matches the seed, except for the listed differences', () => {
  const ours = only(synthValid(build(new App())), 'Deployment', 'app-with-native-sidecar');
  expect(
    compareWithSeed(loadSeed('08-app-with-native-sidecar.yaml'), ours, {
      changed: {
        [`${WAIT}.command`]:
          "WaitForService's script: `nc -z` does not exist in every busybox build; it uses `nc -w` with a " +
          'bounded attempt, logs each try, and reads its target from WAIT_TARGETS instead of the script text',
      },
      added: {
        // cdk8s-plus Deployment defaults, written out explicitly
        'spec.minReadySeconds': 'cdk8s-plus default',
        'spec.progressDeadlineSeconds': 'cdk8s-plus default',
        'spec.strategy': 'cdk8s-plus default: RollingUpdate 25%/25%',
        'spec.template.metadata.labels.cdk8s.io/metadata.addr': 'cdk8s-plus pod label (for its own selectors)',
        // cdk8s-plus pod defaults
        [`${POD}.automountServiceAccountToken`]: 'cdk8s-plus secure default: no API token in the pod',
        [`${POD}.dnsPolicy`]: 'cdk8s-plus default (the Kubernetes default, written out)',
        [`${POD}.hostNetwork`]: 'cdk8s-plus default (the Kubernetes default, written out)',
        [`${POD}.restartPolicy`]: 'cdk8s-plus default (the Kubernetes default, written out)',
        [`${POD}.securityContext`]: 'cdk8s-plus secure default: runAsNonRoot for the pod',
        [`${POD}.setHostnameAsFQDN`]: 'cdk8s-plus default (the Kubernetes default, written out)',
        [`${POD}.terminationGracePeriodSeconds`]: 'cdk8s-plus default; Fluent Bit Grace (5 s) must fit inside it',
        // the app container: cdk8s-plus defaults
        [`${APP}.imagePullPolicy`]: 'cdk8s-plus default',
        [`${APP}.resources`]: 'cdk8s-plus default requests and limits (the seed sets none for the app)',
        [`${APP}.securityContext`]: 'cdk8s-plus secure default; the app writes only to the log volume',
        [`${APP}.startupProbe`]: 'cdk8s-plus adds a TCP startup probe on the app port',
        [`${APP}.volumeMounts[log-vol].readOnly`]: 'explicit: the app is the producer of the log files',
        // the wait-for-db init step
        [`${WAIT}.env`]: 'the target and timings, passed as data rather than spliced into the script',
        [`${WAIT}.imagePullPolicy`]: 'helper containers pull a pinned tag only when missing',
        [`${WAIT}.terminationMessagePolicy`]: 'helper default: the log tail becomes the termination message',
        [`${WAIT}.resources`]: 'explicit small requests and limits for a shell loop',
        [`${WAIT}.securityContext`]: 'non-root, no capabilities, read-only root file system',
        // the Fluent Bit native sidecar
        [`${FORWARDER}.imagePullPolicy`]: 'helper containers pull a pinned tag only when missing',
        [`${FORWARDER}.terminationMessagePolicy`]: 'helper default: the log tail becomes the termination message',
        [`${FORWARDER}.securityContext`]: 'non-root (65534), no capabilities, read-only root file system',
        [`${FORWARDER}.startupProbe`]:
          "Fluent Bit's /api/v1/health: the app starts only once the forwarder answers (native sidecar ordering)",
        [`${FORWARDER}.livenessProbe`]: "Fluent Bit's /api/v1/health: restarts a forwarder whose outputs keep failing",
        [`${FORWARDER}.ports`]: "declares Fluent Bit's HTTP port (metrics and health, 2020)",
        [`${FORWARDER}.volumeMounts[fluent-bit-config].readOnly`]: 'explicit: a ConfigMap mount is read-only anyway',
        [`${FORWARDER}.volumeMounts[log-forwarder-state]`]:
          'a writable volume of its own for the tail position database, so a restart neither loses nor repeats lines',
        [`${POD}.volumes[log-forwarder-state]`]: 'the state volume, size-limited',
      },
    }),
  ).toEqual([]);
});
