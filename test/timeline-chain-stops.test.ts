/**
 * The chain stops when the work is done, and a deadline moved mid-year re-plans the embedded engine: a teacher
 * who enters every missing score between the reminder and the escalations is in no later escalation while the
 * others still are; a due date moved through updateTimeline never fires a past step twice, and the later steps
 * (reminders, escalation, lock) follow the new date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnAt, type ActionItem } from '../domain/timeline';
import type { Actor } from '../server/core/actor';
import { loadBooks, rosters } from '../server/progress/queries';
import { runDueSteps } from '../server/timeline/engine';
import { updateTimeline } from '../server/timeline/operations';
import { loadTimeline } from '../server/timeline/store';
import type { TimelineControl } from '../server/timeline/control';
import { testDatabases, type FreshDb } from './helpers/databases';
import { entryMilestone, scenarioConfig, sentKeys, userId, writeConfig } from './helpers/timeline-scenario';
import { demoYear } from './helpers/timeline-year';

/** Enters every score of every grade book a teacher teaches this year, both semesters, as that teacher. */
async function enterAllScores(db: FreshDb['db'], yearId: number, username: string, at: string): Promise<number> {
  const user = (await db('users').where({ username }).first('id', 'staff_id', 'school_id')) as { id: number; staff_id: number; school_id: number };
  const books = (await loadBooks(db, yearId)).filter((b) => b.teacherId === Number(user.staff_id));
  const roster = await rosters(db, yearId, [...new Set(books.map((b) => b.classId))]);
  const sems = (await db('semesters').where({ school_year_id: yearId }).select('id')) as Array<{ id: number }>;
  const rows: Array<Record<string, unknown>> = [];
  for (const s of sems) {
    for (const b of books) {
      for (const st of roster.get(b.classId) ?? []) {
        const cells = [...Array.from({ length: b.regularCount }, (_, i) => ['regular', i + 1] as const), ['midterm', 1] as const, ['final', 1] as const];
        for (const [kind, seq] of cells) {
          rows.push({ school_id: user.school_id, semester_id: s.id, class_id: b.classId, subject_id: b.subjectId, student_id: st.id, kind, seq, score: 8, first_entered_at: at, entered_by: user.id, updated_at: at, updated_by: user.id, version: 1 });
        }
      }
    }
  }
  for (let i = 0; i < rows.length; i += 200) await db('assessment_scores').insert(rows.slice(i, i + 200)).onConflict(['semester_id', 'class_id', 'subject_id', 'student_id', 'kind', 'seq']).ignore();
  return books.length;
}

/** The people an escalation of a milestone lists, per recipient. */
async function escalated(db: FreshDb['db'], milestone: string, step: string): Promise<Map<number, number[]>> {
  const rows = (await db('notifications').where({ milestone, kind: 'escalate' }).where('key', 'like', `${milestone}|${step}|%`).select('user_id', 'items')) as Array<{ user_id: number; items: string }>;
  return new Map(rows.map((r) => [Number(r.user_id), (JSON.parse(r.items) as ActionItem[]).map((i) => i.personId).sort((a, b) => a - b)]));
}

