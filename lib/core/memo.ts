/**
 * `compute` remembered by its argument, for values an app repeats thousands of times (quantities, image names):
 * each distinct one is computed once. The memory is bounded: past `limit` entries it starts afresh.
 */
export function memoByKey<K, V>(compute: (key: K) => V, limit = 4096): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    const value = known.get(key);
    if (value !== undefined || known.has(key)) return value as V;
    if (known.size >= limit) known.clear();
    const computed = compute(key);
    known.set(key, computed);
    return computed;
  };
}
