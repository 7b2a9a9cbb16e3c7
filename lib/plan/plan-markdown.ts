/** The plan as Markdown: summary, phases, shutdown, containers, resources, runbook, and the Mermaid diagram. */
import { ContainerRole } from './plan-container';
import { PhaseKind } from './plan-phase';
import type { PodPlan } from './pod-plan';
import { amountsText, figureText, mountText, planTitle, probeText, roleText } from './plan-text';

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The plan as Markdown; `level` is the heading level of its title (1 by default). */
export function planMarkdown(plan: PodPlan, level = 1): string {
  const h = (n: number) => '#'.repeat(Math.min(6, level + n - 1));
  const r = plan.effectiveResources;
  const out: string[] = [];
  out.push(`${h(1)} Start-up plan: ${planTitle(plan)}`);
  out.push('');
  out.push(
    `Start-up order: ${plan.startupOrder.map(code).join(' → ')}. Restart policy ${code(plan.restartPolicy)}; ` +
      `termination grace period ${plan.shutdown.gracePeriodSeconds}s. The pod requests ` +
      `**${r.cpuRequest.quantity} CPU** and **${r.memoryRequest.quantity} memory** for scheduling.`,
  );
  out.push('');
  out.push('```mermaid');
  out.push(plan.toMermaid());
  out.push('```');
  out.push('');
  out.push(`${h(2)} Phases`);
  out.push('');
  out.push('| # | Status | Containers | Next step | If it fails |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const p of plan.phases) {
    const what =
      p.kind === PhaseKind.CONTAINERS
        ? 'app containers and classic sidecars, together'
        : p.kind === PhaseKind.NATIVE_SIDECAR
          ? 'native sidecar'
          : 'init container';
    out.push(
      `| ${p.position} | ${p.initStatus ? code(p.initStatus) : '`PodInitializing`, then `Running`'} | ` +
        `${p.containers.map(code).join(', ')} (${what}) | ${cell(p.gate)}: ${cell(p.explanation)} | ${cell(p.onFailure)} |`,
    );
  }
  out.push('');
  const s = plan.shutdown;
  out.push(`${h(2)} Shutdown`);
  out.push('');
  out.push(
    `When ${s.trigger}. Every step shares the ${s.gracePeriodSeconds}s grace period; what still runs then is killed.`,
  );
  out.push('');
  for (const step of s.steps) {
    const spends = step.spends.map((sp) => `${code(sp.container)}: ${sp.what}`).join('; ');
    out.push(`${step.position}. ${cell(step.description)}${spends ? `. ${spends}` : ''}.`);
  }
  out.push('');
  out.push(
    `Known shutdown work: **${s.knownSpendSeconds}s** of ${s.gracePeriodSeconds}s${s.withinGracePeriod ? '' : ' — it does not fit'}.`,
  );
  out.push('');
  out.push(`${h(2)} Containers`);
  out.push('');
  out.push('| Container | Role | Image | Mounts | Ports | Probes | Requests | Limits |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of plan.containers) {
    const mounts = c.mounts.map((m) => cell(mountText(m))).join('<br>') || '–';
    const ports =
      c.ports.map((p) => `${p.containerPort}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ') || '–';
    const probes = [...c.probes.map((p) => cell(probeText(p))), ...(c.preStop ? [`preStop ${cell(c.preStop)}`] : [])];
    out.push(
      `| ${code(c.name)} | ${roleText(c.role)} | ${code(c.image)} | ${mounts} | ${ports} | ${probes.join('<br>') || '–'} | ` +
        `${amountsText(c.requests)} | ${amountsText(c.limits)} |`,
    );
  }
  out.push('');
  out.push(`${h(2)} Effective resources`);
  out.push('');
  out.push(
    'By the Kubernetes rule for native sidecars (KEP-753): while an init container runs, the pod uses it plus every ' +
      'native sidecar started before it; once the app runs, every container and native sidecar. The largest stage wins.',
  );
  out.push('');
  out.push(`- ${figureText(plan, 'CPU request', r.cpuRequest, 'cpu', 'requests')}`);
  out.push(`- ${figureText(plan, 'Memory request', r.memoryRequest, 'memory', 'requests')}`);
  out.push(`- ${figureText(plan, 'CPU limit', r.cpuLimit, 'cpu', 'limits')}`);
  out.push(`- ${figureText(plan, 'Memory limit', r.memoryLimit, 'memory', 'limits')}`);
  out.push('');
  out.push('| Stage | Counts | Requests | Limits |');
  out.push('| --- | --- | --- | --- |');
  for (const st of plan.resourceStages) {
    out.push(`| ${st.stage} | ${st.counted.join(', ')} | ${amountsText(st.requests)} | ${amountsText(st.limits)} |`);
  }
  out.push('');
  out.push(`${h(2)} Runbook`);
  out.push('');
  const pc = plan.podCommands;
  out.push('```sh');
  out.push(`${pc.listPods}   # ${plan.kind === 'Pod' ? 'the pod' : 'its pods; <pod> below is one of them'}`);
  out.push(`${pc.describe}`);
  out.push(`${pc.events}`);
  out.push(`${pc.initContainerStates}`);
  out.push('```');
  out.push('');
  out.push('| Status | Containers | Meaning |');
  out.push('| --- | --- | --- |');
  for (const st of plan.statuses) {
    out.push(`| ${code(st.status)} | ${st.containers.map(code).join(', ') || '–'} | ${cell(st.meaning)} |`);
  }
  out.push('');
  for (const e of plan.runbook) {
    out.push(`${h(3)} ${code(e.container)} (${roleText(e.role)}, ${e.status})`);
    out.push('');
    out.push(`When the pod stays here: ${e.meaning}.`);
    out.push('');
    out.push('```sh');
    out.push(e.commands.state);
    out.push(e.commands.logs);
    out.push(e.role === ContainerRole.INIT_CONTAINER ? e.commands.follow : e.commands.exec);
    out.push(e.commands.previousLogs);
    if (e.role !== ContainerRole.INIT_CONTAINER) out.push(`${e.commands.debug}   # an image without a shell`);
    out.push('```');
    out.push('');
  }
  if (plan.acknowledgedRules.length > 0) {
    out.push(`${h(2)} Acknowledged rules`);
    out.push('');
    for (const a of plan.acknowledgedRules) out.push(`- ${code(a.ruleId)}: ${a.reason}`);
    out.push('');
  }
  if (plan.notes.length > 0) {
    out.push(`${h(2)} Notes`);
    out.push('');
    for (const n of plan.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}
