export * from './plan-container';
export * from './plan-phase';
export * from './shutdown-plan';
export * from './runbook';
export * from './pod-plan';
export * from './plan-file';
