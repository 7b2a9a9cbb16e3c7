import { Testing } from 'cdk8s';
import { build } from './chart';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  loadSeed,
  scriptStepDefaults,
} from '../../test/util/seed-compare';

describe('example 00-my-app', () => {
  test('rebuilds the seed Pod, with only the listed differences', () => {
    const pod = only(synthValid(build(Testing.app())), 'Pod', 'my-app');
    const differences = compareWithSeed(loadSeed('00-my-app.yaml'), pod, {
      changed: {
        // busybox 1.36 is no longer built by the official image: an exact, maintained, multi-arch release
        'spec.initContainers[check-config].image': 'busybox:1.37.0, pinned (docs/images.md)',
        'spec.initContainers[wait-db].image': 'busybox:1.37.0, pinned (docs/images.md)',
        // `test -f ... && echo` becomes a script that prints one line per file and fails with a clear summary.
        'spec.initContainers[check-config].command': 'generated check script (values in env)',
        // `until nc -z` spins for ever under busybox builds without -z; ours uses `nc -w`, logs each attempt
        // and can have a deadline.
        'spec.initContainers[wait-db].command': 'generated wait script (values in env)',
      },
      added: {
        ...scriptStepDefaults('spec.initContainers[check-config]'),
        ...scriptStepDefaults('spec.initContainers[wait-db]'),
        // consumers mount read-only (a ConfigMap volume is read-only anyway)
        'spec.initContainers[check-config].volumeMounts[config-vol].readOnly': 'the check only reads',
        'spec.containers[app].volumeMounts[config-vol].readOnly': 'the app only reads its config',
        ...cdk8sPlusAppContainerDefaults('spec.containers[app]'),
        ...cdk8sPlusPodDefaults(''),
      },
    });
    expect(differences).toEqual([]);
  });
});
