import type { Knex } from 'knex';
import { z } from 'zod';
import { formatVn } from '../../domain/cutoffs';
import { canReadGradebook, canWriteGradebook } from '../../domain/permissions';
import { semesterAverage, semesterComment } from '../../domain/scoring';
import { nowIso, type Db } from '../db/knex';
import { applyChanges, closureContext, closureOf, keyOf, loadCells, type CellChange, type Closed, type ClosureContext, type Kind, type StoredCell } from './cells';
import { delegationsFor, mayWriteGradebook, refuseTransferredOut } from './guards';
import { loadComments, saveComments, type CommentChange } from './comments';
import { loadGradebook, rosterOf, type Gradebook } from './target';
import { parseCellValue } from './values';
import { firstSemesterOf, semesterResults, yearResult } from './year';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { events, resultInputsChanged } from '../core/events';
import { forbidden, AppError, type FieldError } from '../core/errors';
import { msg, render, type Lang, type Param } from '../core/i18n';
import { parse } from '../core/validate';
import { freeText } from '../core/fields';

const id = z.coerce.number().int().positive();
const GridQuery = z.strictObject({ classId: id, subjectId: id, semesterId: id });

const CellInput = z.strictObject({
  studentId: z.number().int().positive(),
  kind: z.enum(['regular', 'midterm', 'final']),
  seq: z.number().int().min(1).max(4),
  // What the teacher typed ("8,5", "8.5", "Đ", "CĐ") or null / "" to clear the cell.
  value: z.union([z.string().max(16), z.number(), z.null()]),
  // The version the grid showed (0 for an empty cell): a save over someone else's change is refused.
  version: z.number().int().min(0),
});
const CommentInput = z.strictObject({
  studentId: z.number().int().positive(),
  text: freeText(2000),
  version: z.number().int().min(0),
});
const SaveBody = z.strictObject({
  classId: z.number().int().positive(),
  subjectId: z.number().int().positive(),
  semesterId: z.number().int().positive(),
  cells: z.array(CellInput).max(2000).default([]),
  comments: z.array(CommentInput).max(200).default([]),
  reason: z.string().max(1000).optional(),
});

type CutoffSettings = { regularCutoffWeekday: number; regularCutoffTime: string; periodicWindowDays: number };

/** Why a cell is closed, as a message (key and params) any entry point can translate. */
export function closedReason(c: Closed, settings: CutoffSettings, testDate?: string | null): Param {
  const since = c.since ? formatVn(c.since) : '';
  switch (c.rule) {
    case 'lock':
      return msg('cellLocked', { scope: msg(`lockScope_${c.lockScope}` as never), since, reason: c.reason });
    case 'regular_weekly':
      return msg('cellClosedRegular', { weekday: msg(`weekday_${settings.regularCutoffWeekday}` as never), time: settings.regularCutoffTime, since });
    case 'periodic_window':
      return msg('cellClosedPeriodic', { days: settings.periodicWindowDays, testDate: vnDate(testDate ?? ''), since });
    case 'periodic_before_test':
      return msg('cellBeforeTest', { testDate: vnDate(testDate ?? '') });
    case 'periodic_no_test_date':
      return msg('cellNoTestDate');
  }
}

export const closedMessage = (l: Lang, c: Closed, settings: CutoffSettings, testDate?: string | null): string => render(l, closedReason(c, settings, testDate));

/** YYYY-MM-DD as dd/mm/yyyy, for messages. */
export function vnDate(d: string): string {
  const [y, m, day] = d.split('-');
  return d ? `${day}/${m}/${y}` : '';
}

/** Query: one grade book (class × subject × semester) as the grid shows it, with what the actor may do there. */
export async function gridView(db: Db, actor: Actor, query: unknown, l: Lang) {
  const principal = principalOf(actor);
  const q = parse(GridQuery, query);
  const now = nowIso();
  const gb = await loadGradebook(db, q.classId, q.subjectId, q.semesterId);
  const delegations = await delegationsFor(db, principal, gb.target, now);
  if (!canReadGradebook(principal, gb.target, delegations)) throw forbidden();
  const canWrite = canWriteGradebook(principal, gb.target, delegations) && gb.yearIsCurrent;
  return freshGrid(db, gb, l, canWrite);
}

async function freshGrid(db: Db, gb: Gradebook, l: Lang, canWrite: boolean) {
  const [roster, cells, comments, ctx] = await Promise.all([rosterOf(db, gb.klass.id), loadCells(db, gb), loadComments(db, gb), closureContext(db, gb, nowIso())]);
  return withYear(gb, renderGrid(l, gb, roster, cells, comments, ctx, canWrite), await firstSemesterResults(db, gb, roster));
}

/**
 * Operation: saves a grid's changed cells and comments in one transaction (nothing partial), audited; the changed
 * students' results are marked in it and recomputed after the commit. Answers with the grid as this save left it
 * (its messages in `l`), built from what the transaction read plus what it wrote (each write checked the version read) — not read back after
 * the commit, which on SQLite's one connection queued behind every other teacher's save.
 */
