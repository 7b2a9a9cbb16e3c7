/**
 * Helpers for the plain JSON objects that are rendered into manifests (internal: not re-exported).
 */

/** Removes keys whose value is undefined (and objects left empty). */
export function dropUndefined<T extends object>(obj: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Sorts object keys recursively and drops undefined values, as cdk8s does for its own output. */
export function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  // Only plain objects: a cdk8s token (a Lazy value) stays whole, for cdk8s's resolution to produce it.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: any = {};
    for (const k of Object.keys(value).sort()) {
      if (value[k] !== undefined) out[k] = sortKeys(value[k]);
    }
    return out;
  }
  return value;
}