describe.each(testDatabases())('the chain stops when work is complete, on %s', (kind) => {
  let fresh: FreshDb;
  let yearId: number;
  beforeAll(async () => {
    ({ fresh, yearId } = await demoYear(kind, 40));
  }, 120_000);
  afterAll(async () => fresh?.drop());

  it('a teacher who enters all their missing scores after the reminder is in no later escalation; the others still are', async () => {
    const M = entryMilestone({
      key: 'nhap-du-lieu',
      title: 'Hoàn thành nhập dữ liệu học bạ',
      due: vnAt('2028-05-20', '17:00'),
      reminderDays: [1],
      escalation: [
        { role: 'departmentHead', afterDays: 0 },
        { role: 'vicePrincipal', afterDays: 2 },
        { role: 'principal', afterDays: 4 },
      ],
    });
    await writeConfig(fresh.db, yearId, scenarioConfig([M]), vnAt('2028-05-18', '12:00'));
    const viet = await userId(fresh.db, 'viet.nt');
    const duy = await userId(fresh.db, 'duy.nm');
    const head = await userId(fresh.db, 'totruong');

    await runDueSteps(fresh.db, vnAt('2028-05-19', '07:00'));
    const reminded = await sentKeys(fresh.db, { 'n.kind': 'remind' });
    expect(reminded).toContain('viet.nt|nhap-du-lieu|remind-D-1');
    expect(reminded).toContain('duy.nm|nhap-du-lieu|remind-D-1');

    // Between the reminder and the escalation, Việt enters every score he owes.
    expect(await enterAllScores(fresh.db, yearId, 'viet.nt', vnAt('2028-05-19', '15:00'))).toBeGreaterThan(0);

    await runDueSteps(fresh.db, vnAt('2028-05-20', '17:00'));
    const level1 = await escalated(fresh.db, 'nhap-du-lieu', 'escalate-1');
    expect(level1.get(head)).toContain(duy); // his colleague in the same department is still late
    for (const people of level1.values()) expect(people).not.toContain(viet);
    await runDueSteps(fresh.db, vnAt('2028-05-22', '07:00'));
    const level2 = await escalated(fresh.db, 'nhap-du-lieu', 'escalate-2');
    expect([...level2.values()].flat()).toContain(duy);
    expect([...level2.values()].flat()).not.toContain(viet);
    await runDueSteps(fresh.db, vnAt('2028-05-24', '07:00'));
    const level3 = await escalated(fresh.db, 'nhap-du-lieu', 'escalate-3');
    expect(level3.size).toBe(1);
    const [principalList] = [...level3.values()];
    expect(principalList).toContain(duy);
    expect(principalList).not.toContain(viet);
    // The escalation text names the others and not him.
    const text = ((await fresh.db('notifications').where({ user_id: head, kind: 'escalate' }).first('lines')) as { lines: string }).lines;
    expect(text).toContain('Nguyễn Minh Duy: thiếu');
    expect(text).not.toContain('Nguyễn Trọng Việt');
  });
});

