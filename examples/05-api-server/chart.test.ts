import { App } from 'cdk8s';
import { containerNamed, only, podSpecOf, synthValid } from '../../test/util/manifest';
import { compareWithSeed, loadSeed } from '../../test/util/seed-compare';
import { build } from './chart';

const POD = 'spec.template.spec';
const APP = `${POD}.containers[api-server]`;
const FLUENTD = `${POD}.containers[fluentd]`;

test('05-api-server synthesizes to valid manifests', () => {
  const manifests = synthValid(build(new App()));
  expect(manifests).toMatchSnapshot();
  const spec = podSpecOf(only(manifests, 'Deployment', 'api-server'));
  expect(spec.containers.map((c: any) => c.name)).toEqual(['api-server', 'fluentd']);
  expect(containerNamed(spec, 'fluentd').volumeMounts[0]).toEqual({
    name: 'log-volume',
    mountPath: '/var/log/app',
    readOnly: true,
  });
});

test('05-api-server matches the seed, except for the listed differences', () => {
  const ours = only(synthValid(build(new App())), 'Deployment', 'api-server');
  expect(
    compareWithSeed(loadSeed('05-api-server.yaml'), ours, {
      changed: {},
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
        [`${POD}.terminationGracePeriodSeconds`]: 'cdk8s-plus default (the Kubernetes default, written out)',
        // the app container: cdk8s-plus defaults
        [`${APP}.imagePullPolicy`]: 'cdk8s-plus default',
        [`${APP}.resources`]: 'cdk8s-plus default requests and limits (the seed sets none for the app)',
        [`${APP}.securityContext`]: 'cdk8s-plus secure default; the app writes only to the log volume',
        [`${APP}.startupProbe`]: 'cdk8s-plus adds a TCP startup probe on the app port',
        [`${APP}.volumeMounts[log-volume].readOnly`]: 'explicit: the app is the producer of the log files',
        // the Fluentd sidecar
        [`${FLUENTD}.imagePullPolicy`]: 'helper containers pull a pinned tag only when missing',
        [`${FLUENTD}.terminationMessagePolicy`]: 'helper default: the log tail becomes the termination message',
        [`${FLUENTD}.securityContext`]:
          'non-root (65534) with no capabilities: a sidecar reads only the shared volume; the root file system ' +
          "stays writable because Ruby needs the image's sticky /tmp (see FluentdSidecar.readOnlyRootFilesystem)",
        [`${FLUENTD}.env[FLUENT_ELASTICSEARCH_SED_DISABLE]`]:
          'stops the image flavours whose entrypoint runs `sed -i` on the (read-only) ConfigMap from crashing',
        [`${FLUENTD}.volumeMounts[fluentd-config].readOnly`]: 'explicit: a ConfigMap mount is read-only anyway',
        [`${FLUENTD}.volumeMounts[fluentd-state]`]: 'a writable volume of its own for pos_file and file buffers',
        [`${POD}.volumes[fluentd-state]`]: "the state volume, size-limited so buffers cannot fill the node's disk",
      },
    }),
  ).toEqual([]);
});
