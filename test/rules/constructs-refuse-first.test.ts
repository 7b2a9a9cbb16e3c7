/**
 * Where the library's constructs can refuse what a rule would report, they do, earlier and with a
 * construct-level message (the prop and the value), so the rules at synth are the net for what reached the pod
 * another way. Each case: the input that would make the rule fire, and the construct's own refusal.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HealthCheck, KubernetesVersion, SidecarMode, WaitForService, WaitTarget, WorkloadKind } from '../../lib';
import { ManifestRules, Severity } from '../../lib';
import { chartWithApp } from '../util/manifest';

const busybox = (name: string) => ({ name, image: 'busybox:1.37.0', command: ['true'] });

function app(kind?: WorkloadKind, version?: KubernetesVersion) {
  return chartWithApp('web', { name: 'app', image: 'nginx:1.27', portNumber: 8080 }, { kind, version });
}

/** The rule ids whose errors are about the library's own helpers and that a construct refuses first. */
const CASES: Array<[string, () => void, string]> = [
  ['container-name', () => app().app.composer.addInitStep(busybox('Bad_Name')), "'name' must be"],
  [
    'env-name',
    () => app().app.composer.addInitStep({ ...busybox('step'), env: { '1BAD': kplus.EnvValue.fromValue('x') } }),
    "'env 1BAD'",
  ],
  [
    'container-ports',
    () => app().app.composer.addSidecar({ ...busybox('side'), ports: [{ number: 70000 }] }),
    "'ports' must be",
  ],
  [
    'container-name-unique',
    () => {
      const { app: a } = app();
      a.composer.addInitStep(busybox('twice'));
      a.composer.addInitStep(busybox('twice'));
    },
    "a helper container named 'twice' is already in this pod",
  ],
  [
    'init-container-fields',
    () => app().app.composer.addInitStep({ ...busybox('step'), startupProbe: HealthCheck.tcpSocket(1) }),
    'init steps run to completion and may not have probes',
  ],
  [
    'unpinned-image',
    () => {
      const { app: a } = app();
      new WaitForService(a, 'wait', {
        workload: a.workload,
        image: 'busybox:latest',
        targets: [WaitTarget.tcp('db', 5432)],
      });
    },
    'busybox:latest',
  ],
  [
    'native-sidecar-version',
    () => {
      const { chart, app: a } = app(undefined, KubernetesVersion.V1_28);
      a.composer.addSidecar(
        { ...busybox('side'), startupProbe: HealthCheck.tcpSocket(9) },
        { mode: SidecarMode.NATIVE },
      );
      Testing.synth(chart);
    },
    "sidecar 'side' is set to SidecarMode.NATIVE but the target is Kubernetes 1.28",
  ],
  [
    'classic-sidecar-in-job',
    () => {
      const { chart, app: a } = app(WorkloadKind.job());
      a.composer.addSidecar(busybox('side'), { mode: SidecarMode.CLASSIC });
      Testing.synth(chart);
    },
    "sidecar 'side' would render as a classic sidecar in a Job",
  ],
  [
    'sidecar-startup-probe',
    () => {
      const { chart, app: a } = app();
      const side = a.composer.addSidecar(busybox('side'), { mode: SidecarMode.NATIVE });
      a.composer.addInitStep(busybox('after'), { after: [side] });
      Testing.synth(chart);
    },
    "'after' runs after native sidecar 'side', which has no startupProbe",
  ],
];

describe('the constructs refuse first what the rules would report', () => {
  test('every case names an error-level rule of the catalogue', () => {
    const errors = new Set(
      ManifestRules.catalogue()
        .filter((r) => r.severity === Severity.ERROR)
        .map((r) => r.id),
    );
    const warnings = new Set(ManifestRules.catalogue().map((r) => r.id));
    for (const [rule] of CASES) expect(errors.has(rule) || warnings.has(rule)).toBe(true);
  });

  test.each(CASES)('%s: refused by the construct, not by the rule', (_rule, act, message) => {
    // WHEN the input that the rule would report reaches a construct, THEN the construct throws its own message
    let error: Error | undefined;
    try {
      act();
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(Error);
    // the construct's own message, which names the prop or the helper (at synth the rule may add its own line)
    expect(error!.message).toContain(message);
  });
});
