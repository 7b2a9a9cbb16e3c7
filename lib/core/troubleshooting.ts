/**
 * Builds a plain-text guide to a pod's start-up: which container runs at each `Init:N/M` status and the
 * kubectl commands that show what a stuck container is doing.
 */
export function troubleshootingGuide(manifest: any, podSpec: any, podLabels: { [key: string]: string }): string {
  const namespace = manifest.metadata?.namespace;
  const ns = namespace ? ` -n ${namespace}` : '';
  const isPod = manifest.kind === 'Pod';
  const pod = isPod ? manifest.metadata.name : '<pod>';
  const init: any[] = podSpec.initContainers ?? [];
  const app: any[] = (podSpec.containers ?? []).map((c: any) => c.name);
  const lines: string[] = [];
  lines.push(`Start-up of ${manifest.kind} ${manifest.metadata?.name}${namespace ? ` (namespace ${namespace})` : ''}`);
  if (!isPod) {
    const selector = Object.entries(podLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    lines.push(`Find its pods: kubectl get pods${ns}${selector ? ` -l ${selector}` : ''}`);
  }
  init.forEach((c, i) => {
    const sidecar = c.restartPolicy === 'Always';
    const what = sidecar
      ? `native sidecar; the next container starts once it ${c.startupProbe ? 'passes its startupProbe' : 'is running'}`
      : 'init step; must exit 0';
    lines.push(`  Init:${i}/${init.length}  ${c.name} (${what})`);
    lines.push(`      logs: kubectl logs ${pod}${ns} -c ${c.name}${sidecar ? '' : '   (crashed: add --previous)'}`);
  });
  lines.push(`  PodInitializing / Running  app containers: ${app.join(', ')}`);
  lines.push('Statuses: Init:N/M = N of M init containers done; Init:Error = an init step exited non-zero;');
  lines.push('  Init:CrashLoopBackOff = it keeps failing (read its logs with --previous);');
  lines.push('  PodInitializing = every init step succeeded and the app containers are starting.');
  lines.push(`Details and events: kubectl describe pod ${pod}${ns}`);
  lines.push(`  kubectl get events${ns} --field-selector involvedObject.name=${pod} --sort-by=.lastTimestamp`);
  return lines.join('\n');
}
