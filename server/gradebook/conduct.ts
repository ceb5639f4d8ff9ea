import type { Knex } from 'knex';
import { z } from 'zod';
import { canReadGradebook, canWriteConduct } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, notFound, type FieldError } from '../core/errors';
import { resultInputsChanged } from '../core/events';
import { parse } from '../core/validate';
import { freeText } from '../core/fields';
import { nowIso, type Db } from '../db/knex';
import { closureOf, conductClosureContext } from './cells';
import { refuseTransferredOut } from './guards';
import { rosterOf } from './target';

const id = z.coerce.number().int().positive();
const LEVEL = z.enum(['T', 'K', 'D', 'CD']);

const ConductQuery = z.strictObject({ classId: id, semesterId: id });
const ConductBody = z.strictObject({
  classId: z.number().int().positive(),
  semesterId: z.number().int().positive(),
  rows: z
    .array(
      z.strictObject({
        studentId: z.number().int().positive(),
        conduct: LEVEL.nullable(),
        absencesExcused: z.number().int().min(0).max(300),
        absencesUnexcused: z.number().int().min(0).max(300),
        homeroomComment: freeText(2000).nullable(),
        version: z.number().int().min(0),
      }),
    )
    .max(200),
});

/** Query — rèn luyện, số buổi nghỉ, nhận xét của GVCN for one class and semester. */
export async function conductView(db: Db, actor: Actor, query: unknown) {
  const principal = principalOf(actor);
  const q = parse(ConductQuery, query);
  const { klass, semester } = await classAndSemester(db, q.classId, q.semesterId);
  const target = { schoolId: Number(klass.school_id), classId: q.classId, grade: Number(klass.grade), subjectId: 0, departmentId: null };
  if (!canWriteConduct(principal, target) && !canReadGradebook(principal, target)) throw forbidden();
  return await conductSheet(db, q.classId, q.semesterId, canWriteConduct(principal, target), Number(semester.number));
}

/**
 * Operation: the homeroom teacher saves conduct, absences and comments (versioned, audited); conduct and absences
 * decide promotion (TT22 Điều 12), so the stored results follow in the same transaction.
 */
