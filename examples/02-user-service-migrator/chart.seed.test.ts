import { Testing } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
  without,
} from '../../test/util/seed-compare';
import { build } from './chart';

const FLYWAY = 'spec.initContainers[flyway-migrate]';
const APP = 'spec.containers[user-service]';

test('02-user-service-migrator rebuilds the seed with FlywayMigration, with only the listed differences', () => {
  const manifests = synthValid(build(Testing.app()));
  const ours = JSON.parse(JSON.stringify(only(manifests, 'Pod')));
  const differences = compareWithSeed(loadSeed('02-user-service-migrator.yaml'), ours, {
    changed: {
      // the -alpine variant is built for amd64 only: the same Flyway version, multi-arch, pinned
      [`${FLYWAY}.image`]: 'flyway/flyway:10.12.0 (amd64, arm64, arm/v7; docs/images.md)',
      // The seed passes -user=$(DB_USER) -password=$(DB_PASSWORD): kubelet expands them into argv, where any
      // process on the node can read the password. Flyway reads FLYWAY_* variables itself, so the arguments
      // hold only the command.
      [`${FLYWAY}.args`]: 'only the command; URL, credentials and locations move to FLYWAY_* env vars',
      [`${FLYWAY}.env[DB_USER]`]: 'replaced by FLYWAY_USER (same Secret key)',
      [`${FLYWAY}.env[DB_PASSWORD]`]: 'replaced by FLYWAY_PASSWORD (same Secret key)',
    },
    added: {
      // migrations run in clusters without outbound access: no telemetry (and no update check, see args)
      [`${FLYWAY}.env[REDGATE_DISABLE_TELEMETRY]`]: 'telemetry off by default',
      [`${FLYWAY}.env[FLYWAY_URL]`]: 'the JDBC URL of the seed, as an env var',
      [`${FLYWAY}.env[FLYWAY_USER]`]: 'postgres-credentials/username, read by Flyway itself',
      [`${FLYWAY}.env[FLYWAY_PASSWORD]`]: 'postgres-credentials/password, read by Flyway itself',
      [`${FLYWAY}.env[FLYWAY_LOCATIONS]`]: 'filesystem:/flyway/sql, as in the seed',
      [`${FLYWAY}.env[JAVA_TOOL_OPTIONS]`]: "the JVM's temp dir and user.home on the writable /tmp emptyDir",
      [`${FLYWAY}.env[HOME]`]: 'HOME on the writable /tmp emptyDir (the root file system is read-only)',
      ...helperContainerDefaults(FLYWAY),
      [`${FLYWAY}.resources`]: 'JVM-sized requests and limits (100m/256Mi, 500m/512Mi)',
      [`${FLYWAY}.volumeMounts[migrations].readOnly`]: 'Flyway only reads its scripts',
      [`${FLYWAY}.volumeMounts[flyway-migrate-tmp]`]: 'a small writable /tmp for the JVM',
      'spec.volumes[flyway-migrate-tmp]': 'the /tmp emptyDir, limited to 64Mi',
      'metadata.annotations': 'a hash of the flyway-sql-scripts ConfigMap (a change of the scripts is visible)',
      ...cdk8sPlusAppContainerDefaults(APP),
      // the seed sets restartPolicy: OnFailure, and so does the example
      ...without(cdk8sPlusPodDefaults(''), 'spec.restartPolicy'),
    },
  });
  expect(differences).toEqual([]);
});
