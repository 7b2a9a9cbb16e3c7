// Sidecar patterns: one file each, re-exported here.
export {};