describe.each(testDatabases())('a deadline moved mid-year with the embedded engine, on %s', (kind) => {
  let fresh: FreshDb;
  let yearId: number;
  beforeAll(async () => {
    ({ fresh, yearId } = await demoYear(kind, 40));
  }, 120_000);
  afterAll(async () => fresh?.drop());

  it('past steps never fire twice; the later reminders, the escalation and the lock follow the new date', async () => {
    const M = entryMilestone({
      key: 'nhap-du-lieu',
      title: 'Hoàn thành nhập dữ liệu học bạ',
      due: vnAt('2028-05-20', '17:00'),
      reminderDays: [7, 3, 1],
      escalation: [{ role: 'departmentHead', afterDays: 0 }],
      lockAtDue: true,
    });
    await writeConfig(fresh.db, yearId, scenarioConfig([M]), vnAt('2028-05-01', '00:00'));
    let clock = vnAt('2028-05-13', '07:00');
    // The embedded engine behind the control: a change re-plans at once, at the (virtual) current instant.
    const control: TimelineControl = { engine: 'embedded', changed: async () => void (await runDueSteps(fresh.db, clock)), stop: async () => undefined };
    const tick = async (at: string) => {
      clock = at;
      await runDueSteps(fresh.db, at);
    };
    const steps = async () => ((await fresh.db('timeline_steps').orderBy('at').select('step', 'at', 'status')) as Array<{ step: string; at: string; status: string }>).map((s) => `${s.step}@${s.at}:${s.status}`);

    await tick(vnAt('2028-05-13', '07:00'));
    expect(await steps()).toEqual([`remind-D-7@${vnAt('2028-05-13', '07:00')}:done`]);
    const remindedOnce = await sentKeys(fresh.db);
    expect(remindedOnce.length).toBeGreaterThan(10);

    // 14/5 10:00: the principal moves the deadline a week later.
    clock = vnAt('2028-05-14', '10:00');
    const principalId = await userId(fresh.db, 'hieutruong');
    const schoolId = Number(((await fresh.db('school_years').where({ id: yearId }).first('school_id')) as { school_id: number }).school_id);
    const principal: Actor = {
      userId: principalId,
      username: 'hieutruong',
      roles: ['principal'],
      ip: null,
      schoolId,
      principal: { userId: principalId, grants: [{ schoolId, role: 'principal' }], homeroomClasses: [], assignments: [] },
    };
    const tl = (await loadTimeline(fresh.db, yearId))!;
    const moved = { ...M, due: vnAt('2028-05-27', '17:00') };
    await updateTimeline(fresh.db, principal, yearId, { version: tl.version, config: scenarioConfig([moved]) }, control, clock);
    expect((await loadTimeline(fresh.db, yearId))!.config.milestones[0].due).toBe(vnAt('2028-05-27', '17:00'));

    // The old dates pass: nothing fires — no reminder on 17/5 or 19/5, no escalation or lock on 20/5.
    for (const at of [vnAt('2028-05-17', '07:00'), vnAt('2028-05-19', '07:00'), vnAt('2028-05-20', '17:00'), vnAt('2028-05-20', '18:00')]) await tick(at);
    expect(await sentKeys(fresh.db)).toEqual(remindedOnce);
    expect(Number(((await fresh.db('locks').count({ n: '*' }).first()) as { n: number | string }).n)).toBe(0);
    // 20/5 07:00 is the new D-7: that reminder already went out (13/5) and does not fire twice.
    await tick(vnAt('2028-05-20', '07:00'));
    expect(await sentKeys(fresh.db)).toEqual(remindedOnce);

    // The later steps follow the new date.
    for (const at of [vnAt('2028-05-24', '07:00'), vnAt('2028-05-26', '07:00'), vnAt('2028-05-27', '17:00')]) await tick(at);
    expect(await steps()).toEqual([
      `remind-D-7@${vnAt('2028-05-13', '07:00')}:done`,
      `remind-D-3@${vnAt('2028-05-24', '07:00')}:done`,
      `remind-D-1@${vnAt('2028-05-26', '07:00')}:done`,
      `escalate-1@${vnAt('2028-05-27', '17:00')}:done`,
      `lock@${vnAt('2028-05-27', '17:00')}:done`,
    ]);
    const all = await sentKeys(fresh.db);
    expect(new Set(all).size).toBe(all.length);
    const perStep = (step: string) => all.filter((k) => k.endsWith(`|${step}`)).length;
    expect(perStep('remind-D-7')).toBe(remindedOnce.length);
    expect(perStep('remind-D-3')).toBe(remindedOnce.length);
    expect(perStep('remind-D-1')).toBe(remindedOnce.length);
    expect(perStep('escalate-1')).toBeGreaterThan(0);
    const locks = (await fresh.db('locks').select('scope', 'reason')) as Array<{ scope: string; reason: string }>;
    expect(locks).toEqual([{ scope: 'year', reason: 'Khóa sổ theo lộ trình: Hoàn thành nhập dữ liệu học bạ' }]);
    // The reminders after the move name the new deadline.
    const late = (await fresh.db('notifications').where('key', 'like', 'nhap-du-lieu|remind-D-1|%').first('title')) as { title: string };
    expect(late.title).toContain('(hạn 17:00 27/05/2028)');
    // The move is audited with the configuration before and after.
    const audits = (await fresh.db('audit_events').where({ entity: 'timelines', action: 'update' }).select('before', 'after')) as Array<{ before: string; after: string }>;
    expect(audits).toHaveLength(1);
    expect(audits[0].before).toContain(vnAt('2028-05-20', '17:00'));
    expect(audits[0].after).toContain(vnAt('2028-05-27', '17:00'));
  });
});
