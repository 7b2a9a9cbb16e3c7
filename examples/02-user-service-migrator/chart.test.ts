import { Testing } from 'cdk8s';
import { containerNamed, only, synthValid } from '../../test/util/manifest';
import { build } from './chart';

test('02-user-service-migrator synthesizes FlywayMigration with credentials out of argv', () => {
  const manifests = synthValid(build(Testing.app()));
  expect(manifests).toMatchSnapshot();

  const ours = JSON.parse(JSON.stringify(only(manifests, 'Pod')));

  const flyway = containerNamed(ours.spec, 'flyway-migrate');
  expect(flyway.args).toEqual(['-skipCheckForUpdate', 'migrate']);
  expect(JSON.stringify(flyway)).not.toMatch(/-user=|-password=/);
  const configMap = only(manifests, 'ConfigMap', 'flyway-sql-scripts');
  expect(Object.keys(configMap.data)).toEqual(['V1__create_users.sql', 'V2__add_display_name.sql']);
});
