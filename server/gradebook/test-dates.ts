import { z } from 'zod';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { isoDate } from '../core/fields';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { closureOf } from './cells';
import { activeLocks, mayWriteGradebook } from './guards';
import { loadGradebook } from './target';

const TestDateBody = z.strictObject({
  classId: z.number().int().positive(),
  subjectId: z.number().int().positive(),
  semesterId: z.number().int().positive(),
  kind: z.enum(['midterm', 'final']),
  testDate: isoDate,
});

/** Operation — ngày kiểm tra định kỳ: the periodic entry window runs from it (seed 000: one week after the test). */
export async function setTestDate(db: Db, actor: Actor, input: unknown) {
  const principal = principalOf(actor);
  const body = parse(TestDateBody, input);
  const saved = await db.transaction(async (trx) => {
    const now = nowIso();
    const gb = await loadGradebook(trx, body.classId, body.subjectId, body.semesterId);
    if (!(await mayWriteGradebook(trx, principal, gb.target, now)) || !gb.yearIsCurrent) throw new AppError('forbidden', 'notAssigned');
    if (body.testDate < gb.semester.startDate || body.testDate > gb.semester.endDate) {
      throw new AppError('invalid', 'validation', {}, { testDate: { key: 'testDateOutsideSemester' } });
    }
    const dates = gb.entry.testDates;
    const current = dates[body.kind];
    if (current === body.testDate) return { kind: body.kind, testDate: current };
    // Moving the date of a closed window would reopen it: that takes an unlock or a correction instead.
    if (current) {
      const closed = closureOf(gb, { studentId: 0, kind: body.kind, seq: 1, firstEnteredAt: null }, { settings: gb.entry.settings, locks: await activeLocks(trx, gb.target.schoolId, gb.schoolYearId), openings: [], testDates: dates, now });
      if (closed && closed.rule !== 'periodic_before_test') throw new AppError('locked', 'testDateLocked');
      // Scores were entered against this test: moving its date would stretch their entry window.
      const scored = await trx('assessment_scores').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind: body.kind }).first('id');
      if (scored) throw new AppError('conflict', 'testDateHasScores');
      await trx('test_dates').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind: body.kind }).update({ test_date: body.testDate, set_by: principal.userId, updated_at: now });
    } else {
      await trx('test_dates').insert({ school_id: gb.target.schoolId, semester_id: gb.semester.id, class_id: gb.klass.id, subject_id: gb.subject.id, kind: body.kind, test_date: body.testDate, set_by: principal.userId, updated_at: now });
    }
    await appendAudit(trx, actor, {
      action: 'test_date',
      entity: 'gradebook',
      entityId: `${gb.klass.id}:${gb.subject.id}:${gb.semester.id}`,
      schoolId: gb.target.schoolId,
      before: current ? { kind: body.kind, testDate: current } : null,
      after: { kind: body.kind, testDate: body.testDate },
    });
    return { kind: body.kind, testDate: body.testDate };
  });
  return saved;
}
