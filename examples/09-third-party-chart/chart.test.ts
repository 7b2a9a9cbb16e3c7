import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { ManifestRules, Severity } from '../../lib';
import { runCli } from '../../test/cli/run-doctor';
import { containerNamed, envOf, only, synthValid } from '../../test/util/manifest';
import { build } from './chart';

const names = (containers: any[] | undefined) => (containers ?? []).map((c: any) => c.name);

describe('09-third-party-chart', () => {
  const manifests = synthValid(build(new App()));

  test('synthesizes valid manifests', () => {
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/09-third-party-chart-log-forwarder-config-c8078ec7',
      'Deployment/shop-web',
      'Service/shop-db',
      'Service/shop-web',
      'ServiceAccount/shop-web',
      'StatefulSet/shop-db',
    ]);
  });

  test("the web Deployment waits for the database, then reads its secrets from Vault; the chart's fields stay", () => {
    const deployment = only(manifests, 'Deployment', 'shop-web');
    const spec = deployment.spec.template.spec;
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.metadata.labels['helm.sh/chart']).toBe('shop-1.4.2');
    expect(names(spec.initContainers)).toEqual(['wait-for-db', 'vault-secrets']);
    expect(envOf(containerNamed(spec, 'wait-for-db'))).toMatchObject({
      WAIT_TARGETS: 'tcp://shop-db:5432',
      WAIT_DEADLINE_SECONDS: '300',
    });
    const vault = containerNamed(spec, 'vault-secrets');
    expect(vault.securityContext.runAsUser).toBe(1000);
    expect(envOf(vault)).toMatchObject({ VAULT_AUTH_ROLE: 'shop-web', VAULT_FILE_MODE: '0400' });
    expect(spec.serviceAccountName).toBe('shop-web');
    expect(names(spec.containers)).toEqual(['shop']);
    const shop = containerNamed(spec, 'shop');
    expect(shop.env).toEqual([
      { name: 'SHOP_DATABASE_HOST', value: 'shop-db' },
      { name: 'SHOP_DATABASE_PORT', value: '5432' },
      { name: 'PAYMENTS_API_KEY_FILE', value: '/vault/secrets/payments_api_key' },
      { name: 'SESSION_KEY_FILE', value: '/vault/secrets/session_key' },
    ]);
    expect(shop.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { mountPath: '/vault/secrets', name: 'vault-secrets-secrets', readOnly: true },
    ]);
    expect(names(spec.volumes)).toEqual(['tmp', 'vault-secrets-secrets', 'vault-secrets-home']);
    expect(spec.volumes[1]).toEqual({
      name: 'vault-secrets-secrets',
      emptyDir: { medium: 'Memory', sizeLimit: '1Mi' },
    });
  });

  test("the database StatefulSet keeps its init container first and ships postgres's log files", () => {
    const statefulSet = only(manifests, 'StatefulSet', 'shop-db');
    const spec = statefulSet.spec.template.spec;
    expect(names(spec.initContainers)).toEqual(['init-chmod-data', 'log-forwarder']);
    const forwarder = containerNamed(spec, 'log-forwarder');
    expect(forwarder.restartPolicy).toBe('Always');
    expect(forwarder.image).toBe('fluent/fluent-bit:5.0.3');
    expect(containerNamed(spec, 'postgres').volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { mountPath: '/var/log/postgresql', name: 'postgres-logs', readOnly: false },
    ]);
    expect(names(spec.volumes)).toEqual(['postgres-logs', 'log-forwarder-config', 'log-forwarder-state']);
    expect(statefulSet.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(Object.keys(statefulSet.spec.template.metadata.annotations)).toEqual([
      'checksum.cdk8s-pod-patterns/log-forwarder',
    ]);
  });

  test("the chart's Services are kept as they were", () => {
    expect(only(manifests, 'Service', 'shop-web').spec).toEqual({
      type: 'ClusterIP',
      ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }],
      selector: {
        'app.kubernetes.io/name': 'shop',
        'app.kubernetes.io/instance': 'shop',
        'app.kubernetes.io/component': 'web',
      },
    });
    expect(only(manifests, 'Service', 'shop-db').spec.clusterIP).toBe('None');
  });

  test('the rules and the doctor find no error', () => {
    expect(ManifestRules.check(manifests).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-third-party-'));
    const file = path.join(dir, '09-third-party-chart.k8s.yaml');
    fs.writeFileSync(file, manifests.map((o) => stringify(o)).join('---\n'));
    const run = runCli(['doctor', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('0 errors');
  });
});
