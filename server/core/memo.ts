/**
 * A value computed once per key and kept in a bounded map (the oldest entry leaves first): parsed certificates,
 * encoded font subsets, QR matrices — things a school's documents ask for again and again.
 */
export function remember<K, V>(cache: Map<K, V>, key: K, make: () => V, limit = 512): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= limit) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
  return value;
}
