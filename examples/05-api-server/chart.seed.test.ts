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

const POD = 'spec.template.spec';
const APP = `${POD}.containers[api-server]`;
const FLUENTD = `${POD}.containers[fluentd]`;

test('05-api-server matches the seed, except for the listed differences', () => {
  const ours = only(synthValid(build(new App())), 'Deployment', 'api-server');
  expect(
    compareWithSeed(loadSeed('05-api-server.yaml'), ours, {
      changed: {
        // v1.16 stopped being rebuilt at 1.16.3: an exact build of the maintained 1.19 line, multi-arch
        'spec.template.spec.containers[fluentd].image': 'v1.19.3-debian-elasticsearch8-1.1 (docs/images.md)',
      },
      added: {
        ...cdk8sPlusDeploymentDefaults(),
        ...cdk8sPlusPodDefaults('spec.template'),
        ...cdk8sPlusAppContainerDefaults(APP),
        [`${APP}.volumeMounts[log-volume].readOnly`]: 'explicit: the app is the producer of the log files',
        // the Fluentd sidecar: the seed's resources, the helper defaults with a writable root file system, and a
        // state volume of its own
        ...helperContainerDefaults(FLUENTD),
        [`${FLUENTD}.securityContext`]:
          'non-root (65534) with no capabilities: a sidecar reads only the shared volume; the root file system ' +
          "stays writable because Ruby needs the image's sticky /tmp (see FluentdSidecar.readOnlyRootFilesystem)",
        [`${FLUENTD}.volumeMounts[fluentd-config].readOnly`]: 'explicit: a ConfigMap mount is read-only anyway',
        [`${FLUENTD}.volumeMounts[fluentd-state]`]: 'a writable volume of its own for pos_file and file buffers',
        [`${POD}.volumes[fluentd-state]`]: "the state volume, size-limited so buffers cannot fill the node's disk",
      },
    }),
  ).toEqual([]);
});
