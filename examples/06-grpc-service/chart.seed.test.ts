import { App } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
} from '../../test/util/seed-compare';
import { build } from './chart';

describe('06-grpc-service', () => {
  const manifests = synthValid(build(new App()));
  const pod = only(manifests, 'Pod', 'grpc-service');

  test('matches the seed except for the listed, intentional differences', () => {
    const envoy = 'spec.containers[envoy]';
    const app = 'spec.containers[grpc-service]';
    const problems = compareWithSeed(loadSeed('06-grpc-service.yaml'), pod, {
      changed: {
        // Envoy 1.30 is past its support window, and a -latest tag floats: an exact, supported release
        'spec.containers[envoy].image': 'envoyproxy/envoy:v1.38.2, pinned (docs/images.md)',
        // The seed passes '-c /etc/envoy/envoy.yaml' as ONE argv element, which Envoy does not parse as a flag
        // and its value; each flag and value is its own element here. The drain flags and
        // --disable-hot-restart follow (see below).
        [`${envoy}.args`]: 'arguments split into separate argv elements, plus drain and hot-restart flags',
      },
      added: {
        ...cdk8sPlusPodDefaults(''),
        'spec.terminationGracePeriodSeconds': 'cdk8s-plus default (30 s); the 5 s drain fits in it',
        ...cdk8sPlusAppContainerDefaults(app),
        // The Envoy sidecar's own additions.
        ...helperContainerDefaults(envoy),
        [`${envoy}.env`]: 'admin port and drain seconds for the preStop drain script (numbers, no secrets)',
        [`${envoy}.lifecycle`]: 'preStop: POST /drain_listeners?graceful to the admin interface, then wait',
        [`${envoy}.startupProbe`]: 'admin /ready: the pod is started only once Envoy is live',
        [`${envoy}.readinessProbe`]: 'admin /ready: the pod takes traffic only while Envoy is live',
        [`${envoy}.ports[0].protocol`]: 'explicit TCP',
        [`${envoy}.ports[1].protocol`]: 'explicit TCP',
        [`${envoy}.volumeMounts[envoy-config].readOnly`]: 'the configuration is mounted read-only',
      },
    });
    expect(problems).toEqual([]);
  });
});
