/**
 * `compute` remembered by its argument, for values an app repeats thousands of times (quantities, image names):
 * each distinct one is computed once. The memory is bounded: past `limit` entries it starts afresh.
 */
export function memoByKey<K, V>(compute: (key: K) => V, limit = 4096): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    if (known.size >= limit) known.clear();
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
