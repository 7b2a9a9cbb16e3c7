/** How much a finding matters. */
export enum Severity {
  /** The API server rejects the object, or the pod cannot work as written. Fails `cdk8s synth`. */
  ERROR = 'error',
  /** The pod works but risks an outage, a leak or a surprise. Printed at synth. */
  WARNING = 'warning',
  /** Worth knowing; nothing to fix unless it is unintended. */
  INFO = 'info',
}

/** The rank of a severity: 0 for info, 2 for error. */
export function severityRank(severity: Severity): number {
  return severity === Severity.ERROR ? 2 : severity === Severity.WARNING ? 1 : 0;
}
