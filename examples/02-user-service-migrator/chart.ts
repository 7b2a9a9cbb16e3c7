/**
 * Seed 02: the `user-service-migrator` Pod. Flyway migrates the users database in an init container, then
 * the user service starts. Rebuilt with `AppWorkload` (a Pod that restarts on failure) and `FlywayMigration`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppWorkload, FlywayMigration, FlywayScripts, WorkloadKind } from '../../lib';

/** Builds the user-service-migrator chart. */
export function build(app: App): Chart {
  const chart = new Chart(app, '02-user-service-migrator');
  const namespace = 'production';

  const credentials = kplus.Secret.fromSecretName(chart, 'postgres-credentials', 'postgres-credentials');
  const username = { secret: credentials, key: 'username' };
  const password = { secret: credentials, key: 'password' };

  // The seed mounts a ConfigMap it does not define; here it is built from the sql/ folder, so a change of
  // the scripts changes the hash annotation on the pod.
  const sql = new kplus.ConfigMap(chart, 'flyway-sql-scripts', {
    metadata: { name: 'flyway-sql-scripts', namespace },
  });
  sql.addDirectory(path.join(__dirname, 'sql'));

  const migrator = new AppWorkload(chart, 'user-service-migrator', {
    kind: WorkloadKind.pod({
      metadata: { name: 'user-service-migrator', namespace },
      restartPolicy: kplus.RestartPolicy.ON_FAILURE,
    }),
    container: {
      name: 'user-service',
      image: 'company/user-service:5.0.0',
      portNumber: 8080,
      envVariables: {
        DB_HOST: kplus.EnvValue.fromValue('postgres-svc'),
        DB_NAME: kplus.EnvValue.fromValue('users'),
        DB_USER: kplus.EnvValue.fromSecretValue(username),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue(password),
      },
    },
  });

  new FlywayMigration(migrator, 'flyway-migrate', {
    workload: migrator.workload,
    jdbcUrl: 'jdbc:postgresql://postgres-svc:5432/users',
    user: username,
    password,
    scripts: FlywayScripts.fromConfigMap(sql, { name: 'migrations' }),
  });

  return chart;
}
