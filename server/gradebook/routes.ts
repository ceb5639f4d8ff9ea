import { Router } from 'express';
import { z } from 'zod';
import { lockCovers } from '../../domain/locks';
import { can, canReadGradebook, canWriteConduct, canWriteGradebook, schoolIdsOf, scopesFor } from '../../domain/permissions';
import { nowIso, type Db } from '../db/knex';
import { actorOf, lang, userOf } from '../http/context';
import { closureOf, loadTestDates } from './cells';
import { activeDelegations, activeLocks, loadSettings } from './guards';
import { resultInputsChanged } from '../core/events';
import { gridView, saveGrid } from './grid';
import { loadGradebook, rosterOf } from './target';
import { appendAudit } from '../core/audit';
import { forbidden, AppError, notFound, type FieldError } from '../core/errors';
import { freeText, isoDate } from '../core/fields';
import { parse } from '../core/validate';

const id = z.coerce.number().int().positive();
const LEVEL = z.enum(['T', 'K', 'D', 'CD']);

const TestDateBody = z.strictObject({
  classId: z.number().int().positive(),
  subjectId: z.number().int().positive(),
  semesterId: z.number().int().positive(),
  kind: z.enum(['midterm', 'final']),
  testDate: isoDate,
});

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

const SettingsBody = z
  .strictObject({
    regularCutoffWeekday: z.number().int().min(1).max(7),
    regularCutoffTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    periodicWindowDays: z.number().int().min(1).max(60),
    unlockHours: z.number().int().min(1).max(24 * 14),
    correctionProcedure: z.enum(['witnessed', 'admin']),
  })
  .partial();

