import type { Knex } from 'knex';
import { cellClosure, type ClosedRule } from '../../domain/cutoffs';
import { lockCovers, type CellRef, type Lock } from '../../domain/locks';
import { toDecimalString } from '../db/decimal';
import { insertRows, selectRows, updateRows } from '../db/knex';
import { activeLocks, loadSettings, locksAndOpenings, type Opening, type SchoolSettings } from './guards';
import type { Gradebook } from './target';
import { AppError } from '../core/errors';

type Conn = Knex | Knex.Transaction;
export type Kind = 'regular' | 'midterm' | 'final';

/** One stored cell of a grade book. */
export interface StoredCell {
  id: number;
  studentId: number;
  kind: Kind;
  seq: number;
  /** '8.5' for a scored subject, 'D' / 'CD' for a comment subject. */
  value: string;
  version: number;
  firstEnteredAt: string;
  updatedAt: string;
  updatedBy: number;
}

export const keyOf = (c: { studentId: number; kind: string; seq: number }) => `${c.studentId}|${c.kind}|${c.seq}`;

/**
 * The stored cells of a grade book. With `lock` (inside a save), PostgreSQL row locks make the version check that
 * follows authoritative until commit; SQLite has a single writer already.
 */
export async function loadCells(conn: Conn, gb: Gradebook, opts: { lock?: boolean } = {}): Promise<Map<string, StoredCell>> {
  const lock = opts.lock && conn.client.config.client === 'pg' ? ' for update' : '';
  const rows = await selectRows(
    conn,
    `select id, student_id, kind, seq, score, grade_text, version, first_entered_at, updated_at, updated_by from assessment_scores
     where semester_id = ? and class_id = ? and subject_id = ?${lock}`,
    [gb.semester.id, gb.klass.id, gb.subject.id],
  );
  const cells = new Map<string, StoredCell>();
  for (const r of rows) {
    const cell: StoredCell = {
      id: Number(r.id),
      studentId: Number(r.student_id),
      kind: r.kind as Kind,
      seq: Number(r.seq),
      value: r.grade_text !== null && r.grade_text !== undefined ? String(r.grade_text) : toDecimalString(r.score)!,
      version: Number(r.version),
      firstEnteredAt: String(r.first_entered_at),
      updatedAt: String(r.updated_at),
      updatedBy: Number(r.updated_by),
    };
    cells.set(keyOf(cell), cell);
  }
  return cells;
}

/**
 * Everything closureOf needs for one grade book at `now`: the settings and test dates read with the grade book
 * (loadGradebook), the locks and openings in force (one statement).
 */
export async function closureContext(conn: Conn, gb: Gradebook, now: string): Promise<ClosureContext> {
  const at = { schoolId: gb.target.schoolId, schoolYearId: gb.schoolYearId, classId: gb.klass.id, subjectId: gb.subject.id, semesterId: gb.semester.id };
  const { locks, openings } = await locksAndOpenings(conn, at, now);
  return { settings: gb.entry.settings, locks, openings, testDates: gb.entry.testDates, now };
}

/** What closureOf needs for a class's conduct records: the school's locks (no openings, no test dates). */
export async function conductClosureContext(conn: Conn, schoolId: number, schoolYearId: number, now: string): Promise<ClosureContext> {
  const settings = await loadSettings(conn, schoolId);
  const locks = await activeLocks(conn, schoolId, schoolYearId);
  return { settings, locks, openings: [], testDates: { midterm: null, final: null }, now };
}

/** Why a cell cannot be written now: a lock, or a cutoff rule, with the instant it closed. */
export type Closed =
  | { rule: 'lock'; since: string; lockId: number; lockScope: string; reason: string }
  | { rule: ClosedRule; since: string | null; until?: string };

export interface ClosureContext {
  settings: SchoolSettings;
  locks: Lock[];
  openings: Opening[];
  testDates: { midterm: string | null; final: string | null };
  now: string;
}

/**
 * What can be closed: a score cell (by locks and the cutoff rules), a subject teacher's comment, or a homeroom
 * teacher's conduct record (by locks only). Conduct belongs to no subject and names no student: subjectId and
 * studentId 0, so only locks on the whole class, grade, semester or year reach it.
 */
export type ClosableKind = Kind | 'comment' | 'conduct';
export interface Closable {
  studentId: number;
  kind: ClosableKind;
  seq: number;
  firstEnteredAt: string | null;
}
/** Where a closable record sits: a grade book, or a class in a semester (conduct). */
export type Place = Omit<CellRef, 'studentId' | 'kind' | 'seq'>;

export function placeOf(gb: Gradebook): Place {
  return { schoolYearId: gb.schoolYearId, semesterId: gb.semester.id, grade: gb.klass.grade, classId: gb.klass.id, subjectId: gb.subject.id };
}

/**
 * The one place that decides whether a cell or record is open, at the moment of the write (grid, comments,
 * conduct, corrections): an approved unlock opens named cells for a limited time; otherwise an explicit lock,
 * then — for score cells — the cutoff rules, close it.
 */
export function closureOf(where: Gradebook | Place, item: Closable, ctx: ClosureContext): Closed | null {
  const opened = ctx.openings.length > 0 && ctx.openings.some((o) => o.studentId === item.studentId && o.kind === item.kind && o.seq === item.seq);
  if (opened) return null;
  if (ctx.locks.length > 0) {
    const place = 'klass' in where ? placeOf(where) : where;
    const lock = ctx.locks.find((l) => lockCovers(l, { ...place, studentId: item.studentId, kind: item.kind, seq: item.seq }));
    if (lock) return { rule: 'lock', since: lock.createdAt, lockId: lock.id, lockScope: lock.scope, reason: lock.reason };
  }
  if (item.kind === 'comment' || item.kind === 'conduct') return null;
  return cutoffClosure(item.kind, item.firstEnteredAt, ctx);
}

