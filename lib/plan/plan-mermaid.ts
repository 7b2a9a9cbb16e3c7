/**
 * The plan as a Mermaid flowchart, drawn left to right: the pod is scheduled with its effective requests, each
 * init container and native sidecar starts in turn (edges labelled with what the next step waits for), the
 * app containers run together with the native sidecars, which run for the pod's whole lifetime and stop after
 * the app, in reverse order, within the grace period.
 */
import { PhaseKind } from './plan-phase';
import type { PodPlan } from './pod-plan';

/** Escapes text for a quoted Mermaid label. */
function esc(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function label(lines: string[]): string {
  return `"${lines.filter((l) => l !== '').join('<br/>')}"`;
}

/** The Mermaid flowchart of a plan. */
export function planMermaid(plan: PodPlan): string {
  const r = plan.effectiveResources;
  const out: string[] = ['flowchart LR'];
  out.push(
    `  %% start-up plan of ${esc(plan.kind)} ${esc(plan.namespace ? `${plan.namespace}/` : '')}${esc(plan.name)}`,
  );
  out.push('  classDef init fill:#e3f2fd,stroke:#1565c0,color:#0d2b4e');
  out.push('  classDef sidecar fill:#fff3e0,stroke:#ef6c00,color:#4e2600');
  out.push('  classDef app fill:#e8f5e9,stroke:#2e7d32,color:#123d16');
  out.push('  classDef stop fill:#eceff1,stroke:#546e7a,color:#263238');
  out.push('  classDef edge fill:#ffffff,stroke:#90a4ae,color:#263238');
  out.push(
    `  scheduled(["<b>${esc(plan.kind)} ${esc(plan.name)}</b><br/>scheduled with<br/>${esc(r.cpuRequest.quantity)} CPU, ${esc(
      r.memoryRequest.quantity,
    )} memory"]):::edge`,
  );
  const initPhases = plan.phases.filter((p) => p.kind !== PhaseKind.CONTAINERS);
  const last = plan.phases[plan.phases.length - 1];
  const id = (name: string) => `c${plan.startupOrder.indexOf(name)}`;
  if (initPhases.length > 0) {
    out.push('  subgraph startup["Start-up: one step at a time"]');
    out.push('    direction LR');
    for (const p of initPhases) {
      const c = plan.container(p.containers[0]);
      if (p.kind === PhaseKind.NATIVE_SIDECAR) {
        out.push(
          `    ${id(c.name)}(${label([`<b>${esc(c.name)}</b>`, 'native sidecar starts', esc(c.image), esc(p.initStatus ?? '')])}):::sidecar`,
        );
      } else {
        out.push(
          `    ${id(c.name)}[${label([`<b>${esc(c.name)}</b>`, 'init container', esc(c.image), esc(p.initStatus ?? '')])}]:::init`,
        );
      }
    }
    out.push('  end');
  }
  const completes = plan.kind === 'Job' || plan.kind === 'CronJob';
  out.push(`  subgraph running["Running together until the ${completes ? 'app completes' : 'pod stops'}"]`);
  out.push('    direction TB');
  for (const name of last.containers) {
    const c = plan.container(name);
    const ports = c.ports.map((p) => `:${p.containerPort}`).join(' ');
    out.push(`    ${id(name)}[${label([`<b>${esc(name)}</b>`, esc(c.image), esc(ports)])}]:::app`);
  }
  for (const name of plan.nativeSidecars) {
    out.push(`    ${id(name)}_run[${label([`<b>${esc(name)}</b>`, 'native sidecar, still running'])}]:::sidecar`);
  }
  out.push('  end');
  const s = plan.shutdown;
  out.push(`  subgraph shutdown["Shutdown: ${s.gracePeriodSeconds}s grace period"]`);
  out.push('    direction LR');
  for (const step of s.steps) {
    const spends = step.spends.map((sp) => esc(sp.what));
    const who = step.containers.map(esc).join(', ');
    out.push(`    stop${step.position}[${label([`SIGTERM <b>${who}</b>`, ...spends])}]:::stop`);
  }
  out.push('  end');

  // Start-up edges, each labelled with what the next step waits for.
  let previous = 'scheduled';
  let gate = '';
  for (const p of initPhases) {
    const node = id(p.containers[0]);
    out.push(gate ? `  ${previous} -->|${esc(gate)}| ${node}` : `  ${previous} --> ${node}`);
    previous = node;
    gate = p.gate;
  }
  out.push(gate ? `  ${previous} -->|${esc(gate)}| running` : `  ${previous} --> running`);
  // Native sidecars span the app's lifetime: from their start, through the running phase, to their stop.
  for (const name of plan.nativeSidecars) {
    out.push(`  ${id(name)} -.-|keeps running| ${id(name)}_run`);
  }
  out.push(`  running -->|${completes ? 'app completes' : 'pod deleted'}| stop1`);
  s.steps.slice(1).forEach((step, i) => {
    const before = s.steps[i];
    out.push(
      `  stop${before.position} -->|${i === 0 ? 'app stopped' : `${esc(before.containers[0])} stopped`}| stop${step.position}`,
    );
    out.push(`  ${id(step.containers[0])}_run -.- stop${step.position}`);
  });
  if (initPhases.length > 0) out.push('  style startup fill:#fafafa,stroke:#b0bec5');
  out.push('  style running fill:#f6fbf6,stroke:#a5d6a7');
  out.push('  style shutdown fill:#fafafa,stroke:#b0bec5');
  return out.join('\n');
}
