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
 * The stored cells of a grade book. Read without row locks, also inside a save: applyChanges writes a cell only if
 * its version is still the one read here (a concurrent writer's change makes the save a stale one, 409).
 */
export async function loadCells(conn: Conn, gb: Gradebook): Promise<Map<string, StoredCell>> {
  const rows = await selectRows(
    conn,
    `select id, student_id, kind, seq, score, grade_text, version, first_entered_at, updated_at, updated_by from assessment_scores
     where semester_id = ? and class_id = ? and subject_id = ?`,
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
/** What a save writes over a stored cell, found by its id, if its version is still the one read (updateRows' guard). */
const SCORE_UPDATE = { id: 'integer', score: 'numeric', grade_text: 'text', updated_at: 'text', updated_by: 'integer', version: 'integer' } as const;

/**
 * Writes accepted changes (already checked against the versions read) in at most three statements —
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
  const updatedTo = new Map<string, { value: string; version: number }>();
  const inserts: Array<Record<string, Knex.Value>> = [];
  const deletes: StoredCell[] = [];
  for (const ch of changes) {
    const cur = existing.get(keyOf(ch));
    if (!cur && ch.value === null) continue;
    applied.push({ ...ch, before: cur?.value ?? null });
    if (ch.value === null) {
      deletes.push(cur!);
      continue;
    }
    const value = { score: scored ? ch.value : null, grade_text: scored ? null : ch.value, updated_at: now, updated_by: userId, version: (cur?.version ?? 0) + 1 };
    if (cur) {
      updates.push({ id: cur.id, ...value });
      updatedTo.set(keyOf(ch), { value: ch.value, version: value.version });
    } else {
      const { semester, klass, subject } = gb;
      inserts.push({ school_id: gb.target.schoolId, semester_id: semester.id, class_id: klass.id, subject_id: subject.id, student_id: ch.studentId, kind: ch.kind, seq: ch.seq, first_entered_at: now, entered_by: userId, ...value });
    }
  }
  // A stored cell is updated (or deleted) only if its version is still the one `existing` holds: a writer who
  // changed it since, on another computer or by an approved correction, makes this a stale write. A cell that did
  // not exist has no version to check: two writers who both saw it empty would both insert, the second merging
  // over the first. So a new cell is inserted only if still absent (ON CONFLICT DO NOTHING, waiting for the other
  // transaction on PostgreSQL). Either way: 409 with the current values of the cells lost, nothing written.
  if ((await updateRows(trx, 'assessment_scores', updates, ['id'], SCORE_UPDATE, { versionGuard: 'version' })) !== updates.length) {
    // Which cells the other writer took (rare: no RETURNING on every save for it). This transaction sees its own
    // updates, so a cell not exactly as this save wrote it — value, version, who, when — is theirs.
    const current = await loadCells(trx, gb);
    const ours = (k: string, w: { value: string; version: number }) => {
      const c = current.get(k);
      return c !== undefined && c.value === w.value && c.version === w.version && c.updatedBy === userId && c.updatedAt === now;
    };
    await refuseStale(trx, gb, [...updatedTo].filter(([k, w]) => !ours(k, w)).map(([k]) => k), current);
  }
  const written = await insertRows<{ student_id: number; kind: string; seq: number }>(trx, 'assessment_scores', inserts, { conflict: CELL_KEY, returning: ['student_id', 'kind', 'seq'] });
  const inserted = new Set(written.map(rowKey));
  const lost = inserts.filter((u) => !inserted.has(rowKey(u)));
  if (lost.length > 0) await refuseStale(trx, gb, lost.map(rowKey));
  if (deletes.length > 0) {
    const gone = await selectRows<{ id: number }>(
      trx,
      `delete from assessment_scores where (id, version) in (values ${deletes.map(() => '(cast(? as integer), cast(? as integer))').join(', ')}) returning id`,
      deletes.flatMap((d) => [d.id, d.version]),
    );
    const deleted = new Set(gone.map((r) => Number(r.id)));
    if (deleted.size !== deletes.length) await refuseStale(trx, gb, deletes.filter((d) => !deleted.has(d.id)).map(keyOf));
  }
  return applied;
}

/**
 * Refuses a save whose cells `keys` another writer changed since they were read: 409 with their current values (read
 * now, after that writer's commit, unless the caller just did; this transaction wrote none of them). The caller's
 * transaction rolls back.
 */
async function refuseStale(trx: Knex.Transaction, gb: Gradebook, keys: string[], read?: Map<string, StoredCell>): Promise<never> {
  const now = read ?? (await loadCells(trx, gb));
  const current = keys.map((k) => {
    const [studentId, kind, seq] = k.split('|');
    const cur = now.get(k);
    return { studentId: Number(studentId), kind: kind as Kind, seq: Number(seq), value: cur?.value ?? null, version: cur?.version ?? 0 };
  });
  throw new AppError('conflict', 'staleGrid', {}, {}, { current });
}
