import { App } from 'cdk8s';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { compareWithSeed, loadSeed } from '../../test/util/seed-compare';
import { build } from './chart';

describe('06-grpc-service', () => {
  const manifests = synthValid(build(new App()));
  const pod = only(manifests, 'Pod', 'grpc-service');

  test('synthesizes', () => {
    expect(manifests).toMatchSnapshot();
    // the ConfigMap is referred to by name, not created here
    expect(manifests.map((m) => m.kind)).toEqual(['Pod']);
  });

  test('Envoy gets its arguments as separate argv elements', () => {
    expect(containerNamed(pod.spec, 'envoy').args.slice(0, 6)).toEqual([
      '-c',
      '/etc/envoy/envoy.yaml',
      '--service-cluster',
      'grpc-service',
      '--service-node',
      'grpc-service',
    ]);
  });

  test('matches the seed except for the listed, intentional differences', () => {
    const envoy = 'spec.containers[envoy]';
    const app = 'spec.containers[grpc-service]';
    const problems = compareWithSeed(loadSeed('06-grpc-service.yaml'), pod, {
      changed: {
        // The seed passes '-c /etc/envoy/envoy.yaml' as ONE argv element, which Envoy does not parse as a flag
        // and its value; each flag and value is its own element here. The drain flags and
        // --disable-hot-restart follow (see below).
        [`${envoy}.args`]: 'arguments split into separate argv elements, plus drain and hot-restart flags',
      },
      added: {
        // cdk8s-plus adds its address label to every pod it renders.
        'metadata.labels': 'cdk8s-plus address label',
        // cdk8s-plus pod defaults: no service account token, explicit DNS policy, restart policy, grace period
        // and a non-root pod security context.
        'spec.automountServiceAccountToken': 'cdk8s-plus default: no service account token mounted',
        'spec.dnsPolicy': 'cdk8s-plus default (the Kubernetes default, made explicit)',
        'spec.hostNetwork': 'cdk8s-plus default (the Kubernetes default, made explicit)',
        'spec.restartPolicy': 'cdk8s-plus default (the Kubernetes default, made explicit)',
        'spec.securityContext': 'cdk8s-plus default: non-root pod security context',
        'spec.setHostnameAsFQDN': 'cdk8s-plus default (the Kubernetes default, made explicit)',
        'spec.terminationGracePeriodSeconds': 'cdk8s-plus default (30 s, the Kubernetes default); the drain fits in it',
        // cdk8s-plus defaults for the app container: pull policy, resources, a restricted security context and
        // a TCP startup probe on its port.
        [`${app}.imagePullPolicy`]: 'cdk8s-plus default',
        [`${app}.resources`]: 'cdk8s-plus default requests and limits (the seed sets none)',
        [`${app}.securityContext`]: 'cdk8s-plus default: non-root, read-only root file system',
        [`${app}.startupProbe`]: 'cdk8s-plus default: TCP startup probe on the app port',
        // The Envoy sidecar's own additions.
        [`${envoy}.env`]: 'admin port and drain seconds for the preStop drain script (numbers, no secrets)',
        [`${envoy}.lifecycle`]: 'preStop: POST /drain_listeners?graceful to the admin interface, then wait',
        [`${envoy}.startupProbe`]: 'admin /ready: the pod is started only once Envoy is live',
        [`${envoy}.readinessProbe`]: 'admin /ready: the pod takes traffic only while Envoy is live',
        [`${envoy}.imagePullPolicy`]: 'explicit IfNotPresent for a pinned tag',
        [`${envoy}.terminationMessagePolicy`]: 'helper default: the log tail becomes the termination message',
        [`${envoy}.ports[0].protocol`]: 'explicit TCP',
        [`${envoy}.ports[1].protocol`]: 'explicit TCP',
        [`${envoy}.securityContext`]: 'helper default: non-root, no privilege escalation, read-only root file system',
        [`${envoy}.volumeMounts[envoy-config].readOnly`]: 'the configuration is mounted read-only',
      },
    });
    expect(problems).toEqual([]);
  });
});
