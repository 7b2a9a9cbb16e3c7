/**
 * Seed 07: Grafana behind an oauth2-proxy sidecar that signs users in with Google. The proxy is the pod's
 * front door; it renders as a native sidecar (Kubernetes 1.29+), so it is up before Grafana takes traffic.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, OAuth2Provider, OAuth2ProxySidecar, WorkloadKind } from '../../lib';

export function build(app: App): Chart {
  const chart = new Chart(app, '07-internal-dashboard');

  const dashboard = new AppWorkload(chart, 'internal-dashboard', {
    kind: WorkloadKind.deployment({
      metadata: { name: 'internal-dashboard', namespace: 'tools' },
      replicas: 1,
      select: false,
      podMetadata: { labels: { app: 'internal-dashboard' } },
    }),
    container: {
      name: 'grafana',
      image: 'grafana/grafana:10.4.0',
      portNumber: 3000,
      // Grafana writes its database under /var/lib/grafana, as in the seed (no volume there).
      securityContext: { readOnlyRootFilesystem: false },
      envVariables: {
        GF_SERVER_ROOT_URL: kplus.EnvValue.fromValue('https://dashboard.internal.example.com'),
        GF_AUTH_PROXY_ENABLED: kplus.EnvValue.fromValue('true'),
        // oauth2-proxy passes the signed-in user to the app in X-Forwarded-Email (and strips that header from
        // client requests). X-Auth-Request-Email is only a response header of --set-xauthrequest: a client
        // could send it itself.
        GF_AUTH_PROXY_HEADER_NAME: kplus.EnvValue.fromValue('X-Forwarded-Email'),
        // Trust the identity header only from the proxy beside it, not from anything that reaches Grafana's
        // port directly.
        GF_AUTH_PROXY_WHITELIST: kplus.EnvValue.fromValue('127.0.0.1, ::1'),
      },
    },
  });
  dashboard.deployment.select(kplus.LabelSelector.of({ labels: { app: 'internal-dashboard' } }));

  new OAuth2ProxySidecar(dashboard, 'oauth2-proxy', {
    workload: dashboard.workload,
    provider: OAuth2Provider.google(),
    secret: kplus.Secret.fromSecretName(chart, 'oauth2-proxy-secret', 'oauth2-proxy-secret'),
    redirectUrl: 'https://dashboard.internal.example.com/oauth2/callback',
    emailDomains: ['company.com'],
    setXAuthRequest: true,
  });

  return chart;
}
