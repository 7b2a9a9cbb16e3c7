import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ManifestRules, Severity, WaitForService, WaitTarget } from '../../lib';
import { containerNamed, onlyPodSpec, synthValid } from '../util/manifest';

describe('a workload the user built with cdk8s-plus keeps its containers; the rules report them', () => {
  test('patterns do not rewrite its app container, and pod-security-restricted warns about it only', () => {
    // GIVEN a cdk8s-plus Deployment as its user wrote it, with a pattern attached
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'api', {
      containers: [{ name: 'api', image: 'company/api:1.0.0', portNumber: 8080 }],
    });
    new WaitForService(deployment, 'wait-db', { workload: deployment, targets: [WaitTarget.tcp('db', 5432)] });
    // WHEN
    const manifests = synthValid(chart);
    const findings = ManifestRules.check(manifests).filter((f) => f.ruleId === 'pod-security-restricted');
    // THEN the app container is as cdk8s-plus renders it
    const app = containerNamed(onlyPodSpec(manifests), 'api');
    expect(app.securityContext.capabilities).toBeUndefined();
    expect(app.securityContext.seccompProfile).toBeUndefined();
    // and the rule names it, at warning level, and not the library's helper
    expect(findings.map((f) => [f.container, f.severity])).toEqual([['api', Severity.WARNING]]);
    expect(findings[0].message).toBe(
      "container 'api' does not meet the restricted Pod Security profile: capabilities.drop does not hold ALL; " +
        'seccompProfile is not RuntimeDefault or Localhost',
    );
  });
});
