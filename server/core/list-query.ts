import type { Knex } from 'knex';
import { searchKey } from '../../domain/text';
import { AppError } from './errors';
import { MAX_INT } from './fields';

/**
 * ra-data-simple-rest list parameters: `sort=["field","ASC"]`, `range=[0,24]`, `filter={...}` as JSON in the query
 * string. Filter keys: `q` (diacritic-insensitive search), `id` (getMany: an array), a field (equality, or IN for an
 * array), and `field_gte|_lte|_gt|_lt`.
 */
export type FieldType = 'string' | 'number' | 'boolean';
export interface FieldDef {
  column: string;
  type: FieldType;
  /** A filter that is not a plain column comparison (e.g. "has role X"): applied for `field=value`. */
  where?: (qb: Knex.QueryBuilder, values: unknown[]) => void;
}
export type FieldMap = Record<string, FieldDef>;

export interface ListQuery {
  sort: { column: string; order: 'asc' | 'desc' };
  range: { start: number; end: number };
  q?: string;
  filters: Array<{ column: string; op: '=' | 'in' | '>=' | '<=' | '>' | '<'; value: unknown; def?: FieldDef }>;
}

export const MAX_PAGE = 1000;

const OPS = { _gte: '>=', _lte: '<=', _gt: '>', _lt: '<' } as const;

function parseJsonParam(raw: unknown, param: string): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new AppError('invalid', 'badQuery', { param });
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('invalid', 'badQuery', { param });
  }
}

/** A field of the allow-list, looked up as an own property only: `constructor`, `__proto__` or `toString` are not fields. */
function ownField(fields: FieldMap, name: string): FieldDef | undefined {
  if (!Object.hasOwn(fields, name)) return undefined;
  const def = fields[name];
  return def && typeof def === 'object' && typeof def.column === 'string' ? def : undefined;
}

function field(fields: FieldMap, name: string): FieldDef {
  const def = ownField(fields, name);
  if (!def) throw new AppError('invalid', 'unknownField', { field: name });
  return def;
}

function coerce(def: FieldDef, value: unknown, name: string): unknown {
  if (value === null) return null;
  if (def.type === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n) || (Number.isInteger(n) && Math.abs(n) > MAX_INT)) throw new AppError('invalid', 'badQuery', { param: `filter.${name}` });
    return n;
  }
  if (def.type === 'boolean') {
    if (value === true || value === 'true' || value === 1) return true;
    if (value === false || value === 'false' || value === 0) return false;
    throw new AppError('invalid', 'badQuery', { param: `filter.${name}` });
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new AppError('invalid', 'badQuery', { param: `filter.${name}` });
  return String(value);
}

export function parseListQuery(query: Record<string, unknown>, fields: FieldMap, defaultSort = 'id'): ListQuery {
  const sortRaw = parseJsonParam(query.sort, 'sort') ?? [defaultSort, 'ASC'];
  if (!Array.isArray(sortRaw) || typeof sortRaw[0] !== 'string') throw new AppError('invalid', 'badQuery', { param: 'sort' });
  const order = String(sortRaw[1] ?? 'ASC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw new AppError('invalid', 'badQuery', { param: 'sort' });
  const sort = { column: field(fields, sortRaw[0]).column, order: order === 'ASC' ? ('asc' as const) : ('desc' as const) };

  const rangeRaw = parseJsonParam(query.range, 'range') ?? [0, MAX_PAGE - 1];
  if (
    !Array.isArray(rangeRaw) ||
    !rangeRaw.every((n) => Number.isInteger(n) && n >= 0) ||
    rangeRaw.length !== 2 ||
    rangeRaw[1] < rangeRaw[0]
  ) {
    throw new AppError('invalid', 'badQuery', { param: 'range' });
  }
  const start = rangeRaw[0] as number;
  const range = { start, end: Math.min(rangeRaw[1] as number, start + MAX_PAGE - 1) };

  const filterRaw = parseJsonParam(query.filter, 'filter') ?? {};
  if (typeof filterRaw !== 'object' || filterRaw === null || Array.isArray(filterRaw)) {
    throw new AppError('invalid', 'badQuery', { param: 'filter' });
  }
  const result: ListQuery = { sort, range, filters: [] };
  for (const [key, value] of Object.entries(filterRaw)) {
    if (value === undefined || value === '') continue;
    if (key === 'q') {
      if (typeof value !== 'string') throw new AppError('invalid', 'badQuery', { param: 'filter.q' });
      result.q = value;
      continue;
    }
    const suffix = (Object.keys(OPS) as (keyof typeof OPS)[]).find((s) => key.endsWith(s) && ownField(fields, key.slice(0, -s.length)));
    if (suffix) {
      const name = key.slice(0, -suffix.length);
      const def = field(fields, name);
      result.filters.push({ column: def.column, op: OPS[suffix], value: coerce(def, value, name) });
      continue;
    }
    const def = field(fields, key);
    if (Array.isArray(value)) {
      result.filters.push({ column: def.column, op: 'in', value: value.map((v) => coerce(def, v, key)), def });
    } else {
      result.filters.push({ column: def.column, op: '=', value: coerce(def, value, key), def });
    }
  }
  return result;
}

/** Applies the `q` search and the filters (not sort or range) to a query builder. */
export function applyFilters(qb: Knex.QueryBuilder, lq: ListQuery, searchColumns: string[]): Knex.QueryBuilder {
  if (lq.q && searchColumns.length > 0) {
    const words = searchKey(lq.q).split(' ').filter(Boolean);
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.where((w) => {
        for (const col of searchColumns) w.orWhereRaw(`?? like ? escape '\\'`, [col, pattern]);
      });
    }
  }
  for (const f of lq.filters) {
    if (f.def?.where && (f.op === '=' || f.op === 'in')) f.def.where(qb, f.op === 'in' ? (f.value as unknown[]) : [f.value]);
    else if (f.op === 'in') qb.whereIn(f.column, f.value as string[]);
    else if (f.value === null) qb.whereNull(f.column);
    else qb.where(f.column, f.op as string, f.value as string | number);
  }
  return qb;
}
