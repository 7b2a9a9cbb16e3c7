/**
 * The seed's payment-service Pod: an init step logs in to Vault with the pod's service account and writes
 * three secret fields to a memory-backed volume that the app reads through *_FILE variables.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, SharedVolume, VaultSecrets, WorkloadKind } from '../../lib';

/** Builds the payment-service chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '04-payment-service');

  const payment = new AppWorkload(chart, 'payment-service', {
    kind: WorkloadKind.pod({
      metadata: { name: 'payment-service', namespace: 'production' },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'service-account', 'payment-service-sa'),
      // cdk8s-plus does not mount the token by default; the Vault login needs it
      automountServiceAccountToken: true,
    }),
    container: {
      name: 'payment-service',
      image: 'company/payment-service:4.2.0',
      portNumber: 9090,
      // the init step runs as this user, so that only the app can read the files
      securityContext: { user: 10001 },
    },
  });

  new VaultSecrets(payment, 'vault-fetch-secrets', {
    workload: payment.workload,
    address: 'https://vault.internal:8200',
    caCertificate: kplus.ConfigMap.fromConfigMapName(chart, 'vault-ca-cert', 'vault-ca-cert'),
    role: 'payment-service',
    mountPath: '/secrets',
    volume: SharedVolume.emptyDir(chart, 'secrets-vol', { memory: true, sizeLimitMiB: 1 }),
    secrets: [
      { path: 'secret/payment/stripe', field: 'api_key', fileName: 'stripe_api_key', envVar: 'STRIPE_API_KEY_FILE' },
      { path: 'secret/payment/postgres', field: 'db_pass', fileName: 'db_password', envVar: 'DB_PASSWORD_FILE' },
      { path: 'secret/payment/signing', field: 'hmac_key', fileName: 'hmac_key' },
    ],
    disableAgentInjection: true,
  });

  return chart;
}
