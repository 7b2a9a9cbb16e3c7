// Init patterns: one file each, re-exported here.
export {};
export * from './wait-for-service';
export * from './vault-secrets';
export * from './git-clone-content';
export * from './flyway-migration';
export * from './flyway-migration-job';
export * from './config-check';
