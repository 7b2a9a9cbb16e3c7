export * from './acknowledge';
export * from './finding';
export { ManifestRules } from './manifest-rules';
export * from './rule-options';
export { Severity } from './severity';
