import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  digestSendAt,
  dueSteps,
  messageFor,
  nextSendable,
  nextStep,
  stepId,
  stepsOf,
  timelineProfile,
  vnAt,
  type Debt,
  type SchoolCalendar,
  type Step,
  type TimelineConfig,
} from '../domain/timeline';

/** The demo school's 2026–2027 calendar: semester I 05/09–17/01, semester II 18/01–25/05; Friday 15:00 cutoffs. */
const CAL: SchoolCalendar = {
  yearStart: '2026-09-01',
  yearEnd: '2027-08-31',
  semesters: [
    { startDate: '2026-09-05', endDate: '2027-01-17' },
    { startDate: '2027-01-18', endDate: '2027-05-25' },
  ],
  cutoffs: { regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 },
};
const TET = { name: 'Tết Nguyên đán', from: '2027-02-01', to: '2027-02-14' };

const config = (): TimelineConfig => ({ ...timelineProfile('khanh-phu', 2026), holidays: [TET] });
const ofMilestone = (steps: Step[], key: string) => steps.filter((s) => s.milestone === key);
const debt = (personId: number, missing: number, chain: Debt['chain'] = {}, overdueWeeks?: number): Debt => ({
  personId,
  personName: `GV ${personId}`,
  missing,
  details: missing ? [{ className: '6A1', subjectName: 'Toán', columns: ['TX3'], missing }] : [],
  chain,
  overdueWeeks,
});

describe('timeline profiles from the seeds', () => {
  it('Khánh Phú / Đồ Sơn: entry 20/5, grade 9 signed 21/5, all signed and synced 31/5, after summer 30/8, report 7/10', () => {
    const c = timelineProfile('khanh-phu', 2026);
    const due = Object.fromEntries(c.milestones.map((m) => [m.key, m.due]));
    expect(due).toEqual({
      'bao-cao-dau-nam': vnAt('2026-10-07', '17:00'),
      'nhap-du-lieu': vnAt('2027-05-20', '17:00'),
      'ky-lop-9': vnAt('2027-05-21', '17:00'),
      'ky-hoc-ba': vnAt('2027-05-31', '17:00'),
      'dong-bo-hoan-thanh': vnAt('2027-05-31', '17:00'),
      'dong-bo-sau-he': vnAt('2027-08-30', '17:00'),
    });
    expect(due['nhap-du-lieu']).toBe('2027-05-20T10:00:00.000Z');
    expect(c.milestones.find((m) => m.key === 'ky-lop-9')!.scope).toEqual({ grades: [9] });
    expect(c.milestones.find((m) => m.key === 'nhap-du-lieu')!.lockAtDue).toBe(true);
  });

  it('Vũ Duy Thanh syncs by 25/6 and 10/8; Tân An Hội has grades 5 and 9 earlier and syncs by 15/8', () => {
    const vdt = timelineProfile('vu-duy-thanh', 2026).milestones.filter((m) => m.provider === 'sync').map((m) => m.due);
    expect(vdt).toEqual([vnAt('2027-06-25', '17:00'), vnAt('2027-08-10', '17:00')]);
    const tah = Object.fromEntries(timelineProfile('tan-an-hoi', 2026).milestones.map((m) => [m.key, [m.due.slice(0, 10), m.scope]]));
    expect(tah['nhap-lop-cuoi-cap']).toEqual(['2027-05-15', { grades: [5, 9] }]);
    expect(tah['ky-lop-cuoi-cap']).toEqual(['2027-05-20', { grades: [5, 9] }]);
    expect(tah['nhap-du-lieu']).toEqual(['2027-05-29', { exceptGrades: [5, 9] }]);
    expect(tah['ky-hoc-ba']).toEqual(['2027-05-30', { exceptGrades: [5, 9] }]);
    expect(tah['lien-thong'][0]).toBe('2027-08-15');
  });
});