export async function saveGrid(db: Db, actor: Actor, input: unknown, l: Lang = 'vi') {
  const principal = principalOf(actor);
  const body = parse(SaveBody, input);
  const saved = await db.transaction(async (trx) => {
    const now = nowIso();
    const gb = await loadGradebook(trx, body.classId, body.subjectId, body.semesterId);
    if (!(await mayWriteGradebook(trx, principal, gb.target, now)) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
    const roster = await rosterOf(trx, gb.klass.id);
    const inClass = new Set(roster.map((r) => r.id));
    await refuseTransferredOut(trx, [...body.cells, ...body.comments].map((c) => c.studentId), inClass);
    const cells = await loadCells(trx, gb);
    const comments = await loadComments(trx, gb);
    const ctx = await closureContext(trx, gb, now);
    const changes = checkCells(l, gb, body.cells, inClass, cells, ctx);
    const applied = await applyChanges(trx, gb, cells, changes, principal.userId, now);
    const commentChanges = await saveComments(trx, gb, body.comments as CommentChange[], inClass, comments, principal.userId, now, ctx);
    const firstSemester = await firstSemesterResults(trx, gb, roster);
    const changedStudents = [...new Set(applied.map((a) => a.studentId))];
    const grid = { gb, roster, ctx, firstSemester, changedStudents, count: applied.length + commentChanges.length };
    if (grid.count === 0) return { ...grid, cells, comments };
    if (applied.length > 0) await resultInputsChanged(trx, gb.schoolYearId, gb.klass.id, changedStudents, 'deferred');
    // Last, so the school's audit chain head is locked only for the few statements before the commit. (Keys in
    // canonical order: the audit row's JSON is then written without a sorted copy.)
    await appendAudit(trx, actor, {
      action: 'gradebook_save',
      entity: 'gradebook',
      entityId: `${gb.klass.id}:${gb.subject.id}:${gb.semester.id}`,
      schoolId: gb.target.schoolId,
      before: { cells: applied.map((a) => ({ kind: a.kind, seq: a.seq, studentId: a.studentId, value: a.before })), comments: commentChanges.map((c) => ({ studentId: c.studentId, text: c.before })) },
      after: { cells: applied.map((a) => ({ kind: a.kind, seq: a.seq, studentId: a.studentId, value: a.value })), comments: commentChanges.map((c) => ({ studentId: c.studentId, text: c.text })) },
      reason: body.reason ?? null,
    });
    return { ...grid, cells: afterCells(cells, applied, principal.userId, now), comments: afterComments(comments, commentChanges) };
  });
  const { gb } = saved;
  if (saved.changedStudents.length > 0) {
    events.emitCommitted(db, { type: 'resultsInputsChanged', schoolYearId: gb.schoolYearId, classId: gb.klass.id, studentIds: saved.changedStudents, recompute: 'deferred' });
  }
  return { ...withYear(gb, renderGrid(l, gb, saved.roster, saved.cells, saved.comments, saved.ctx, true), saved.firstSemester), saved: saved.count };
}

/** The grade book's cells once `applied` is written (what applyChanges stored, with the versions it gave). */
function afterCells(before: Map<string, StoredCell>, applied: CellChange[], userId: number, now: string): Map<string, StoredCell> {
  const cells = new Map(before);
  for (const a of applied) {
    const cur = before.get(keyOf(a));
    if (a.value === null) cells.delete(keyOf(a));
    else cells.set(keyOf(a), { id: cur?.id ?? 0, studentId: a.studentId, kind: a.kind, seq: a.seq, value: a.value, version: (cur?.version ?? 0) + 1, firstEnteredAt: cur?.firstEnteredAt ?? now, updatedAt: now, updatedBy: userId });
  }
  return cells;
}

function afterComments(before: Map<number, { text: string; version: number }>, changed: Array<{ studentId: number; text: string }>) {
  const comments = new Map(before);
  for (const c of changed) comments.set(c.studentId, { text: c.text, version: (before.get(c.studentId)?.version ?? 0) + 1 });
  return comments;
}

/**
 * Validates every cell of a save before anything is written: value format, roster, column, staleness, and whether
 * the cell is open. Any problem refuses the whole save (one transaction, nothing partial).
 */
function checkCells(l: Lang, gb: Gradebook, input: z.output<typeof CellInput>[], roster: Set<number>, existing: Map<string, StoredCell>, ctx: ClosureContext): CellChange[] {
  const fieldErrors: Record<string, FieldError> = {};
  const closedErrors: Record<string, FieldError> = {};
  const stale: Array<{ studentId: number; kind: Kind; seq: number; value: string | null; version: number }> = [];
  const closed: Array<{ studentId: number; kind: Kind; seq: number; rule: string; since: string | null; message: string }> = [];
  const changes: CellChange[] = [];
  const seen = new Set<string>();
  input.forEach((c, i) => {
    const field = `cells.${i}`;
    if (!roster.has(c.studentId)) return void (fieldErrors[field] = { key: 'studentNotInClass' });
    if (!gb.columns.some((col) => col.kind === c.kind && col.seq === c.seq)) return void (fieldErrors[field] = { key: 'noSuchColumn' });
    const k = keyOf(c);
    if (seen.has(k)) return void (fieldErrors[field] = { key: 'duplicateCell' });
    seen.add(k);
    const parsed = parseCellValue(gb.subject.assessmentType, c.value);
    if ('error' in parsed) return void (fieldErrors[field] = parsed.error);
    const cur = existing.get(k);
    if ((cur?.value ?? null) === parsed.value) return; // unchanged: re-sending a whole grid is fine
    if ((cur?.version ?? 0) !== c.version) {
      stale.push({ studentId: c.studentId, kind: c.kind, seq: c.seq, value: cur?.value ?? null, version: cur?.version ?? 0 });
      return;
    }
    const why = closureOf(gb, { studentId: c.studentId, kind: c.kind, seq: c.seq, firstEnteredAt: cur?.firstEnteredAt ?? null }, ctx);
    if (why) {
      const message = closedMessage(l, why, ctx.settings, c.kind === 'regular' ? null : ctx.testDates[c.kind]);
      closed.push({ studentId: c.studentId, kind: c.kind, seq: c.seq, rule: why.rule, since: why.since, message });
      closedErrors[field] = { text: message };
      return;
    }
    changes.push({ studentId: c.studentId, kind: c.kind, seq: c.seq, value: parsed.value });
  });
  // Typing mistakes first (fixable on the spot), then a colleague's change, then closed cells.
  if (Object.keys(fieldErrors).length > 0) throw new AppError('invalid', 'validation', {}, fieldErrors);
  if (stale.length > 0) throw new AppError('conflict', 'staleGrid', {}, {}, { current: stale });
  if (closed.length > 0) throw new AppError('locked', 'cellsClosed', { count: closed.length }, closedErrors, { closed });
  return changes;
}

function renderGrid(
  l: Lang,
  gb: Gradebook,
  roster: Array<{ id: number; code: string; fullName: string }>,
  cells: Map<string, StoredCell>,
  comments: Map<number, { text: string; version: number }>,
  ctx: ClosureContext,
  canWrite: boolean,
) {
  const scored = gb.subject.assessmentType === 'scored';
  // A closed reason is shared by many cells (see cutoffClosure): its message is rendered once.
  const messages = new Map<Closed, string>();
  const messageOf = (why: Closed, kind: Kind) => {
    if (!messages.has(why)) messages.set(why, closedMessage(l, why, ctx.settings, kind === 'regular' ? null : ctx.testDates[kind]));
    return messages.get(why)!;
  };
  return {
    class: gb.klass,
    subject: { ...gb.subject, regularCount: gb.regularCount },
    semester: gb.semester,
    columns: gb.columns,
    testDates: ctx.testDates,
    settings: { regularCutoffWeekday: ctx.settings.regularCutoffWeekday, regularCutoffTime: ctx.settings.regularCutoffTime, periodicWindowDays: ctx.settings.periodicWindowDays },
    canWrite,
    now: ctx.now,
    rows: roster.map((s) => {
      const rowCells: Record<string, unknown> = {};
      const value: Record<string, string | null> = {};
      for (const col of gb.columns) {
        const cur = cells.get(keyOf({ studentId: s.id, kind: col.kind, seq: col.seq }));
        const why = closureOf(gb, { studentId: s.id, kind: col.kind, seq: col.seq, firstEnteredAt: cur?.firstEnteredAt ?? null }, ctx);
        const key = `${col.kind}:${col.seq}`;
        value[key] = cur?.value ?? null;
        rowCells[key] = {
          value: value[key],
          version: cur?.version ?? 0,
          updatedAt: cur?.updatedAt ?? null,
          closed: why ? { rule: why.rule, since: why.since, message: messageOf(why, col.kind) } : null,
        };
      }
      const regular = Array.from({ length: gb.regularCount }, (_, i) => value[`regular:${i + 1}`]);
      const average = scored
        ? semesterAverage(regular, value['midterm:1'], value['final:1'], gb.regularCount)
        : semesterComment(regular, value['midterm:1'], value['final:1'], gb.regularCount);
      const comment = comments.get(s.id);
      return { student: s, cells: rowCells, semesterResult: average, comment: comment ?? { text: '', version: 0 } };
    }),
  };
}

/** Semester I's results of these students, when `gb` is semester II (the grid shows them beside, Điều 9.1). */
async function firstSemesterResults(conn: Knex | Knex.Transaction, gb: Gradebook, roster: Array<{ id: number }>): Promise<Map<number, string | null> | null> {
  const s1 = await firstSemesterOf(conn, gb);
  return s1 ? semesterResults(conn, s1, roster.map((r) => r.id)) : null;
}

/** In semester II the grid also shows semester I's result and the year result (Điều 9.1). */
function withYear(gb: Gradebook, grid: ReturnType<typeof renderGrid>, first: Map<number, string | null> | null) {
  if (!first) return grid;
  return {
    ...grid,
    rows: grid.rows.map((r) => {
      const s1Result = first.get(r.student.id) ?? null;
      return { ...r, firstSemesterResult: s1Result, yearResult: yearResult(gb, s1Result, r.semesterResult) };
    }),
  };
}
