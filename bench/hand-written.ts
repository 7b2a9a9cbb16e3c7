/**
 * Generator (b): the same pods written by hand with cdk8s-plus-28, as a user without this library would
 * write them to get the same manifests.
 *
 * Only the generated texts come from the library, as strings (`PastedStrings`: the wait script, the Fluent
 * Bit configuration and its hash, the helpers' images), the way a user would paste them into their code.
 * Everything else is written here: containers, env, resources, security contexts, volumes, mounts, start-up
 * order, the Service. Two things cdk8s-plus-28 cannot express go in as JSON patches on the Deployment, as a
 * user would add them: `terminationMessagePolicy`, and probes without the `scheme: HTTP` that cdk8s-plus
 * always writes.
 */
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PastedStrings } from './pasted';
import { APP, LOG_SHIPPER, LOG_VOLUME, MIGRATION, SERVICE_PORT, WAITS, workloadId } from './shape';

/** A helper's requests and limits. */
function resources(cpuRequest: number, cpuLimit: number, memRequest: number, memLimit: number) {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) },
  };
}

/** Non-root, read-only, no privileges, no capabilities, the runtime's seccomp profile. */
const HELPER_SECURITY: kplus.ContainerSecurityContextProps = {
  user: 65534,
  group: 65534,
  ensureNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

function healthProbe(port: number, periodSeconds: number, failureThreshold: number, timeoutSeconds: number) {
  return {
    failureThreshold,
    httpGet: { path: '/api/v1/uptime', port: k8s.IntOrString.fromNumber(port) },
    periodSeconds,
    timeoutSeconds,
  };
}

/** Adds workload `i` to `chart`. */
export function buildHandWritten(chart: Construct, i: number, pasted: PastedStrings): void {
  const scope = new Construct(chart, workloadId(i));
  const logs = kplus.Volume.fromEmptyDir(scope, 'Logs', LOG_VOLUME);
  const deployment = new kplus.Deployment(scope, 'Workload', {
    containers: [
      {
        name: APP.name,
        image: APP.image,
        portNumber: APP.port,
        resources: resources(APP.cpuRequestMillis, APP.cpuLimitMillis, APP.memoryRequestMiB, APP.memoryLimitMiB),
        volumeMounts: [{ path: APP.logPath, volume: logs, readOnly: false }],
        // the restricted Pod Security profile, written out as a careful user would
        securityContext: {
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
      },
    ],
  });
  for (const [key, value] of Object.entries(pasted.podAnnotations)) {
    deployment.podMetadata.addAnnotation(key, value);
  }

  for (const wait of WAITS) {
    deployment.addInitContainer({
      name: wait.name,
      image: pasted.images[wait.name],
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: pasted.commands[wait.name],
      envVariables: {
        WAIT_TARGETS: kplus.EnvValue.fromValue(`tcp://${wait.host}:${wait.port}`),
        WAIT_INTERVAL_SECONDS: kplus.EnvValue.fromValue('2'),
        WAIT_ATTEMPT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue('2'),
      },
      resources: resources(10, 50, 16, 32),
      securityContext: HELPER_SECURITY,
    });
  }

  const secret = kplus.Secret.fromSecretName(scope, 'DbSecret', MIGRATION.secret);
  const scripts = kplus.Volume.fromConfigMap(
    scope,
    'Migrations',
    kplus.ConfigMap.fromConfigMapName(scope, 'MigrationsConfigMap', MIGRATION.scriptsConfigMap),
    { name: `configmap-${MIGRATION.scriptsConfigMap}` },
  );
  const scratch = kplus.Volume.fromEmptyDir(scope, 'MigrateTmp', `${MIGRATION.name}-tmp`, {
    sizeLimit: Size.mebibytes(64),
  });
  deployment.addInitContainer({
    name: MIGRATION.name,
    image: pasted.images[MIGRATION.name],
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    args: ['-skipCheckForUpdate', 'migrate'],
    envVariables: {
      FLYWAY_URL: kplus.EnvValue.fromValue(MIGRATION.jdbcUrl),
      FLYWAY_USER: kplus.EnvValue.fromSecretValue({ secret, key: MIGRATION.userKey }),
      FLYWAY_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: MIGRATION.passwordKey }),
      FLYWAY_LOCATIONS: kplus.EnvValue.fromValue('filesystem:/flyway/sql'),
      JAVA_TOOL_OPTIONS: kplus.EnvValue.fromValue('-Djava.io.tmpdir=/tmp -Duser.home=/tmp'),
      HOME: kplus.EnvValue.fromValue('/tmp'),
      REDGATE_DISABLE_TELEMETRY: kplus.EnvValue.fromValue('true'),
    },
    volumeMounts: [
      { path: '/flyway/sql', volume: scripts, readOnly: true },
      { path: '/tmp', volume: scratch, readOnly: false },
    ],
    resources: resources(100, 500, 256, 512),
    securityContext: HELPER_SECURITY,
  });

  // The same construct path as the pattern's, so that the ConfigMap gets the same name.
  const shipper = new Construct(scope, LOG_SHIPPER.name);
  const config = new kplus.ConfigMap(shipper, 'Config', { data: pasted.fluentBitConfig });
  const configVolume = kplus.Volume.fromConfigMap(scope, 'ShipperConfig', config, {
    name: `${LOG_SHIPPER.name}-config`,
  });
  const state = kplus.Volume.fromEmptyDir(scope, 'ShipperState', `${LOG_SHIPPER.name}-state`, {
    sizeLimit: Size.mebibytes(256),
  });
  deployment.addInitContainer({
    name: LOG_SHIPPER.name,
    image: pasted.images[LOG_SHIPPER.name],
    command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'],
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
    ports: [{ number: 2020, protocol: kplus.Protocol.TCP }],
    volumeMounts: [
      { path: APP.logPath, volume: logs, readOnly: true },
      { path: '/fluent-bit/etc', volume: configVolume, readOnly: true },
      { path: '/fluent-bit/state', volume: state, readOnly: false },
    ],
    resources: resources(50, 200, 64, 128),
    securityContext: HELPER_SECURITY,
  });

  const init = '/spec/template/spec/initContainers';
  const sidecar = `${init}/${WAITS.length + 1}`;
  ApiObject.of(deployment).addJsonPatch(
    ...[...WAITS.map((_, k) => k), WAITS.length, WAITS.length + 1].map((k) =>
      JsonPatch.add(`${init}/${k}/terminationMessagePolicy`, 'FallbackToLogsOnError'),
    ),
    JsonPatch.add(`${sidecar}/startupProbe`, healthProbe(2020, 2, 30, 1)),
    JsonPatch.add(`${sidecar}/livenessProbe`, healthProbe(2020, 10, 3, 2)),
  );

  new kplus.Service(scope, 'Service', {
    selector: deployment,
    type: kplus.ServiceType.CLUSTER_IP,
    ports: [{ port: SERVICE_PORT, targetPort: APP.port }],
  });
}
