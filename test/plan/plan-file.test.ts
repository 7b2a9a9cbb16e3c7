import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, PlanFile, WorkloadKind } from '../../lib';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plan-file-'));
}

function ordersChart(app: App, id: string): Chart {
  const chart = new Chart(app, id);
  const orders = new AppWorkload(chart, 'orders', {
    kind: WorkloadKind.deployment({ metadata: { name: 'orders', namespace: 'production' } }),
    container: { name: 'orders', image: 'company/orders:1.0.0' },
  });
  orders.composer.addInitStep({ name: 'wait-for-db', image: 'busybox:1.36', command: ['true'] });
  return chart;
}

describe('PlanFile', () => {
  test('writes <chart>.plan.md next to <chart>.k8s.yaml when the app synthesizes, for enabled charts only', () => {
    // GIVEN two charts, one enabled, and a chart without a workload
    const outdir = tempDir();
    const app = new App({ outdir });
    const enabled = ordersChart(app, 'orders');
    ordersChart(app, 'other');
    const config = new Chart(app, 'config');
    new kplus.ConfigMap(config, 'cfg', { data: { a: 'b' } });
    PlanFile.enable(enabled);
    PlanFile.enable(enabled); // twice is once
    // WHEN
    app.synth();
    // THEN
    expect(fs.readdirSync(outdir).sort()).toEqual([
      'config.k8s.yaml',
      'orders.k8s.yaml',
      'orders.plan.md',
      'other.k8s.yaml',
    ]);
    const markdown = fs.readFileSync(path.join(outdir, 'orders.plan.md'), 'utf8');
    expect(markdown).toContain('# Start-up plans of chart orders');
    expect(markdown).toContain('## Start-up plan: Deployment orders (namespace production)');
    expect(markdown).toContain('```mermaid\nflowchart LR');
    expect(markdown).toContain('kubectl logs <pod> -n production -c wait-for-db');
    expect(markdown).toBe(PlanFile.markdownOf(enabled));
  });

  test('an App enables every chart; charts that depend on each other get cdk8s’s numbered names', () => {
    // GIVEN
    const outdir = tempDir();
    const app = new App({ outdir });
    const first = ordersChart(app, 'first');
    const second = ordersChart(app, 'second');
    second.addDependency(first);
    PlanFile.enable(app);
    // WHEN
    app.synth();
    // THEN
    expect(fs.readdirSync(outdir).sort()).toEqual([
      '0000-first.k8s.yaml',
      '0000-first.plan.md',
      '0001-second.k8s.yaml',
      '0001-second.plan.md',
    ]);
  });

  test('with a folder per chart, the plan is in the chart’s folder', () => {
    const outdir = tempDir();
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    PlanFile.enable(ordersChart(app, 'orders'));
    app.synth();
    expect(fs.readdirSync(path.join(outdir, 'orders'))).toContain('orders.plan.md');
  });

  test('a chart without workloads has no plan Markdown', () => {
    const chart = new Chart(new App({ outdir: tempDir() }), 'empty');
    expect(PlanFile.markdownOf(chart)).toBeUndefined();
  });
});
