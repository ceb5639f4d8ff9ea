import { toBool } from '../db/knex';

/** camelCase API fields ↔ snake_case columns, in one place. */
export const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Validated input → a row for insert/update (undefined fields are left alone). */
export function toRow(input: Record<string, unknown>, json: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    out[snake(k)] = json.includes(k) && v !== null ? JSON.stringify(v) : v;
  }
  return out;
}

/** A database row → an API record: camelCase keys, booleans and JSON columns decoded, search keys dropped. */
export function fromRow<T>(row: Record<string, unknown>, opts: { bool?: string[]; json?: string[]; omit?: string[] } = {}): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'search_text' || opts.omit?.includes(k)) continue;
    const key = camel(k);
    if (opts.bool?.includes(key)) out[key] = toBool(v);
    else if (opts.json?.includes(key)) out[key] = typeof v === 'string' ? JSON.parse(v) : (v ?? null);
    else out[key] = v ?? null;
  }
  return out as T;
}
