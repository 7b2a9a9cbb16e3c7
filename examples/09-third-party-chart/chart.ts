/**
 * A third-party chart's `helm template` output, included as it is, given what its values do not offer: the web
 * Deployment waits for the database and reads its secrets from Vault, and the database StatefulSet ships its
 * log files with Fluent Bit. The chart's own init container and Services are kept.
 */
import * as path from 'path';
import { ApiObject, App, Chart, Include } from 'cdk8s';
import {
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  SharedVolume,
  VaultSecrets,
  WaitForService,
  WaitTarget,
} from '../../lib';

/** The one object of `kind` named `name` in an included file. */
function objectOf(include: Include, kind: string, name: string): ApiObject {
  const found = include.apiObjects.find((o) => o.kind === kind && o.name === name);
  if (!found) throw new Error(`${include.node.path}: no ${kind} named '${name}' in the included file`);
  return found;
}

/** Builds the third-party chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '09-third-party-chart', { namespace: 'shop' });

  // `helm template shop ./shop` saved to two files, one per component
  const web = new Include(chart, 'web', { url: path.join(__dirname, 'shop', 'web.yaml') });
  const db = new Include(chart, 'db', { url: path.join(__dirname, 'shop', 'db.yaml') });
  const webDeployment = objectOf(web, 'Deployment', 'shop-web');
  const dbStatefulSet = objectOf(db, 'StatefulSet', 'shop-db');

  new WaitForService(chart, 'wait-for-db', {
    workload: webDeployment,
    targets: [WaitTarget.tcp('shop-db', 5432)],
    deadlineSeconds: 300,
  });

  // the chart's ServiceAccount 'shop-web' is bound to the Vault role; the token is mounted (the Kubernetes
  // default) and the app runs as user 1000, so the files are readable by it alone
  new VaultSecrets(chart, 'vault-secrets', {
    workload: webDeployment,
    address: 'https://vault.internal:8200',
    role: 'shop-web',
    secrets: [
      { path: 'secret/shop/payments', field: 'api_key', fileName: 'payments_api_key', envVar: 'PAYMENTS_API_KEY_FILE' },
      { path: 'secret/shop/session', field: 'key', fileName: 'session_key', envVar: 'SESSION_KEY_FILE' },
    ],
  });

  // postgres writes its log files (logging_collector) to /var/log/postgresql
  const logs = SharedVolume.emptyDir(chart, 'postgres-logs', { sizeLimitMiB: 512 });
  new FluentBitSidecar(chart, 'log-forwarder', {
    workload: dbStatefulSet,
    logVolume: logs,
    appMountPath: '/var/log/postgresql',
    config: FluentBitConfig.generate({
      inputs: [{ paths: ['/var/log/app/*.log'], tag: 'postgres' }],
      outputs: [FluentBitOutput.elasticsearch({ host: 'elasticsearch.logging.svc', index: 'shop-db' })],
    }),
  });

  return chart;
}
