// Sidecar patterns: one file each, re-exported here.
export {};
export * from './envoy-health-check';
export * from './envoy-sidecar';
export * from './istio-injection';
export * from './oauth2-proxy-sidecar';
export * from './fluent-bit-output';
export * from './fluent-bit-health';
export * from './fluent-bit-config';
export * from './fluent-bit-sidecar';
export * from './fluentd-sidecar';
