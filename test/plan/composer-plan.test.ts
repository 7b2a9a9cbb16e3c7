import { Testing } from 'cdk8s';
import { AppWorkload, HealthCheck, PodPlan, WorkloadKind } from '../../lib';
import { synthValid } from '../util/manifest';

describe('composer.plan()', () => {
  test('is the plan of the rendered workload; troubleshootingGuide() is its runbook text', () => {
    // GIVEN a native sidecar declared before a heavy init step
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'orders', {
      kind: WorkloadKind.deployment({ metadata: { name: 'orders', namespace: 'production' } }),
      container: { name: 'orders', image: 'company/orders:1.0.0' },
    });
    app.composer.addSidecar({
      name: 'log-forwarder',
      image: 'fluent/fluent-bit:3.0',
      startupProbe: HealthCheck.httpGet('/api/v1/health', 2020),
    });
    app.composer.addInitStep({ name: 'migrate', image: 'flyway/flyway:10.12-alpine' });
    // WHEN
    const plan = app.composer.plan();
    // THEN
    const workload = synthValid(chart).find((m) => m.kind === 'Deployment');
    expect(plan.toJson()).toEqual(PodPlan.fromManifest(workload).toJson());
    expect(plan.startupOrder).toEqual(['log-forwarder', 'migrate', 'orders']);
    expect(plan.phases[0].gate).toBe('waits for startupProbe');
    expect(plan.effectiveResources).toEqual(app.effectiveResources());
    expect(app.composer.troubleshootingGuide()).toBe(plan.toRunbookText());
    expect(plan.toRunbookText()).toContain(
      '  Init:1/2  migrate (init step; must exit 0)\n      logs: kubectl logs <pod> -n production -c migrate   (crashed: add --previous)',
    );
  });
});
