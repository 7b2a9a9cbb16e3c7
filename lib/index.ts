export * from './core/app-workload';
export * from './core/health-check';
export * from './core/helper-container';
export * from './core/kubernetes-version';
export * from './core/pod-composer';
export * from './core/resource-accounting';
export * from './core/shared-volume';
export * from './core/workload-kind';
