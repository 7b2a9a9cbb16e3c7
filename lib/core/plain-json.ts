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

/** What `sortedPlainCopy` returns for a value that is not plain JSON. */
export const NOT_PLAIN_JSON = Symbol('not plain JSON');

/**
 * A deep copy of `value` with object keys sorted and undefined values dropped (what `sortKeys` gives), when
 * `value` is plain JSON: strings, numbers, booleans, null, arrays and plain objects. Returns `NOT_PLAIN_JSON`
 * when it holds anything else (a Lazy value or any class instance, a function, an undefined array element),
 * which needs cdk8s's resolution. For plain JSON, cdk8s's built-in resolvers change nothing, so resolving
 * and then sorting gives this copy.
 */
export function sortedPlainCopy(value: any): any {
  if (value === null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return NOT_PLAIN_JSON;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedPlainCopy(value[i]);
      if (item === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN_JSON;
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  const out: any = {};
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    const item = sortedPlainCopy(v);
    if (item === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
    out[key] = item;
  }
  return out;
}

/**
 * A deep copy of rendered JSON, built key by key. The objects cdk8s-plus's mappers return each have a shape
 * (hidden class) of their own, which makes every later reader (the rules at synth, the YAML writer) slow to
 * read them; copies with the same keys in the same order share one shape. For resolved JSON only: values
 * that are not objects or arrays are kept as they are.
 */
export function sharedShapeCopy(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sharedShapeCopy(value[i]);
    return out;
  }
  const out: any = {};
  for (const key of Object.keys(value)) out[key] = sharedShapeCopy(value[key]);
  return out;
}
