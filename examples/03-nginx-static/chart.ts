/**
 * Seed 03: the `nginx-static` Deployment. An init container checks out the website's repository into an
 * emptyDir that nginx serves. Rebuilt with `AppWorkload` and `GitCloneContent`, which keeps the token out
 * of argv and out of the served directory (the seed leaks it into both).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Acknowledge, AppSecurity, AppWorkload, GitCloneContent, SharedVolume, WorkloadKind } from '../../lib';

/** Builds the nginx-static chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '03-nginx-static');
  const labels = { app: 'nginx-static' };

  const web = new AppWorkload(chart, 'nginx-static', {
    kind: WorkloadKind.deployment({
      metadata: { name: 'nginx-static', namespace: 'web' },
      replicas: 2,
      select: false,
      podMetadata: { labels },
      securityContext: { ensureNonRoot: false },
    }),
    container: {
      name: 'nginx',
      image: 'nginx:1.27-alpine',
      portNumber: 80,
      securityContext: { readOnlyRootFilesystem: false },
    },
    // The official nginx image starts as root: its master binds port 80, makes and chowns its cache
    // directories under /var/cache/nginx, and its workers switch to the nginx user. So this one container is
    // held to the baseline profile instead of the restricted one, with exactly those capabilities; it still
    // runs unprivileged, without privilege escalation, under the RuntimeDefault seccomp profile.
    security: AppSecurity.baseline({
      runAsRoot: true,
      addCapabilities: [
        kplus.Capability.CHOWN,
        kplus.Capability.NET_BIND_SERVICE,
        kplus.Capability.SETGID,
        kplus.Capability.SETUID,
      ],
    }),
  });
  web.deployment.select(kplus.LabelSelector.of({ labels }));
  // the rules at synth hold every container to the restricted profile; this one is held to baseline on purpose
  Acknowledge.rule(
    web.workload,
    'pod-security-restricted',
    'the official nginx image starts as root and needs CHOWN, NET_BIND_SERVICE, SETGID and SETUID (baseline profile)',
  );

  const token = kplus.Secret.fromSecretName(chart, 'github-token', 'github-token');
  new GitCloneContent(web, 'git-clone', {
    workload: web.workload,
    repository: 'https://github.com/company/website-content.git',
    token: { secret: token, key: 'token' },
    volume: SharedVolume.emptyDir(chart, 'web-content'),
    subDirectory: 'html',
    mountPath: '/usr/share/nginx/html',
  });

  return chart;
}