export async function saveConduct(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(ConductBody, input);
  await db.transaction(async (trx) => {
    const now = nowIso();
    const { klass } = await classAndSemester(trx, body.classId, body.semesterId);
    const schoolId = Number(klass.school_id);
    if (!canWriteConduct(principal, { schoolId, classId: body.classId })) throw forbidden();
    const schoolYearId = Number(klass.school_year_id);
    const place = { schoolYearId, semesterId: body.semesterId, grade: Number(klass.grade), classId: body.classId, subjectId: 0 };
    const ctx = await conductClosureContext(trx, schoolId, schoolYearId, now);
    if (closureOf(place, { studentId: 0, kind: 'conduct', seq: 0, firstEnteredAt: null }, ctx)) throw new AppError('locked', 'commentLocked');
    const roster = new Set((await rosterOf(trx, body.classId)).map((s) => s.id));
    await refuseTransferredOut(trx, body.rows.map((r) => r.studentId), roster);
    const existing = new Map(
      ((await trx('conduct_records').where({ class_id: body.classId, semester_id: body.semesterId })) as Array<Record<string, unknown>>).map((r) => [Number(r.student_id), r]),
    );
    const errors: Record<string, FieldError> = {};
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const [i, r] of body.rows.entries()) {
      if (!roster.has(r.studentId)) {
        errors[`rows.${i}.studentId`] = { key: 'studentNotInClass' };
        continue;
      }
      const cur = existing.get(r.studentId);
      const values = {
        conduct: r.conduct,
        absences_excused: r.absencesExcused,
        absences_unexcused: r.absencesUnexcused,
        homeroom_comment: r.homeroomComment?.normalize('NFC') ?? null,
      };
      const same = (row: Record<string, unknown> | undefined) =>
        Object.entries(values).every(([k, v]) => (row?.[k] ?? (k.startsWith('absences') ? 0 : null)) === (k.startsWith('absences') ? Number(v) : v));
      if (same(cur)) continue;
      if (Number(cur?.version ?? 0) !== r.version) {
        throw new AppError('conflict', 'staleGrid', {}, {}, { current: cur ? { studentId: r.studentId, ...pick(cur), version: Number(cur.version) } : null });
      }
      before.push(cur ? { studentId: r.studentId, ...pick(cur) } : null);
      after.push({ studentId: r.studentId, ...values });
      // A write that lost a race (the row changed, or was created, since it was read) is a 409, never silent.
      const lostRace = async () => {
        const now2 = (await trx('conduct_records').where({ semester_id: body.semesterId, student_id: r.studentId }).first()) as Record<string, unknown> | undefined;
        return new AppError('conflict', 'staleGrid', {}, {}, { current: now2 ? { studentId: r.studentId, ...pick(now2), version: Number(now2.version) } : null });
      };
      if (cur) {
        const n = await trx('conduct_records').where({ id: cur.id, version: r.version }).update({ ...values, updated_by: principal.userId, updated_at: now, version: r.version + 1 });
        if (n !== 1) throw await lostRace();
      } else {
        const done = await trx('conduct_records')
          .insert({ school_id: schoolId, semester_id: body.semesterId, class_id: body.classId, student_id: r.studentId, ...values, updated_by: principal.userId, updated_at: now, version: 1 })
          .onConflict(['semester_id', 'student_id'])
          .ignore()
          .returning(['id']);
        if (done.length !== 1) throw await lostRace();
      }
    }
    if (Object.keys(errors).length > 0) throw new AppError('invalid', 'validation', {}, errors);
    if (after.length > 0) {
      await appendAudit(trx, actor, { action: 'conduct_save', entity: 'conduct', entityId: `${body.classId}:${body.semesterId}`, schoolId, before, after });
      // Conduct and absences decide promotion (TT22 Điều 12): the stored results follow in the same transaction.
      const changed = (after as Array<{ studentId: number }>).map((a) => a.studentId);
      await resultInputsChanged(trx, Number(klass.school_year_id), body.classId, changed, 'now');
    }
  });
  const { semester } = await classAndSemester(db, body.classId, body.semesterId);
  return await conductSheet(db, body.classId, body.semesterId, true, Number(semester.number));
}

function pick(r: Record<string, unknown>) {
  return { conduct: r.conduct ?? null, absences_excused: r.absences_excused, absences_unexcused: r.absences_unexcused, homeroom_comment: r.homeroom_comment ?? null };
}

async function classAndSemester(conn: Db | Knex.Transaction, classId: number, semesterId: number) {
  const klass = (await conn('classes').where({ id: classId }).first()) as Record<string, unknown> | undefined;
  if (!klass) throw notFound('classes', classId);
  const semester = (await conn('semesters').where({ id: semesterId }).first()) as Record<string, unknown> | undefined;
  if (!semester || Number(semester.school_year_id) !== Number(klass.school_year_id)) throw notFound('semesters', semesterId);
  return { klass, semester };
}

async function conductSheet(conn: Db, classId: number, semesterId: number, canWrite: boolean, semesterNumber: number) {
  const roster = await rosterOf(conn, classId);
  const rows = new Map(
    ((await conn('conduct_records').where({ class_id: classId, semester_id: semesterId })) as Array<Record<string, unknown>>).map((r) => [Number(r.student_id), r]),
  );
  return {
    classId,
    semesterId,
    semesterNumber,
    canWrite,
    rows: roster.map((s) => {
      const r = rows.get(s.id);
      return {
        student: s,
        conduct: (r?.conduct as string | null) ?? null,
        absencesExcused: Number(r?.absences_excused ?? 0),
        absencesUnexcused: Number(r?.absences_unexcused ?? 0),
        homeroomComment: (r?.homeroom_comment as string | null) ?? null,
        version: Number(r?.version ?? 0),
      };
    }),
  };
}
