type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep-merges message trees left to right: later trees win on leaves, nested objects are merged. Never mutates. */
export function deepMerge<T extends Plain>(...trees: Plain[]): T {
  const out: Plain = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      const prev = out[key];
      out[key] = isPlain(prev) && isPlain(value) ? deepMerge(prev, value) : isPlain(value) ? deepMerge(value) : value;
    }
  }
  return out as T;
}

/** Every leaf path of a message tree (`ra.action.save`, …). */
export function leafPaths(tree: Plain, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlain(value)) out.push(...leafPaths(value, path));
    else out.push(path);
  }
  return out;
}