describe('steps of the year', () => {
  const steps = stepsOf(config(), CAL);

  it('reminds at 07:00 on D−14, D−7, D−3, D−1, escalates at D+0 (the due instant), D+2 and D+4 at 07:00, locks at the due instant', () => {
    expect(ofMilestone(steps, 'nhap-du-lieu').map((s) => [s.step, s.at])).toEqual([
      ['remind-D-14', vnAt('2027-05-06', '07:00')],
      ['remind-D-7', vnAt('2027-05-13', '07:00')],
      ['remind-D-3', vnAt('2027-05-17', '07:00')],
      ['remind-D-1', vnAt('2027-05-19', '07:00')],
      ['escalate-1', vnAt('2027-05-20', '17:00')],
      ['lock', vnAt('2027-05-20', '17:00')],
      ['escalate-2', vnAt('2027-05-22', '07:00')],
      ['escalate-3', vnAt('2027-05-24', '07:00')],
    ]);
  });

  it('reminds every teaching Friday at 07:00 and escalates at the 15:00 cutoff, with no cutoff inside Tết', () => {
    const weekly = ofMilestone(steps, 'weekly');
    const fridays = [...new Set(weekly.map((s) => s.period))];
    expect(fridays[0]).toBe('2026-09-11');
    expect(fridays).not.toContain('2027-02-05');
    expect(fridays).not.toContain('2027-02-12');
    expect(fridays).toContain('2027-01-29');
    expect(fridays).toContain('2027-02-19');
    const first = weekly.filter((s) => s.period === '2026-09-11');
    expect(first.map((s) => [s.step, s.at])).toEqual([
      ['weekly-remind', '2026-09-11T00:00:00.000Z'],
      ['weekly-escalate', '2026-09-11T08:00:00.000Z'],
    ]);
  });

  it('files the principal’s inspection report on the first of each teaching month, past holidays', () => {
    const months = ofMilestone(steps, 'inspection').map((s) => [s.period, s.at.slice(0, 10)]);
    expect(months.map(([p]) => p)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05']);
    // 01/02/2027 is inside Tết: the report moves to the first day after it (15/02, 07:00 Vietnam = 00:00 UTC).
    expect(months.find(([p]) => p === '2027-02')![1]).toBe('2027-02-15');
  });

  it('is ordered by instant, and each step has a unique id', () => {
    const ats = steps.map((s) => s.at);
    expect([...ats].sort()).toEqual(ats);
    expect(new Set(steps.map(stepId)).size).toBe(steps.length);
  });
});

describe('re-planning: what is due now', () => {
  const activatedAt = '2026-09-01T00:00:00.000Z';

  it('after downtime runs every missed escalation once but only the latest reminder, never a stale one', () => {
    const steps = ofMilestone(stepsOf(config(), CAL), 'nhap-du-lieu');
    // Off from 01/05 to 18/05 10:00: D−14, D−7 and D−3 came due while down; only D−3 is sent.
    const { due, superseded } = dueSteps(steps, { activatedAt, now: vnAt('2027-05-18', '10:00') }, new Set());
    expect(due.map((s) => s.step)).toEqual(['remind-D-3']);
    expect(superseded.map((s) => s.step)).toEqual(['remind-D-14', 'remind-D-7']);
    // Off until 23/05: the deadline passed, so no reminder at all; the lock and the first two escalations run once.
    const late = dueSteps(steps, { activatedAt, now: vnAt('2027-05-23', '08:00') }, new Set());
    expect(late.due.map((s) => s.step)).toEqual(['escalate-1', 'lock', 'escalate-2']);
  });

  it('a deadline moved earlier never fires a past step twice; one moved later cancels the steps not yet due', () => {
    const cfg = config();
    const done = new Set<string>();
    const run = (c: TimelineConfig, now: string) => {
      const { due } = dueSteps(ofMilestone(stepsOf(c, CAL), 'nhap-du-lieu'), { activatedAt, now }, done);
      for (const s of due) done.add(stepId(s));
      return due.map((s) => s.step);
    };
    expect(run(cfg, vnAt('2027-05-13', '08:00'))).toEqual(['remind-D-7']);
    // Moved earlier, 20/5 → 16/5: D−7 already fired and is not sent again; D−3 (13/5 07:00) is the one due now.
    const earlier = { ...cfg, milestones: cfg.milestones.map((m) => (m.key === 'nhap-du-lieu' ? { ...m, due: vnAt('2027-05-16', '17:00') } : m)) };
    expect(run(earlier, vnAt('2027-05-13', '09:00'))).toEqual(['remind-D-3']);
    expect(run(earlier, vnAt('2027-05-13', '10:00'))).toEqual([]);
    // Moved later, to 31/5: nothing fires on 16/5 any more, and the next step is D−14 … of the new date.
    const later = { ...cfg, milestones: cfg.milestones.map((m) => (m.key === 'nhap-du-lieu' ? { ...m, due: vnAt('2027-05-31', '17:00') } : m)) };
    expect(run(later, vnAt('2027-05-16', '18:00'))).toEqual([]);
    expect(nextStep(ofMilestone(stepsOf(later, CAL), 'nhap-du-lieu'), vnAt('2027-05-16', '18:00'), done)?.step).toBe('remind-D-14');
    expect(nextStep(ofMilestone(stepsOf(later, CAL), 'nhap-du-lieu'), vnAt('2027-05-16', '18:00'), done)?.at).toBe(vnAt('2027-05-17', '07:00'));
  });
});

describe('actions: who gets what', () => {
  const cfg = config();
  const steps = stepsOf(cfg, CAL);
  const step = (milestone: string, name: string, period?: string) => steps.find((s) => s.milestone === milestone && s.step === name && (!period || s.period === period))!;
  const chain = { departmentHead: [10], vicePrincipal: [20], principal: [30] };

  it('reminds each person who still owes work, with their items, and nobody else', () => {
    const acts = actionsFor(step('nhap-du-lieu', 'remind-D-7'), { available: true, debts: [debt(2, 3, chain), debt(1, 0, chain), debt(3, 1, chain)] }, cfg);
    expect(acts.map((a) => [a.recipient, a.items[0].missing])).toEqual([
      [2, 3],
      [3, 1],
    ]);
    expect(acts[0].key).toBe('nhap-du-lieu|remind-D-7|2026-2027|2');
    expect(acts[0].items[0].details[0]).toMatchObject({ className: '6A1', subjectName: 'Toán', columns: ['TX3'] });
  });

  it('escalates along the chain, merging the late people per recipient, and stops when the work is complete', () => {
    const debts = [debt(2, 3, chain), debt(3, 1, { ...chain, departmentHead: [11] })];
    expect(actionsFor(step('nhap-du-lieu', 'escalate-1'), { available: true, debts }, cfg).map((a) => [a.recipient, a.items.map((i) => i.personId)])).toEqual([
      [10, [2]],
      [11, [3]],
    ]);
    expect(actionsFor(step('nhap-du-lieu', 'escalate-2'), { available: true, debts }, cfg).map((a) => [a.recipient, a.items.length])).toEqual([[20, 2]]);
    expect(actionsFor(step('nhap-du-lieu', 'escalate-3'), { available: true, debts }, cfg).map((a) => a.recipient)).toEqual([30]);
    expect(actionsFor(step('nhap-du-lieu', 'escalate-3'), { available: true, debts: [debt(2, 0, chain)] }, cfg)).toEqual([]);
  });

  it('never escalates a department head to themselves', () => {
    const acts = actionsFor(step('nhap-du-lieu', 'escalate-1'), { available: true, debts: [debt(10, 2, chain)] }, cfg);
    expect(acts).toEqual([]);
  });

  it('sends nothing for a milestone whose provider cannot count yet, and still locks at the due instant', () => {
    const unavailable = { available: false as const, reason: 'Chữ ký số có cùng học bạ số' };
    expect(actionsFor(step('ky-hoc-ba', 'remind-D-7'), unavailable, cfg)).toEqual([]);
    expect(actionsFor(step('ky-hoc-ba', 'escalate-1'), unavailable, cfg)).toEqual([]);
    expect(actionsFor(step('nhap-du-lieu', 'lock'), { available: true, debts: [] }, cfg).map((a) => [a.kind, a.recipient])).toEqual([['lock', null]]);
  });

  it('weekly: escalates an overdue teacher to the department head, then the vice principal, then the principal, week by week', () => {
    const s = step('weekly', 'weekly-escalate', '2026-10-16');
    const debts = [debt(1, 2, chain, 1), debt(2, 4, chain, 2), debt(3, 1, chain, 5)];
    expect(actionsFor(s, { available: true, debts }, cfg).map((a) => [a.recipient, a.items.map((i) => i.personId)])).toEqual([
      [10, [1]],
      [20, [2]],
      [30, [3]],
    ]);
  });

  it('files the monthly inspection for the principal with who is behind', () => {
    const acts = actionsFor(step('inspection', 'inspection', '2026-11'), { available: true, debts: [debt(2, 3), debt(4, 0)], reportTo: [30] }, cfg);
    expect(acts.map((a) => [a.kind, a.recipient, a.items.map((i) => i.personId)])).toEqual([['report', 30, [2]]]);
  });
});

describe('messages in Vietnamese', () => {
  const cfg = config();
  const steps = stepsOf(cfg, CAL);
  const at = (milestone: string, name: string, period?: string) => steps.find((s) => s.milestone === milestone && s.step === name && (!period || s.period === period))!;
  const details = [{ className: '6A1', subjectName: 'Toán', columns: ['TX3', 'GK'], missing: 12, overdueDays: 3 }];

  it('a reminder names the deadline, class, subject, columns, missing count and days overdue', () => {
    const [a] = actionsFor(at('nhap-du-lieu', 'remind-D-7'), { available: true, debts: [{ ...debt(2, 12), details }] }, cfg);
    const m = messageFor(a, cfg);
    expect(m.title).toBe('Nhắc việc: Hoàn thành nhập dữ liệu học bạ — còn thiếu 12 (hạn 17:00 20/05/2027)');
    expect(m.lines).toEqual(['6A1 – Toán (TX3, GK): thiếu 12, quá hạn 3 ngày']);
  });

  it('an escalation lists each late person with what they owe; a weekly one names the week', () => {
    const [a] = actionsFor(at('weekly', 'weekly-escalate', '2026-10-16'), { available: true, debts: [{ ...debt(2, 12, { departmentHead: [10] }, 1), personName: 'Nguyễn Văn An', details }] }, cfg);
    expect(messageFor(a, cfg)).toEqual({
      title: 'Chậm tiến độ: 1 người chưa hoàn thành «Nhập điểm đánh giá thường xuyên trong tuần» (hạn chót tuần 16/10/2026)',
      lines: ['Nguyễn Văn An: thiếu 12 — 6A1 – Toán (TX3, GK): thiếu 12, quá hạn 3 ngày'],
    });
  });
});

describe('email delivery: one digest a day, never at night, escalations not held to the next day', () => {
  const vn = (date: string, hhmm: string) => vnAt(date, hhmm);
  it('holds email between 21:00 and 06:30 Vietnam time', () => {
    expect(nextSendable(vn('2026-11-30', '22:15'))).toBe(vn('2026-12-01', '06:30'));
    expect(nextSendable(vn('2026-12-01', '05:59'))).toBe(vn('2026-12-01', '06:30'));
    expect(nextSendable(vn('2026-12-01', '07:00'))).toBe(vn('2026-12-01', '07:00'));
    expect(nextSendable(vn('2026-12-01', '20:59'))).toBe(vn('2026-12-01', '20:59'));
  });

  it('sends a second reminder digest the next morning, but an escalation the same day', () => {
    const sentToday = vn('2026-12-01', '07:00');
    expect(digestSendAt([{ kind: 'remind' }], sentToday, vn('2026-12-01', '15:00'))).toBe(vn('2026-12-02', '06:30'));
    expect(digestSendAt([{ kind: 'remind' }, { kind: 'escalate' }], sentToday, vn('2026-12-01', '15:00'))).toBe(vn('2026-12-01', '15:00'));
    expect(digestSendAt([{ kind: 'escalate' }], sentToday, vn('2026-12-01', '23:00'))).toBe(vn('2026-12-02', '06:30'));
    expect(digestSendAt([{ kind: 'remind' }], null, vn('2026-12-01', '15:00'))).toBe(vn('2026-12-01', '15:00'));
    expect(digestSendAt([], null, vn('2026-12-01', '15:00'))).toBeNull();
  });
});

describe('holidays in progress: a week inside Tết has no cutoff, so regular assessments spread over teaching weeks', () => {
  it('drops the cutoffs inside the holiday and moves the due instants after it', async () => {
    const { weeklyCutoffs, regularDueDates } = await import('../domain/progress');
    const sem = { startDate: '2027-01-18', endDate: '2027-05-25' };
    const withTet = { ...sem, holidays: [{ from: '2027-02-01', to: '2027-02-14' }] };
    const plain = weeklyCutoffs(sem, CAL.cutoffs);
    const taught = weeklyCutoffs(withTet, CAL.cutoffs);
    expect(plain.length - taught.length).toBe(2);
    expect(taught.map((c) => c.slice(0, 10))).not.toContain('2027-02-05');
    expect(taught.map((c) => c.slice(0, 10))).not.toContain('2027-02-12');
    // Four regular assessments over 17 teaching weeks instead of 19: the first is due later in calendar time.
    expect(regularDueDates(4, withTet, CAL.cutoffs)[0] > regularDueDates(4, sem, CAL.cutoffs)[0]).toBe(true);
  });
});
