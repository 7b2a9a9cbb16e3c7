/** The plan as plain text, and its runbook alone (what `composer.troubleshootingGuide()` prints). */
import type { ResourceFigure } from '../core/resource-accounting';
import { ContainerRole, PlanContainer } from './plan-container';
import { PhaseKind } from './plan-phase';
import type { PodPlan } from './pod-plan';

/** "Deployment order-service (namespace production)". */
export function planTitle(plan: PodPlan): string {
  return `${plan.kind} ${plan.name}${plan.namespace ? ` (namespace ${plan.namespace})` : ''}`;
}

/** "cpu 10m, memory 16Mi", or "none". */
export function amountsText(amounts: { [resource: string]: string }): string {
  const parts = Object.entries(amounts).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** What a container is, in a few words. */
export function roleText(role: ContainerRole): string {
  switch (role) {
    case ContainerRole.INIT_CONTAINER:
      return 'init container';
    case ContainerRole.NATIVE_SIDECAR:
      return 'native sidecar';
    default:
      return 'container';
  }
}

/** One mount in a line: "/var/log/app <- log-vol (emptyDir), read-only". */
export function mountText(m: PlanContainer['mounts'][number]): string {
  const flags = [m.readOnly ? 'read-only' : 'read-write', m.memoryBacked ? 'in memory' : undefined]
    .filter((f) => f)
    .join(', ');
  return `${m.mountPath} <- ${m.volume}${m.subPath ? `/${m.subPath}` : ''} (${m.source}), ${flags}`;
}

/** One probe in a line: "startupProbe httpGet http :2020/health, every 10s, up to 30s". */
export function probeText(p: PlanContainer['probes'][number]): string {
  return `${p.probe} ${p.action}, every ${p.periodSeconds}s, fails after ${p.failureThreshold} (up to ${p.allowanceSeconds}s)`;
}

/** What drives a figure, with the amounts that make it up. */
export function figureText(
  plan: PodPlan,
  label: string,
  figure: ResourceFigure,
  resource: string,
  kind: string,
): string {
  if (!figure.bounded) return `${label} unbounded (a counted container sets no ${resource} limit)`;
  const stage = plan.resourceStages.find((s) => s.stage === figure.drivenBy);
  const parts = (stage?.counted ?? [])
    .map((name) => {
      const amount = (kind === 'requests' ? plan.container(name).requests : plan.container(name).limits)[resource];
      return amount ? `${name} ${amount}` : undefined;
    })
    .filter((p) => p);
  return `${label} ${figure.quantity}, driven by ${figure.drivenBy}${parts.length > 1 ? ` (${parts.join(' + ')})` : ''}`;
}

/** The runbook as plain text. */
export function planRunbookText(plan: PodPlan): string {
  const lines: string[] = [];
  const c = plan.podCommands;
  lines.push(`Start-up of ${planTitle(plan)}`);
  lines.push(plan.kind === 'Pod' ? `The pod: ${c.listPods}` : `Find its pods: ${c.listPods}`);
  for (const e of plan.runbook) {
    if (e.role === ContainerRole.CONTAINER) continue;
    const what =
      e.role === ContainerRole.NATIVE_SIDECAR
        ? `native sidecar; the next container starts once it ${
            plan.container(e.container).probes.some((p) => p.probe === 'startupProbe')
              ? 'passes its startupProbe'
              : 'is running'
          }`
        : 'init step; must exit 0';
    lines.push(`  ${e.status}  ${e.container} (${what})`);
    lines.push(
      `      logs: ${e.commands.logs}${e.role === ContainerRole.NATIVE_SIDECAR ? '' : '   (crashed: add --previous)'}`,
    );
    lines.push(`      state: ${e.commands.state}`);
  }
  const app = plan.runbook.filter((e) => e.role === ContainerRole.CONTAINER);
  lines.push(`  PodInitializing / Running  app containers: ${app.map((e) => e.container).join(', ')}`);
  for (const e of app) {
    lines.push(`      ${e.container} logs: ${e.commands.logs}   (restarted: add --previous)`);
    lines.push(`      ${e.container} shell: ${e.commands.exec}   (no shell in the image: ${e.commands.debug})`);
  }
  lines.push('Statuses: Init:N/M = N of M init containers done; Init:Error = an init step exited non-zero;');
  lines.push('  Init:CrashLoopBackOff = it keeps failing (read its logs with --previous);');
  lines.push('  PodInitializing = every init step succeeded and the app containers are starting.');
  const ready = plan.statuses.find((s) => s.status === 'Running');
  if (ready) lines.push(`  Running: ${ready.meaning}.`);
  lines.push(`Details and events: ${c.describe}`);
  lines.push(`  ${c.events}`);
  lines.push(`Which init container is at fault: ${c.initContainerStates}`);
  return lines.join('\n');
}

/** The whole plan as plain text. */
export function planText(plan: PodPlan): string {
  const lines: string[] = [];
  lines.push(`Start-up plan of ${planTitle(plan)}`);
  lines.push(
    `Restart policy ${plan.restartPolicy}; termination grace period ${plan.shutdown.gracePeriodSeconds}s; ` +
      `start-up order: ${plan.startupOrder.join(' -> ')}`,
  );
  lines.push('');
  lines.push('Start-up, one phase after the other:');
  for (const p of plan.phases) {
    const head =
      p.kind === PhaseKind.CONTAINERS
        ? `${p.position}. together: ${p.containers.join(', ')} (${p.gate})`
        : `${p.position}. ${p.initStatus}  ${p.containers[0]} (${p.kind === PhaseKind.NATIVE_SIDECAR ? 'native sidecar' : 'init container'}; ${p.gate})`;
    lines.push(`  ${head}`);
    lines.push(`       ${p.explanation}`);
    lines.push(`       on failure: ${p.onFailure}`);
  }
  lines.push('');
  const s = plan.shutdown;
  lines.push(`Shutdown, when ${s.trigger}; every step shares the ${s.gracePeriodSeconds}s grace period:`);
  for (const step of s.steps) {
    lines.push(`  ${step.position}. ${step.description}`);
    for (const spend of step.spends) lines.push(`       ${spend.container}: ${spend.what}`);
  }
  lines.push(
    `  known shutdown work: ${s.knownSpendSeconds}s of ${s.gracePeriodSeconds}s${s.withinGracePeriod ? '' : ' (does not fit)'}`,
  );
  lines.push('');
  lines.push('Containers:');
  for (const c of plan.containers) {
    lines.push(`  ${c.name} (${roleText(c.role)}): ${c.image}`);
    for (const m of c.mounts) lines.push(`      mount ${mountText(m)}`);
    for (const p of c.ports) lines.push(`      port ${p.containerPort}/${p.protocol}${p.name ? ` (${p.name})` : ''}`);
    for (const p of c.probes) lines.push(`      ${probeText(p)}`);
    if (c.preStop) lines.push(`      preStop ${c.preStop}`);
    lines.push(`      requests ${amountsText(c.requests)}; limits ${amountsText(c.limits)}`);
  }
  lines.push('');
  const r = plan.effectiveResources;
  lines.push('Effective resources (KEP-753: the largest stage):');
  lines.push(`  ${figureText(plan, 'CPU request', r.cpuRequest, 'cpu', 'requests')}`);
  lines.push(`  ${figureText(plan, 'memory request', r.memoryRequest, 'memory', 'requests')}`);
  lines.push(`  ${figureText(plan, 'CPU limit', r.cpuLimit, 'cpu', 'limits')}`);
  lines.push(`  ${figureText(plan, 'memory limit', r.memoryLimit, 'memory', 'limits')}`);
  lines.push('  by stage:');
  for (const st of plan.resourceStages) {
    lines.push(`    ${st.stage}: requests ${amountsText(st.requests)}; limits ${amountsText(st.limits)}`);
  }
  if (plan.acknowledgedRules.length > 0) {
    lines.push('');
    lines.push('Acknowledged rules:');
    for (const a of plan.acknowledgedRules) lines.push(`  ${a.ruleId}: ${a.reason}`);
  }
  if (plan.notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  lines.push('');
  lines.push(planRunbookText(plan));
  return lines.join('\n');
}
