/**
 * The valid workload every pattern property attaches to: a Deployment running as user 10001 with a service
 * account and its token (so that VaultSecrets can log in), and a Secret holding a sentinel value.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, WorkloadKind } from '../../lib';
import { SENTINEL_SECRET } from './arbitraries';

/** What a pattern property builds on. */
export interface Base {
  readonly chart: Chart;
  readonly app: AppWorkload;
  readonly secret: kplus.Secret;
}

/** A fresh chart with the base workload, of `kind` (a Deployment by default). */
export function base(kind: 'deployment' | 'job' = 'deployment'): Base {
  const chart = Testing.chart();
  const secret = new kplus.Secret(chart, 'creds', {
    metadata: { name: 'creds' },
    stringData: {
      password: SENTINEL_SECRET,
      token: SENTINEL_SECRET,
      username: 'app-user',
      'client-id': 'client-id-not-secret',
      'client-secret': SENTINEL_SECRET,
      'cookie-secret': SENTINEL_SECRET,
    },
  });
  const serviceAccount = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'app-sa');
  const common = { serviceAccount, automountServiceAccountToken: true };
  const app = new AppWorkload(chart, 'app', {
    kind: kind === 'job' ? WorkloadKind.job(common) : WorkloadKind.deployment(common),
    container: { name: 'app', image: 'company/app:1.0.0', portNumber: 8080, securityContext: { user: 10001 } },
  });
  return { chart, app, secret };
}
