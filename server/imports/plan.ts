import type { Knex } from 'knex';
import { toBool } from '../db/knex';
import type { ColumnSpec, ImportRow } from './template';
import { appendAudit, type AuditEntry } from '../core/audit';
import { type Actor } from '../core/actor';
import { type FieldError } from '../core/errors';
import { t, type Lang } from '../core/i18n';

type Conn = Knex | Knex.Transaction;

export type RowStatus = 'create' | 'update' | 'unchanged' | 'error';

/** What one row of the file would do, and (when it does something) how to do it. */
export interface PlannedRow {
  row: number;
  status: RowStatus;
  errors: Record<string, FieldError>;
  data: Record<string, unknown>;
  /** The columns whose stored values an 'update' changes (an enrolment change is listed under "Lớp"). */
  changes?: string[];
  apply?: (ctx: ApplyContext) => Promise<void>;
  /** What a kind's own `commit` needs to write the row in bulk (instead of `apply`). */
  payload?: unknown;
}

export interface PlanContext {
  conn: Conn;
  schoolId: number;
  today: string;
}

export interface CommitContext {
  trx: Knex.Transaction;
  actor: Actor;
  schoolId: number;
  today: string;
  fileName: string;
}

export interface ApplyContext extends CommitContext {
  row: number;
}

export interface ImportDef {
  columns: ColumnSpec[];
  /** Whether rows are placed in the current school year (students' classes, teaching assignments). */
  needsCurrentYear: boolean;
  plan: (ctx: PlanContext, rows: ImportRow[]) => Promise<PlannedRow[]>;
  /** Writes a plan without errors; by default each row's `apply`, in file order. */
  commit?: (ctx: CommitContext, planned: PlannedRow[]) => Promise<void>;
}

export async function applyEach(ctx: CommitContext, planned: PlannedRow[]): Promise<void> {
  for (const p of planned) if (p.apply) await p.apply({ ...ctx, row: p.row });
}

/** Rows per multi-row INSERT: well under the bound-parameter limits of SQLite and PostgreSQL. */
export const CHUNK = 200;

export interface Summary {
  create: number;
  update: number;
  unchanged: number;
  error: number;
}

export interface ReportRow {
  row: number;
  status: RowStatus;
  errors: Record<string, string>;
  data: Record<string, unknown>;
  changes?: string[];
}

export function summarize(rows: PlannedRow[]): Summary {
  const s: Summary = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) s[r.status]++;
  return s;
}

/** The report as the client sees it: every error in the client's language (Vietnamese by default). */
export function renderRows(lang: Lang, rows: PlannedRow[]): ReportRow[] {
  return rows.map(({ row, status, errors, data, changes }) => ({
    row,
    status,
    errors: Object.fromEntries(Object.entries(errors).map(([col, e]) => [col, 'text' in e ? e.text : t(lang, e.key, e.params)])),
    data,
    ...(changes ? { changes } : {}),
  }));
}

/** A per-entity audit row of an import, naming the file and row it came from (who, when, what, why). */
export async function auditRow(ctx: ApplyContext, entry: Omit<AuditEntry, 'reason' | 'schoolId'>): Promise<void> {
  await appendAudit(ctx.trx, ctx.actor, { ...entry, schoolId: ctx.schoolId, reason: `import ${ctx.fileName}, row ${ctx.row}` });
}

export interface CurrentYear {
  id: number;
  name: string;
  startDate: string;
  endDate: string;
}

export async function currentYearOf(conn: Conn, schoolId: number): Promise<CurrentYear | null> {
  const rows = (await conn('school_years').where({ school_id: schoolId }).select('id', 'name', 'start_date', 'end_date', 'is_current')) as Array<
    Record<string, unknown>
  >;
  const y = rows.find((r) => toBool(r.is_current));
  return y ? { id: Number(y.id), name: String(y.name), startDate: String(y.start_date), endDate: String(y.end_date) } : null;
}

/** Only the fields whose new value is given and differs: an empty cell never wipes a stored value. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): Array<keyof T> {
  return (Object.keys(after) as Array<keyof T>).filter((k) => after[k] !== null && after[k] !== undefined && after[k] !== before[k]);
}
