import { Testing } from 'cdk8s';
import { build } from './chart';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusDeploymentDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  loadSeed,
  scriptStepDefaults,
} from '../../test/util/seed-compare';

const POD = 'spec.template.spec';

describe('example 01-order-service', () => {
  test('rebuilds the seed Deployment, with only the listed differences', () => {
    const deployment = only(synthValid(build(Testing.app())), 'Deployment', 'order-service');
    const differences = compareWithSeed(loadSeed('01-order-service.yaml'), deployment, {
      changed: {
        // busybox 1.36 is no longer built by the official image: an exact, maintained, multi-arch release
        [`${POD}.initContainers[wait-for-postgres].image`]: 'busybox:1.37.0, pinned (docs/images.md)',
        [`${POD}.initContainers[wait-for-redis].image`]: 'busybox:1.37.0, pinned (docs/images.md)',
        // `until nc -z -w 2` spins for ever under busybox builds without -z; ours uses `nc -w 2`, sleeps 3 s
        // between attempts as the seed does, and logs each attempt with its reason.
        [`${POD}.initContainers[wait-for-postgres].command`]: 'generated wait script (values in env)',
        [`${POD}.initContainers[wait-for-redis].command`]: 'generated wait script (values in env)',
      },
      added: {
        ...scriptStepDefaults(`${POD}.initContainers[wait-for-postgres]`),
        ...scriptStepDefaults(`${POD}.initContainers[wait-for-redis]`),
        ...cdk8sPlusAppContainerDefaults(`${POD}.containers[order-service]`),
        ...cdk8sPlusDeploymentDefaults(),
        // the address label is added even with select: false
        ...cdk8sPlusPodDefaults('spec.template'),
      },
    });
    expect(differences).toEqual([]);
  });
});
