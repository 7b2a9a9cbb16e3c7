/**
 * Writes each chart's start-up plans as `<chart>.plan.md` next to its manifests when the app synthesizes.
 * The plans themselves read only the rendered manifests (`chart.toJson()`), as for anyone's YAML.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { planMarkdown } from './plan-markdown';
import { PodPlan } from './pod-plan';

/** The scopes whose charts get a plan file, by app; the app's synth is wrapped once. */
const ENABLED = new WeakMap<App, Set<IConstruct>>();

/** The file names cdk8s gives the charts' manifests, without the extension (cdk8s's chart namers). */
function chartFileNames(app: App): Map<Chart, string> {
  const charts = app.charts;
  // cdk8s numbers the files ('0000-web') when charts depend on each other; synth has recorded that by now.
  const indexed = charts.some((c) => c.node.dependencies.some((d) => d instanceof Chart));
  return new Map(
    charts.map((chart, i) => [chart, `${indexed ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`]),
  );
}

function writePlans(app: App, scopes: Set<IConstruct>): void {
  const names = chartFileNames(app);
  for (const [chart, name] of names) {
    if (![...scopes].some((s) => s === chart || chart.node.scopes.includes(s))) continue;
    const markdown = PlanFile.markdownOf(chart);
    if (markdown === undefined) continue;
    const dir =
      app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE
        ? path.join(app.outdir, name)
        : app.outdir;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.plan.md`), markdown);
  }
}

/**
 * Opt-in: when the app synthesizes, write `<chart>.plan.md` next to `<chart>.k8s.yaml` with the start-up plan
 * of every workload in the chart (phases, gating, shutdown, resources, runbook and the Mermaid diagram).
 *
 * ```ts
 * const app = new App();
 * const chart = new Chart(app, 'orders');
 * PlanFile.enable(chart); // or PlanFile.enable(app) for every chart
 * app.synth();            // dist/orders.k8s.yaml and dist/orders.plan.md
 * ```
 */
export class PlanFile {
  /**
   * Writes a plan file for every chart at or under `scope` (an App: all its charts; a Chart: it and the charts
   * inside it) each time the app synthesizes. Charts without a workload get no file.
   */
  public static enable(scope: Construct): void {
    const app = App.of(scope);
    let scopes = ENABLED.get(app);
    if (!scopes) {
      scopes = new Set();
      ENABLED.set(app, scopes);
      const synth = app.synth.bind(app);
      const enabled = scopes;
      app.synth = () => {
        synth();
        writePlans(app, enabled);
      };
    }
    scopes.add(scope);
  }

  /**
   * The Markdown a chart's plan file holds: the plan of each workload among the chart's rendered objects, or
   * undefined when the chart has none.
   */
  public static markdownOf(chart: Chart): string | undefined {
    const plans = PodPlan.fromManifests(chart.toJson());
    if (plans.length === 0) return undefined;
    const title = `# Start-up plans of chart ${Names.toDnsLabel(chart)}`;
    const summary = plans.map(
      (p) =>
        `- ${p.kind} \`${p.name}\`${p.namespace ? ` (namespace \`${p.namespace}\`)` : ''}: ` +
        `${p.startupOrder.map((n) => `\`${n}\``).join(' → ')}; requests ${p.effectiveResources.cpuRequest.quantity} CPU, ` +
        `${p.effectiveResources.memoryRequest.quantity} memory`,
    );
    return [title, '', ...summary, '', ...plans.map((p) => planMarkdown(p, 2))].join('\n');
  }

  private constructor() {}
}
