import { App } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusDeploymentDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
  scriptStepDefaults,
} from '../../test/util/seed-compare';
import { build } from './chart';

const POD = 'spec.template.spec';
const APP = `${POD}.containers[app]`;
const WAIT = `${POD}.initContainers[wait-for-db]`;
const FORWARDER = `${POD}.initContainers[log-forwarder]`;

test('08-app-with-native-sidecar matches the seed, except for the listed differences', () => {
  const ours = only(synthValid(build(new App())), 'Deployment', 'app-with-native-sidecar');
  expect(
    compareWithSeed(loadSeed('08-app-with-native-sidecar.yaml'), ours, {
      changed: {
        // exact, maintained, multi-arch releases (docs/images.md)
        [`${POD}.initContainers[wait-for-db].image`]: 'busybox:1.37.0, pinned',
        [`${POD}.initContainers[log-forwarder].image`]: 'fluent/fluent-bit:5.0.3, pinned',
        [`${WAIT}.command`]:
          "WaitForService's script: `nc -z` does not exist in every busybox build; it uses `nc -w` with a " +
          'bounded attempt, logs each try, and reads its target from WAIT_TARGETS instead of the script text',
      },
      added: {
        // the image's ENTRYPOINT and CMD both name the binary: the whole command line, explicitly
        [`${POD}.initContainers[log-forwarder].command`]: 'fluent-bit -c /fluent-bit/etc/fluent-bit.conf',
        ...cdk8sPlusDeploymentDefaults(),
        ...cdk8sPlusPodDefaults('spec.template'),
        [`${POD}.terminationGracePeriodSeconds`]:
          'cdk8s-plus default (30 s); Fluent Bit Grace (5 s) must fit inside it',
        ...cdk8sPlusAppContainerDefaults(APP),
        [`${APP}.volumeMounts[log-vol].readOnly`]: 'explicit: the app is the producer of the log files',
        ...scriptStepDefaults(WAIT),
        // the Fluent Bit native sidecar (the seed's resources)
        ...helperContainerDefaults(FORWARDER),
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
