/**
 * The benchmark's workload, as a user states it: the values every generator starts from. Each generator
 * turns them into the same manifests in its own way.
 *
 * One workload: a Deployment whose pod waits for two Services, runs a Flyway migration (two secret env
 * vars, the scripts from a ConfigMap), ships the app's log files with a native Fluent Bit sidecar from an
 * emptyDir (its configuration generated into a ConfigMap), runs the app container with resources, and a
 * Service in front of it.
 */

/** The id of the one chart every generator writes into. */
export const CHART_ID = 'bench';

/** The construct id of workload `i`; cdk8s derives the object names from it. */
export function workloadId(i: number): string {
  return `app-${i}`;
}

/** The app container. */
export const APP = {
  name: 'app',
  image: 'registry.example.com/shop/app:1.4.2',
  port: 8080,
  cpuRequestMillis: 250,
  cpuLimitMillis: 1000,
  memoryRequestMiB: 256,
  memoryLimitMiB: 512,
  logPath: '/var/log/app',
};

/** The log volume the app writes to and the sidecar reads. */
export const LOG_VOLUME = 'logs';

/** The Services the pod waits for, in order: init container name, host, port. */
export const WAITS = [
  { name: 'wait-postgres', host: 'postgres', port: 5432 },
  { name: 'wait-redis', host: 'redis', port: 6379 },
] as const;

/** The migration. */
export const MIGRATION = {
  name: 'migrate',
  jdbcUrl: 'jdbc:postgresql://postgres:5432/shop',
  secret: 'shop-db',
  userKey: 'username',
  passwordKey: 'password',
  scriptsConfigMap: 'shop-migrations',
};

/** The log shipper. */
export const LOG_SHIPPER = {
  name: 'logs-shipper',
  elasticsearchHost: 'elasticsearch.logging',
  index: 'shop',
};

/** The Service port (traffic goes to the app's port). */
export const SERVICE_PORT = 80;