export function gradebookRoutes(db: Db): Router {
  const router = Router();
  router.get('/gradebook', async (req, res) => {
    res.json(await gridView(db, actorOf(req), req.query, lang(req)));
  });
  router.put('/gradebook', async (req, res) => {
    res.json(await saveGrid(db, actorOf(req), req.body, lang(req)));
  });

  // Ngày kiểm tra định kỳ: the periodic entry window runs from it (seed 000: one week after the test).
  router.put('/gradebook/test-dates', async (req, res) => {
    const user = userOf(req);
    const body = parse(TestDateBody, req.body);
    const saved = await db.transaction(async (trx) => {
      const now = nowIso();
      const gb = await loadGradebook(trx, body.classId, body.subjectId, body.semesterId);
      if (!canWriteGradebook(user.principal, gb.target, await activeDelegations(trx, user.id, now)) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
      if (body.testDate < gb.semester.startDate || body.testDate > gb.semester.endDate) {
        throw new AppError('invalid', 'validation', {}, { testDate: { key: 'testDateOutsideSemester' } });
      }
      const dates = await loadTestDates(trx, gb);
      const current = dates[body.kind];
      if (current === body.testDate) return { kind: body.kind, testDate: current };
      // Moving the date of a closed window would reopen it: that takes an unlock or a correction instead.
      if (current) {
        const settings = await loadSettings(trx, gb.target.schoolId);
        const closed = closureOf(gb, { studentId: 0, kind: body.kind, seq: 1, firstEnteredAt: null }, { settings, locks: await activeLocks(trx, gb.target.schoolId, gb.schoolYearId), openings: [], testDates: dates, now });
        if (closed && closed.rule !== 'periodic_before_test') throw new AppError('locked', 'testDateLocked');
        // Scores were entered against this test: moving its date would stretch their entry window.
        const scored = await trx('assessment_scores').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind: body.kind }).first('id');
        if (scored) throw new AppError('conflict', 'testDateHasScores');
        await trx('test_dates').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind: body.kind }).update({ test_date: body.testDate, set_by: user.id, updated_at: now });
      } else {
        await trx('test_dates').insert({ school_id: gb.target.schoolId, semester_id: gb.semester.id, class_id: gb.klass.id, subject_id: gb.subject.id, kind: body.kind, test_date: body.testDate, set_by: user.id, updated_at: now });
      }
      await appendAudit(trx, actorOf(req), {
        action: 'test_date',
        entity: 'gradebook',
        entityId: `${gb.klass.id}:${gb.subject.id}:${gb.semester.id}`,
        schoolId: gb.target.schoolId,
        before: current ? { kind: body.kind, testDate: current } : null,
        after: { kind: body.kind, testDate: body.testDate },
      });
      return { kind: body.kind, testDate: body.testDate };
    });
    res.json(saved);
  });

  // Rèn luyện, số buổi nghỉ, nhận xét của GVCN — per semester, by the homeroom teacher.
  router.get('/gradebook/conduct', async (req, res) => {
    const user = userOf(req);
    const q = parse(ConductQuery, req.query);
    const { klass, semester } = await classAndSemester(db, q.classId, q.semesterId);
    const target = { schoolId: Number(klass.school_id), classId: q.classId, grade: Number(klass.grade), subjectId: 0, departmentId: null };
    if (!canWriteConduct(user.principal, target) && !canReadGradebook(user.principal, target)) throw forbidden();
    res.json(await conductSheet(db, q.classId, q.semesterId, canWriteConduct(user.principal, target), Number(semester.number)));
  });

  router.put('/gradebook/conduct', async (req, res) => {
    const user = userOf(req);
    const body = parse(ConductBody, req.body);
    await db.transaction(async (trx) => {
      const now = nowIso();
      const { klass } = await classAndSemester(trx, body.classId, body.semesterId);
      const schoolId = Number(klass.school_id);
      if (!canWriteConduct(user.principal, { schoolId, classId: body.classId })) throw forbidden();
      const locks = await activeLocks(trx, schoolId, Number(klass.school_year_id));
      const locked = locks.find((l) =>
        lockCovers(l, { schoolYearId: Number(klass.school_year_id), semesterId: body.semesterId, grade: Number(klass.grade), classId: body.classId, subjectId: 0, studentId: 0, kind: 'conduct', seq: 0 }),
      );
      if (locked) throw new AppError('locked', 'commentLocked');
      const roster = new Set((await rosterOf(trx, body.classId)).map((s) => s.id));
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
        // Issue 8: a write that lost a race (the row changed, or was created, since it was read) is a 409, never silent.
        const lostRace = async () => {
          const now2 = (await trx('conduct_records').where({ semester_id: body.semesterId, student_id: r.studentId }).first()) as Record<string, unknown> | undefined;
          return new AppError('conflict', 'staleGrid', {}, {}, { current: now2 ? { studentId: r.studentId, ...pick(now2), version: Number(now2.version) } : null });
        };
        if (cur) {
          const n = await trx('conduct_records').where({ id: cur.id, version: r.version }).update({ ...values, updated_by: user.id, updated_at: now, version: r.version + 1 });
          if (n !== 1) throw await lostRace();
        } else {
          const done = await trx('conduct_records')
            .insert({ school_id: schoolId, semester_id: body.semesterId, class_id: body.classId, student_id: r.studentId, ...values, updated_by: user.id, updated_at: now, version: 1 })
            .onConflict(['semester_id', 'student_id'])
            .ignore()
            .returning(['id']);
          if (done.length !== 1) throw await lostRace();
        }
      }
      if (Object.keys(errors).length > 0) throw new AppError('invalid', 'validation', {}, errors);
      if (after.length > 0) {
        await appendAudit(trx, actorOf(req), { action: 'conduct_save', entity: 'conduct', entityId: `${body.classId}:${body.semesterId}`, schoolId, before, after });
        // Conduct and absences decide promotion (TT22 Điều 12): the stored results follow in the same transaction.
        const changed = (after as Array<{ studentId: number }>).map((a) => a.studentId);
        await resultInputsChanged(trx, Number(klass.school_year_id), body.classId, changed, 'now');
      }
    });
    const { semester } = await classAndSemester(db, body.classId, body.semesterId);
    res.json(await conductSheet(db, body.classId, body.semesterId, true, Number(semester.number)));
  });

  // Cutoff settings of a school: id = the school's id.
  router.get('/school-settings', async (req, res) => {
    const user = userOf(req);
    if (!can(user.principal, 'list', 'school-settings')) throw forbidden();
    const ids = [...new Set(scopesFor(user.principal, 'list', 'school-settings').map((s) => s.schoolId))];
    const list = await Promise.all(ids.map(async (schoolId) => ({ id: schoolId, schoolId, ...(await loadSettings(db, schoolId)) })));
    res.setHeader('Content-Range', `school-settings 0-${Math.max(list.length - 1, 0)}/${list.length}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    res.json(list);
  });
  router.get('/school-settings/:id', async (req, res) => {
    const schoolId = Number(req.params.id);
    if (!can(userOf(req).principal, 'show', 'school-settings', { schoolId })) throw forbidden();
    res.json({ id: schoolId, schoolId, ...(await loadSettings(db, schoolId)) });
  });
  router.put('/school-settings/:id', async (req, res) => {
    const schoolId = Number(req.params.id);
    const user = userOf(req);
    if (!schoolIdsOf(user.principal).includes(schoolId) || !can(user.principal, 'edit', 'school-settings', { schoolId })) throw forbidden();
    const body = parse(SettingsBody, stripIds(req.body));
    const updated = await db.transaction(async (trx) => {
      const before = await loadSettings(trx, schoolId);
      const next = { ...before, ...body };
      const row = {
        regular_cutoff_weekday: next.regularCutoffWeekday,
        regular_cutoff_time: next.regularCutoffTime,
        periodic_window_days: next.periodicWindowDays,
        unlock_hours: next.unlockHours,
        correction_procedure: next.correctionProcedure,
        updated_at: nowIso(),
      };
      if (await trx('school_settings').where({ school_id: schoolId }).first()) await trx('school_settings').where({ school_id: schoolId }).update(row);
      else await trx('school_settings').insert({ school_id: schoolId, ...row });
      await appendAudit(trx, actorOf(req), { action: 'update', entity: 'school-settings', entityId: schoolId, schoolId, before, after: next, reason: typeof req.body?.reason === 'string' ? req.body.reason : null });
      return next;
    });
    res.json({ id: schoolId, schoolId, ...updated });
  });

  return router;
}


function stripIds(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { id: _i, schoolId: _s, reason: _r, ...rest } = body as Record<string, unknown>;
  return rest;
}

function pick(r: Record<string, unknown>) {
  return { conduct: r.conduct ?? null, absences_excused: r.absences_excused, absences_unexcused: r.absences_unexcused, homeroom_comment: r.homeroom_comment ?? null };
}

async function classAndSemester(conn: Db | import('knex').Knex.Transaction, classId: number, semesterId: number) {
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
