import type { Knex } from 'knex';
import { z } from 'zod';
import { VN_OFFSET_MS, vnMidnight } from '../../domain/cutoffs';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { msg } from '../core/i18n';
import { isoDate } from '../core/fields';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { closureOf } from './cells';
import { activeLocks, mayWriteGradebook } from './guards';
import { loadGradebook, rosterOf, type Gradebook } from './target';
import { vnDate } from './grid';

const TestDateBody = z.strictObject({
  classId: z.number().int().positive(),
  subjectId: z.number().int().positive(),
  semesterId: z.number().int().positive(),
  kind: z.enum(['midterm', 'final']),
  testDate: isoDate,
  /** Yes, save a date whose entry window has already passed (the column closes at once): asked after a warning. */
  confirm: z.boolean().optional(),
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
    // A teacher's own date change never reopens a closed column: a wrong date is corrected through an unlock
    // request that names the right date (the principal approves it, locks/unlock-requests.ts).
    const blocked = current ? await whyDateIsFixed(trx, gb, body.kind, now) : null;
    if (blocked === 'closed') throw new AppError('locked', 'testDateLocked');
    if (blocked === 'scored') throw new AppError('conflict', 'testDateHasScores');
    // The true date of a test held more than the window ago closes the column at once (TT22 as seed 000 reads it:
    // periodic scores within one week of the test). Say so, and what it closes, before saving it.
    const closesAt = vnMidnight(body.testDate, gb.entry.settings.periodicWindowDays + 1);
    if (closesAt <= now && !body.confirm) throw await wouldClose(trx, gb, body.kind, body.testDate, closesAt);
    await storeTestDate(trx, actor, gb, body.kind, body.testDate, now);
    return { kind: body.kind, testDate: body.testDate };
  });
  return saved;
}

/**
 * Why the teacher may not move this test's date themselves, or null when they may: its window has closed (or a lock
 * closes it), or scores were entered against it (moving the date would stretch their entry window). The one rule
 * for the teacher's own change and for the correction request that asks the principal instead.
 */
export async function whyDateIsFixed(trx: Knex.Transaction, gb: Gradebook, kind: 'midterm' | 'final', now: string): Promise<'closed' | 'scored' | null> {
  const dates = gb.entry.testDates;
  if (dates[kind]) {
    const closed = closureOf(gb, { studentId: 0, kind, seq: 1, firstEnteredAt: null }, { settings: gb.entry.settings, locks: await activeLocks(trx, gb.target.schoolId, gb.schoolYearId), openings: [], testDates: dates, now });
    if (closed && closed.rule !== 'periodic_before_test') return 'closed';
  }
  const scored = await trx('assessment_scores').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind }).first('id');
  return scored ? 'scored' : null;
}

/**
 * Records a test date (new or moved), audited. Checks are the caller's: the teacher's own change above, or the
 * principal's approval of an unlock request that corrects a wrong date (locks/unlock-requests.ts).
 */
export async function storeTestDate(trx: Knex.Transaction, actor: Actor, gb: Gradebook, kind: 'midterm' | 'final', testDate: string, now: string, reason?: string): Promise<void> {
  const current = gb.entry.testDates[kind];
  const where = { class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind };
  if (current) await trx('test_dates').where(where).update({ test_date: testDate, set_by: actor.userId, updated_at: now });
  else await trx('test_dates').insert({ ...where, school_id: gb.target.schoolId, test_date: testDate, set_by: actor.userId, updated_at: now });
  await appendAudit(trx, actor, {
    action: 'test_date',
    entity: 'gradebook',
    entityId: `${gb.klass.id}:${gb.subject.id}:${gb.semester.id}`,
    schoolId: gb.target.schoolId,
    before: current ? { kind, testDate: current } : null,
    after: { kind, testDate },
    reason: reason ?? null,
  });
}

/**
 * The warning before a date whose window has passed: when the column closed (or would have), and how many of the
 * class's students have no score in it — they could then be entered only through an approved unlock.
 */
async function wouldClose(trx: Knex.Transaction, gb: Gradebook, kind: 'midterm' | 'final', testDate: string, closesAt: string): Promise<AppError> {
  const roster = await rosterOf(trx, gb.klass.id);
  const scored = new Set(
    ((await trx('assessment_scores').where({ class_id: gb.klass.id, subject_id: gb.subject.id, semester_id: gb.semester.id, kind }).select('student_id')) as Array<{ student_id: number }>).map((r) =>
      Number(r.student_id),
    ),
  );
  const without = roster.filter((st) => !scored.has(st.id)).length;
  return new AppError(
    'conflict',
    'testDateWouldClose',
    { column: msg(`progressColumn_${kind}`, { seq: 1 }), days: gb.entry.settings.periodicWindowDays, date: vnDate(testDate), closedAt: vnDate(dayOf(closesAt)), without, students: roster.length },
    {},
    { wouldClose: { kind, testDate, closesAt, studentsWithout: without, students: roster.length } },
  );
}

/** The Vietnam calendar day of an instant (the window closes at 00:00 of that day). */
const dayOf = (instant: string) => new Date(Date.parse(instant) + VN_OFFSET_MS).toISOString().slice(0, 10);
