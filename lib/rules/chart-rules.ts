import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { POD_SPEC_RULES } from '../core/pod-checks';
import { KubernetesVersion } from '../core/kubernetes-version';
import { oncePerSynthCall, renderOncePerSynthCall } from '../core/rendering';
import { Finding } from './finding';
import { runRulesOn } from './manifest-rules';
import { Severity } from './severity';

const ATTACHED = new WeakSet<Chart>();
const COMPOSED = new WeakMap<ApiObject, () => KubernetesVersion>();
/** What each chart's composers do before any object renders (route Services through a front door). */
const PREPARE = new WeakMap<Chart, Array<() => void>>();
const COMPOSER_RULES = new Set(POD_SPEC_RULES);

/** The construct path a finding is reported at: the workload for a cdk8s-plus object ('.../Resource'). */
function pathOf(api: ApiObject): string {
  const scope = api.node.scope;
  return api.node.id === 'Resource' && scope ? scope.node.path : api.node.path;
}

/** The chart's own objects (not those of nested charts), in construct-tree order. */
function objectsOf(chart: Chart): ApiObject[] {
  const out: ApiObject[] = [];
  const visit = (scope: IConstruct) => {
    for (const child of scope.node.children) {
      if (Chart.isChart(child)) continue; // a nested chart checks its own objects
      if (ApiObject.isApiObject(child)) out.push(child);
      visit(child);
    }
  };
  visit(chart);
  return out;
}

/** The line a finding prints as: the construct path first, then what, the rule and the fix. */
export function formatFinding(path: string, f: Finding): string {
  const where = f.container ? ` (container '${f.container}')` : '';
  return `${path}${where}: ${f.message} [${f.ruleId}]. Fix: ${f.fix}`;
}

/**
 * Runs the manifest rules over the chart of `apiObject` once per synth, after composition: each error
 * becomes a validation message that starts with the object's construct path, and each warning and
 * acknowledged finding prints once to stderr. Attaching twice to one chart is a no-op.
 *
 * @param apiObject an object whose pod the composer composes and checks itself: the chart-wide run leaves
 *   the composer's pod-spec rules out for it, so that each problem is reported once
 * @param version the object's target Kubernetes version (a per-workload override), read at synth
 * @param prepare what the composer must do before the chart's objects render
 */
export function attachChartRules(apiObject: ApiObject, version: () => KubernetesVersion, prepare: () => void): void {
  COMPOSED.set(apiObject, version);
  const chart = Chart.of(apiObject);
  const prepares = PREPARE.get(chart) ?? [];
  prepares.push(prepare);
  PREPARE.set(chart, prepares);
  if (ATTACHED.has(chart)) return;
  ATTACHED.add(chart);
  const printed = new Set<string>();
  // cdk8s validates the app more than once in one synth call; the chart's objects are checked once per call
  chart.node.addValidation({ validate: oncePerSynthCall(App.of(chart), check) });

  function check(): string[] {
    for (const p of PREPARE.get(chart) ?? []) p();
    const rendered: any[] = [];
    const owners = new Map<any, ApiObject>();
    for (const api of objectsOf(chart)) {
      let json: any;
      try {
        json = renderOncePerSynthCall(api)();
      } catch {
        continue; // the construct that fails to render reports it
      }
      rendered.push(json);
      owners.set(json, api);
    }
    // every object is checked at its own target; the rules run once per distinct target (usually one)
    const chartMinor = KubernetesVersion.targetOf(chart).minor;
    const minorOf = new Map<any, number>();
    for (const json of rendered) minorOf.set(json, COMPOSED.get(owners.get(json)!)?.().minor ?? chartMinor);
    // the composer reports its pod-spec rules for the pods it composes: each problem is reported once
    const skipped = {
      rules: COMPOSER_RULES,
      objects: new Set(rendered.filter((json) => COMPOSED.has(owners.get(json)!))),
    };
    const findings = [...new Set(minorOf.values())]
      .sort()
      .flatMap((minor) =>
        runRulesOn(rendered, minor, undefined, skipped).filter((x) => minorOf.get(x.object) === minor),
      );
    const errors: string[] = [];
    for (const { object, finding: f } of findings) {
      const api = owners.get(object);
      const path = api ? pathOf(api) : `${f.kind} '${f.name}'`;
      if (f.acknowledged) {
        if (f.severity === Severity.INFO) continue;
        printOnce(printed, `[acknowledged] ${path}: ${f.ruleId} (${f.severity}): ${f.acknowledgedReason}`);
      } else if (f.severity === Severity.ERROR) {
        errors.push(formatFinding(path, f));
      } else if (f.severity === Severity.WARNING) {
        printOnce(printed, `[warning] ${formatFinding(path, f)}`);
      }
    }
    return errors;
  }
}

function printOnce(printed: Set<string>, line: string): void {
  if (printed.has(line)) return;
  printed.add(line);
  console.warn(line);
}
