import type { Knex } from 'knex';
import { closureOf, type ClosureContext } from './cells';
import type { Gradebook } from './target';
import { insertRows, selectRows, updateRows } from '../db/knex';
import { AppError, type FieldError } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/** What a save writes over a stored comment, found by its key (semester, subject, student) if its version is still the one read. */
const COMMENT_UPDATE = { semester_id: 'integer', subject_id: 'integer', student_id: 'integer', comment: 'text', updated_by: 'integer', updated_at: 'text', version: 'integer' } as const;

export interface CommentChange {
  studentId: number;
  text: string;
  version: number;
}

/** The teacher's comment per student and subject for the semester (Điều 5: every subject gets a comment). */
export async function loadComments(conn: Conn, gb: Gradebook): Promise<Map<number, { text: string; version: number }>> {
  // No row locks inside a save either: saveComments writes a comment only if its version is still the one read here.
  const rows = await selectRows<{ student_id: number; comment: string; version: number }>(
    conn,
    `select student_id, comment, version from subject_comments where semester_id = ? and class_id = ? and subject_id = ?`,
    [gb.semester.id, gb.klass.id, gb.subject.id],
  );
  return new Map(rows.map((r) => [Number(r.student_id), { text: r.comment, version: Number(r.version) }]));
}

/**
 * Saves changed comments (`existing`: the grade book's comments as the caller read them). Comments have no weekly cutoff, but an explicit lock on the class, subject, grade,
 * semester or year closes them like scores.
 */
export async function saveComments(
  trx: Knex.Transaction,
  gb: Gradebook,
  input: CommentChange[],
  roster: Set<number>,
  existing: Map<number, { text: string; version: number }>,
  userId: number,
  now: string,
  ctx: ClosureContext,
): Promise<Array<{ studentId: number; text: string; before: string | null }>> {
  if (input.length === 0) return [];
  const errors: Record<string, FieldError> = {};
  const stale: Array<{ studentId: number; text: string | null; version: number }> = [];
  const todo: Array<{ studentId: number; text: string; cur?: { text: string; version: number } }> = [];
  input.forEach((c, i) => {
    if (!roster.has(c.studentId)) return void (errors[`comments.${i}`] = { key: 'studentNotInClass' });
    const text = c.text.trim().normalize('NFC');
    const cur = existing.get(c.studentId);
    if ((cur?.text ?? '') === text) return;
    if ((cur?.version ?? 0) !== c.version) return void stale.push({ studentId: c.studentId, text: cur?.text ?? null, version: cur?.version ?? 0 });
    if (closureOf(gb, { studentId: c.studentId, kind: 'comment', seq: 0, firstEnteredAt: null }, ctx)) return void (errors[`comments.${i}`] = { key: 'commentLocked' });
    todo.push({ studentId: c.studentId, text, cur });
  });
  if (stale.length > 0) throw new AppError('conflict', 'staleGrid', {}, {}, { currentComments: stale });
  if (Object.keys(errors).length > 0) throw new AppError('invalid', 'validation', {}, errors);
  // Two statements for the whole batch (versions were checked above, and again by the update).
  const rows = todo.map((c) => ({
    school_id: gb.target.schoolId,
    semester_id: gb.semester.id,
    class_id: gb.klass.id,
    subject_id: gb.subject.id,
    student_id: c.studentId,
    comment: c.text,
    updated_by: userId,
    updated_at: now,
    version: (c.cur?.version ?? 0) + 1,
  }));
  // An existing comment is updated only if still at the version read, a new one inserted only if still absent (see
  // applyChanges); otherwise 409 with the current texts of those lost, nothing written.
  const KEY = ['semester_id', 'subject_id', 'student_id'];
  const updates = rows.filter((r) => existing.has(r.student_id));
  const inserts = rows.filter((r) => !existing.has(r.student_id));
  const allUpdated = (await updateRows(trx, 'subject_comments', updates, KEY, COMMENT_UPDATE, { versionGuard: 'version' })) === updates.length;
  const written = await insertRows<{ student_id: number }>(trx, 'subject_comments', inserts, { conflict: KEY, returning: ['student_id'] });
  const inserted = new Set(written.map((r) => Number(r.student_id)));
  const lostInserts = inserts.filter((r) => !inserted.has(r.student_id));
  if (!allUpdated || lostInserts.length > 0) {
    const now2 = await loadComments(trx, gb);
    // This transaction sees its own updates: a stored comment not as this save wrote it is the other writer's.
    const oursStands = (r: (typeof updates)[number]) => now2.get(r.student_id)?.text === r.comment && now2.get(r.student_id)?.version === r.version;
    const lostUpdates = allUpdated ? [] : updates.filter((r) => !oursStands(r));
    const lost = [...lostUpdates, ...lostInserts];
    const currentComments = lost.map((r) => ({ studentId: r.student_id, text: now2.get(r.student_id)?.text ?? null, version: now2.get(r.student_id)?.version ?? 0 }));
    throw new AppError('conflict', 'staleGrid', {}, {}, { currentComments });
  }
  return todo.map((c) => ({ studentId: c.studentId, text: c.text, before: c.cur?.text ?? null }));
}