/**
 * The cutoff rules depend only on the column kind and when the cell was first entered, and a grid's cells were
 * mostly entered in a few saves: worked out once per (kind, first entry) for a context, not once per cell (the
 * date arithmetic was a tenth of a save's CPU in the 45-teacher storm).
 */
const cutoffMemo = new WeakMap<ClosureContext, Map<string, Closed | null>>();
function cutoffClosure(kind: Kind, firstEnteredAt: string | null, ctx: ClosureContext): Closed | null {
  let memo = cutoffMemo.get(ctx);
  if (!memo) cutoffMemo.set(ctx, (memo = new Map()));
  const key = `${kind}|${firstEnteredAt}`;
  if (memo.has(key)) return memo.get(key)!;
  const testDate = kind === 'regular' ? null : ctx.testDates[kind];
  const c = cellClosure({ kind, firstEnteredAt, testDate }, ctx.settings, ctx.now);
  const closed: Closed | null = c.closed ? { rule: c.rule, since: c.since, ...(c.until ? { until: c.until } : {}) } : null;
  memo.set(key, closed);
  return closed;
}

export interface CellChange {
  studentId: number;
  kind: Kind;
  seq: number;
  /** Canonical value, or null to clear the cell. */
  value: string | null;
}

const CELL_KEY = ['semester_id', 'class_id', 'subject_id', 'student_id', 'kind', 'seq'];
/** keyOf for a row of assessment_scores. */
const rowKey = (r: { student_id?: unknown; kind?: unknown; seq?: unknown }) => keyOf({ studentId: Number(r.student_id), kind: String(r.kind), seq: Number(r.seq) });
/** What a save writes over a stored cell, found by its id (it was read under lock). */
const SCORE_UPDATE = { id: 'integer', score: 'numeric', grade_text: 'text', updated_at: 'text', updated_by: 'integer', version: 'integer' } as const;

/**
 * Writes accepted changes (already checked against the versions read under lock) in at most three statements —
 * stored cells updated by id, new cells inserted, cleared cells deleted — rather than one round trip per cell, and
 * returns them with their before values for audit and recompute. An update keeps first_entered_at, so a correction
 * never restarts the weekly cutoff clock.
 */
export async function applyChanges(
  trx: Knex.Transaction,
  gb: Gradebook,
  existing: Map<string, StoredCell>,
  changes: CellChange[],
  userId: number,
  now: string,
): Promise<Array<CellChange & { before: string | null }>> {
  const applied: Array<CellChange & { before: string | null }> = [];
  const scored = gb.subject.assessmentType === 'scored';
  const updates: Array<Record<string, Knex.Value>> = [];
  const inserts: Array<Record<string, Knex.Value>> = [];
  const deletes: number[] = [];
  for (const ch of changes) {
    const cur = existing.get(keyOf(ch));
    if (!cur && ch.value === null) continue;
    applied.push({ ...ch, before: cur?.value ?? null });
    if (ch.value === null) {
      deletes.push(cur!.id);
      continue;
    }
    const value = { score: scored ? ch.value : null, grade_text: scored ? null : ch.value, updated_at: now, updated_by: userId, version: (cur?.version ?? 0) + 1 };
    if (cur) updates.push({ id: cur.id, ...value });
    else {
      const { semester, klass, subject } = gb;
      inserts.push({ school_id: gb.target.schoolId, semester_id: semester.id, class_id: klass.id, subject_id: subject.id, student_id: ch.studentId, kind: ch.kind, seq: ch.seq, first_entered_at: now, entered_by: userId, ...value });
    }
  }
  // Cells that exist are locked (loadCells with `lock`), so updating them is safe. A cell that did not exist
  // has no row to lock: two writers who both saw it empty (version 0) would both insert, the second merging over
  // the first. So a new cell is inserted only if still absent (ON CONFLICT DO NOTHING, waiting for the other
  // transaction on PostgreSQL), and a cell someone else created meanwhile is a stale write: 409 with its value.
  if ((await updateRows(trx, 'assessment_scores', updates, ['id'], SCORE_UPDATE)) !== updates.length) throw new AppError('conflict', 'staleGrid');
  const written = await insertRows<{ student_id: number; kind: string; seq: number }>(trx, 'assessment_scores', inserts, { conflict: CELL_KEY, returning: ['student_id', 'kind', 'seq'] });
  const inserted = new Set(written.map(rowKey));
  const lost = inserts.filter((u) => !inserted.has(rowKey(u)));
  if (lost.length > 0) {
    const now2 = await loadCells(trx, gb);
    const current = lost.map((u) => {
      const cur = now2.get(rowKey(u));
      return { studentId: Number(u.student_id), kind: u.kind as Kind, seq: Number(u.seq), value: cur?.value ?? null, version: cur?.version ?? 0 };
    });
    throw new AppError('conflict', 'staleGrid', {}, {}, { current });
  }
  if (deletes.length > 0) {
    const n = await trx('assessment_scores').whereIn('id', deletes).delete();
    if (n !== deletes.length) throw new AppError('conflict', 'staleGrid');
  }
  return applied;
}
