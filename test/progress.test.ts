import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CUTOFFS } from '../domain/cutoffs';
import type { Principal } from '../domain/permissions';
import { canSeeProgress, progressReach, reachCovers } from '../domain/permissions';
import {
  addTallies,
  currentWeek,
  EMPTY_TALLY,
  overdueBy,
  overdueCellsOf,
  percent,
  periodicDue,
  regularDueDates,
  slotsOf,
  tallyGradebook,
  weeklyCutoffs,
} from '../domain/progress';
import { nowIso } from '../server/db/knex';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';
import { insertReturningId } from '../server/core/records';

/** Semester I of the demo year: Saturday 05/09/2026 – Saturday 16/01/2027; 19 Friday cutoffs, 11/09 … 15/01. */
const SEM1 = { startDate: '2026-09-05', endDate: '2027-01-16' };
const NOW = '2026-11-23T03:00:00.000Z'; // Monday 23/11/2026 10:00 Vietnam time
const fri = (ddmm: string, year = 2026) => `${year}-${ddmm.slice(3)}-${ddmm.slice(0, 2)}T08:00:00.000Z`; // Friday 15:00 VN

describe('domain/progress: when cells are required', () => {
  it('a semester has one weekly cutoff per week between its first and last day', () => {
    const weeks = weeklyCutoffs(SEM1, DEFAULT_CUTOFFS);
    expect(weeks).toHaveLength(19);
    expect(weeks[0]).toBe(fri('11/09'));
    expect(weeks[18]).toBe(fri('15/01', 2027));
    // A semester that starts and ends on a Friday counts both Fridays' cutoffs.
    expect(weeklyCutoffs({ startDate: '2026-11-13', endDate: '2026-11-27' }, DEFAULT_CUTOFFS)).toEqual([fri('13/11'), fri('20/11'), fri('27/11')]);
    // Thursday 10:00 instead.
    expect(weeklyCutoffs({ startDate: '2026-11-13', endDate: '2026-11-27' }, { ...DEFAULT_CUTOFFS, regularCutoffWeekday: 4, regularCutoffTime: '10:00' })).toEqual([
      '2026-11-19T03:00:00.000Z',
      '2026-11-26T03:00:00.000Z',
    ]);
  });

  it.each([
    // n regular assessments → the k-th due by the cutoff of week ceil(k·19/n)
    [2, [fri('13/11'), fri('15/01', 2027)]], // weeks 10, 19
    [3, [fri('23/10'), fri('04/12'), fri('15/01', 2027)]], // weeks 7, 13, 19
    [4, [fri('09/10'), fri('13/11'), fri('18/12'), fri('15/01', 2027)]], // weeks 5, 10, 15, 19
  ])('%i regular assessments are spread evenly over the semester', (n, dues) => {
    expect(regularDueDates(n, SEM1, DEFAULT_CUTOFFS)).toEqual(dues);
  });

  it('a semester too short for a cutoff has everything due when it ends', () => {
    expect(regularDueDates(2, { startDate: '2026-11-21', endDate: '2026-11-22' }, DEFAULT_CUTOFFS)).toEqual(['2026-11-22T17:00:00.000Z', '2026-11-22T17:00:00.000Z']);
  });

  it.each([
    ['midterm', '2026-11-10', '2026-11-17T17:00:00.000Z', false], // window closes 00:00 18/11 VN
    ['final', '2027-01-05', '2027-01-12T17:00:00.000Z', false],
    // No test date recorded: assume the midpoint for the midterm (05/09 + 66 days) …
    ['midterm', null, '2026-11-17T17:00:00.000Z', true],
    // … and for the final the last date that still lets it be entered by the semester's end.
    ['final', null, '2027-01-16T17:00:00.000Z', true],
  ] as const)('%s with test date %s is due at %s (assumed: %s)', (kind, testDate, due, assumed) => {
    const slot = periodicDue(kind, testDate, SEM1, DEFAULT_CUTOFFS);
    expect(slot).toMatchObject({ kind, k: 1, due, assumedTestDate: assumed });
    if (!testDate) expect(slot.testDate).toBe(kind === 'midterm' ? '2026-11-10' : '2027-01-09');
  });

  it('the current week runs from the previous cutoff (excluded) to the next one (included)', () => {
    expect(currentWeek(NOW, DEFAULT_CUTOFFS)).toEqual({ from: fri('20/11'), until: fri('27/11') });
    expect(currentWeek(fri('27/11'), DEFAULT_CUTOFFS)).toEqual({ from: fri('27/11'), until: fri('04/12') });
  });
});

describe('domain/progress: tallies', () => {
  // 2 regular (due 13/11 and 15/01), midterm test 18/11 (due 26/11 00:00 VN, this week), final without date (16/01).
  const slots = slotsOf(2, { midterm: '2026-11-18', final: null }, SEM1, DEFAULT_CUTOFFS);
  const week = currentWeek(NOW, DEFAULT_CUTOFFS);

  it('counts required, entered, overdue and the current week from a roster histogram', () => {
    const tally = tallyGradebook(
      slots,
      [
        { filled: { regular: 2, midterm: true, final: false }, students: 4 },
        { filled: { regular: 1, midterm: false, final: false }, students: 3 },
        { filled: { regular: 0, midterm: false, final: false }, students: 3 },
      ],
      NOW,
      week,
    );
    // Required by now: the first regular score of 10 students; 7 have it. The midterm is due this week, not yet.
    expect(tally).toEqual({ required: 10, entered: 7, overdueCells: 3, maxOverdueHours: 235, week: { required: 10, entered: 4 } });
    // Once the midterm window closes, it is required too.
    const later = tallyGradebook(slots, [{ filled: { regular: 1, midterm: true, final: false }, students: 2 }, { filled: { regular: 0, midterm: false, final: false }, students: 1 }], '2026-11-25T17:00:00.000Z', week);
    expect(later).toEqual({ required: 6, entered: 4, overdueCells: 2, maxOverdueHours: 297, week: { required: 3, entered: 2 } });
  });

  it('nothing is required before the first due instant; an empty histogram tallies to zero', () => {
    expect(tallyGradebook(slots, [{ filled: { regular: 0, midterm: false, final: false }, students: 40 }], '2026-09-10T00:00:00.000Z', currentWeek('2026-09-10T00:00:00.000Z', DEFAULT_CUTOFFS))).toEqual(
      EMPTY_TALLY,
    );
    expect(tallyGradebook(slots, [], NOW, week)).toEqual(EMPTY_TALLY);
  });

  it('adds tallies and keeps the worst delay', () => {
    const a = { required: 10, entered: 7, overdueCells: 3, maxOverdueHours: 235, week: { required: 10, entered: 4 } };
    const b = { required: 4, entered: 4, overdueCells: 0, maxOverdueHours: null, week: { required: 0, entered: 0 } };
    expect(addTallies(a, b)).toEqual({ required: 14, entered: 11, overdueCells: 3, maxOverdueHours: 235, week: { required: 10, entered: 4 } });
    expect(addTallies(EMPTY_TALLY, b).maxOverdueHours).toBeNull();
    expect(addTallies({ ...b, maxOverdueHours: 400 }, a).maxOverdueHours).toBe(400);
  });

  it.each([
    [7, 10, 70],
    [7, 16, 43.7],
    [2, 3, 66.6],
    [1999, 2000, 99.9],
    [2000, 2000, 100],
    [0, 5, 0],
    [0, 0, null],
  ])('%i of %i entered is %s %', (entered, required, expected) => {
    expect(percent(entered, required)).toBe(expected);
  });

  it('says by how much a cell is late, in days and hours', () => {
    expect(overdueBy(fri('13/11'), NOW)).toEqual({ hours: 235, days: 9, remainderHours: 19 });
    expect(overdueBy(fri('13/11'), '2026-11-13T08:59:59.000Z')).toEqual({ hours: 0, days: 0, remainderHours: 0 });
  });

  it("names one student's overdue cells: the k-th regular score goes into the lowest empty column", () => {
    const four = slotsOf(4, { midterm: null, final: null }, SEM1, DEFAULT_CUTOFFS); // due: 09/10, 13/11, midterm 17/11 (assumed)
    expect(overdueCellsOf(four, 4, { regularSeqs: [], midterm: false, final: false }, NOW)).toEqual([
      { kind: 'regular', seq: 1, due: fri('09/10'), overdueHours: 1075 },
      { kind: 'regular', seq: 2, due: fri('13/11'), overdueHours: 235 },
      { kind: 'midterm', seq: 1, due: '2026-11-17T17:00:00.000Z', testDate: '2026-11-10', assumedTestDate: true, overdueHours: 130 },
    ]);
    // One regular score, entered in column 2: the second is missing and belongs in column 1.
    expect(overdueCellsOf(four, 4, { regularSeqs: [2], midterm: true, final: false }, NOW)).toEqual([{ kind: 'regular', seq: 1, due: fri('13/11'), overdueHours: 235 }]);
    expect(overdueCellsOf(four, 4, { regularSeqs: [3, 4], midterm: true, final: false }, NOW)).toEqual([]);
    // Before the first due instant nothing is overdue.
    expect(overdueCellsOf(four, 4, { regularSeqs: [], midterm: false, final: false }, '2026-10-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('domain/permissions: progress reach', () => {
  const base: Principal = { userId: 1, grants: [], homeroomClasses: [], assignments: [] };
  const book = (classId: number, grade: number, subjectId: number, departmentId: number | null) => ({ schoolId: 1, classId, grade, subjectId, departmentId });

  it.each([
    ['principal', { ...base, grants: [{ schoolId: 1, role: 'principal' }] }, [true, true, true, true]],
    ['admin', { ...base, grants: [{ schoolId: 1, role: 'admin' }] }, [true, true, true, true]],
    ['education office', { ...base, grants: [{ schoolId: 1, role: 'education_office' }] }, [true, true, true, true]],
    ['VP of grade 6', { ...base, grants: [{ schoolId: 1, role: 'vice_principal', grades: [6], departmentIds: [] }] }, [true, true, false, false]],
    ['VP of department 1', { ...base, grants: [{ schoolId: 1, role: 'vice_principal', grades: [], departmentIds: [1] }] }, [true, false, true, false]],
    ['head of department 1', { ...base, grants: [{ schoolId: 1, role: 'department_head', departmentId: 1 }] }, [true, false, true, false]],
    ['homeroom teacher of class 10', { ...base, grants: [{ schoolId: 1, role: 'homeroom_teacher' }], homeroomClasses: [{ schoolId: 1, classId: 10, grade: 6 }] }, [true, true, false, false]],
    ['teacher of class 10 × subject 5', { ...base, grants: [{ schoolId: 1, role: 'subject_teacher' }], assignments: [{ schoolId: 1, classId: 10, subjectId: 5, grade: 6 }] }, [false, true, false, false]],
    ['teacher in another school', { ...base, grants: [{ schoolId: 2, role: 'principal' }] }, null],
    ['academic staff (giáo vụ chase late entry)', { ...base, grants: [{ schoolId: 1, role: 'academic_staff' }] }, [true, true, true, true]],
    ['accountant', { ...base, grants: [{ schoolId: 1, role: 'accountant' }] }, null],
    ['subject teacher without assignments', { ...base, grants: [{ schoolId: 1, role: 'subject_teacher' }] }, null],
  ] as Array<[string, Principal, boolean[] | null]>)('%s', (_who, p, expected) => {
    // Grade books: 10×1 (grade 6, dept 1), 10×5 (grade 6, dept 2), 30×1 (grade 8, dept 1), 30×5 (grade 8, dept 2).
    const books = [book(10, 6, 1, 1), book(10, 6, 5, 2), book(30, 8, 1, 1), book(30, 8, 5, 2)];
    const reach = progressReach(p, 1);
    if (expected === null) {
      expect(reach).toBeNull();
      return;
    }
    expect(reach).not.toBeNull();
    expect(books.map((b) => reachCovers(reach!, b))).toEqual(expected);
    expect(canSeeProgress(p)).toBe(true);
  });
});

const qs = (params: Record<string, string | number>) => `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;

describe.each(testDatabases())('progress API on %s', (kind) => {
  let srv: TestServer;
  let principal: Client;
  let gvbm: Client;
  let schoolId: number;
  let yearId: number;
  let s1: number;
  let s2: number;
  const subj: Record<string, number> = {};
  const cls: Record<string, number> = {};
  const staffOf: Record<string, number> = {};
  const students: Record<string, number> = {};

  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const progress = (c: Client, params: Record<string, string | number>) => c.get(`/api/progress${qs(params)}`);
  const overdue = (c: Client, params: Record<string, string | number>) => c.get(`/api/progress/overdue${qs(params)}`);
  const rowOf = (body: any, key: number) => body.rows.find((r: any) => r.key === key);
  const score = (subjectCode: string, studentId: number, k: 'regular' | 'midterm' | 'final', seq: number, value: string) => {
    const now = nowIso();
    const user = staffOf.gvbmUser;
    return srv.db('assessment_scores').insert({
      school_id: schoolId,
      semester_id: s1,
      class_id: cls['6A9'],
      subject_id: subj[subjectCode],
      student_id: studentId,
      kind: k,
      seq,
      score: value,
      first_entered_at: now,
      entered_by: user,
      updated_at: now,
      updated_by: user,
      version: 1,
    });
  };

  beforeAll(async () => {
    // Every figure depends on "now": the whole file runs on a fixed clock (only Date is faked; I/O timers are real).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(NOW));
    srv = await startServer(kind);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    [yearId, schoolId] = [Number(year.id), Number(year.school_id)];
    for (const s of (await srv.db('subjects').where({ school_id: schoolId })) as Array<{ id: number; code: string }>) subj[s.code] = Number(s.id);
    const sems = (await srv.db('semesters').where({ school_year_id: yearId }).orderBy('number')) as Array<{ id: number }>;
    [s1, s2] = sems.map((s) => Number(s.id));
    for (const role of ['subject_teacher', 'homeroom_teacher']) {
      const u = (await srv.db('users').where({ username: accountFor(srv.accounts, role).username }).first()) as { id: number; staff_id: number };
      staffOf[role] = Number(u.staff_id);
      if (role === 'subject_teacher') staffOf.gvbmUser = Number(u.id);
    }
    // A small class of four for exact figures: GDCD (2 regular) and LS-DL (4 regular) by gvbm, Tin học (2) by gvcn.
    cls['6A9'] = await insertReturningId(srv.db, 'classes', { school_id: schoolId, school_year_id: yearId, grade: 6, name: '6A9', search_text: '6a9' });
    const now = nowIso();
    for (const [i, name] of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Chi', 'Phạm Quốc Dũng'].entries()) {
      students[name.split(' ').pop()!] = await insertReturningId(srv.db, 'students', {
        school_id: schoolId,
        student_code: `P-${i + 1}`,
        full_name: name,
        birth_date: '2015-01-0' + (i + 1),
        sex: i % 2 ? 'female' : 'male',
        created_at: now,
        updated_at: now,
      });
    }
    // One enrolment that is no longer active: the student left and does not count.
    await srv.db('enrolments').insert(
      Object.values(students).map((id) => ({ school_id: schoolId, school_year_id: yearId, class_id: cls['6A9'], student_id: id, start_date: '2026-09-05', status: 'active' })),
    );
    const gone = await insertReturningId(srv.db, 'students', { school_id: schoolId, student_code: 'P-9', full_name: 'Võ Văn Em', birth_date: '2015-02-01', sex: 'male', created_at: now, updated_at: now });
    await srv.db('enrolments').insert({ school_id: schoolId, school_year_id: yearId, class_id: cls['6A9'], student_id: gone, start_date: '2026-09-05', end_date: '2026-10-01', status: 'transferred' });
    await srv.db('teaching_assignments').insert([
      { school_id: schoolId, school_year_id: yearId, class_id: cls['6A9'], subject_id: subj.GDCD, staff_id: staffOf.subject_teacher },
      { school_id: schoolId, school_year_id: yearId, class_id: cls['6A9'], subject_id: subj['LS-DL'], staff_id: staffOf.subject_teacher },
      { school_id: schoolId, school_year_id: yearId, class_id: cls['6A9'], subject_id: subj['TIN-HOC'], staff_id: staffOf.homeroom_teacher },
    ]);
    for (const c of (await srv.db('classes').where({ school_year_id: yearId })) as Array<{ id: number; name: string }>) cls[c.name] = Number(c.id);
    [principal, gvbm] = [await login('principal'), await login('subject_teacher')];

    const { An, Bình, Dũng } = students;
    // GDCD: midterm on Wednesday 18/11 (window closes 00:00 26/11, this week). The teacher enters through the grid.
    expect((await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A9'], subjectId: subj.GDCD, semesterId: s1, kind: 'midterm', testDate: '2026-11-18' })).status).toBe(200);
    const saved = await gvbm.put('/api/gradebook', {
      classId: cls['6A9'],
      subjectId: subj.GDCD,
      semesterId: s1,
      cells: [
        { studentId: An, kind: 'regular', seq: 1, value: '8', version: 0 },
        { studentId: An, kind: 'regular', seq: 2, value: '7', version: 0 },
        { studentId: An, kind: 'midterm', seq: 1, value: '9', version: 0 },
        { studentId: Bình, kind: 'regular', seq: 1, value: '6', version: 0 },
        { studentId: Dũng, kind: 'regular', seq: 2, value: '5', version: 0 }, // in column 2: still his first regular score
      ],
    });
    expect(saved.status).toBe(200);
    // LS-DL: no test date yet; An has two regular scores and the midterm, Bình one regular score.
    await score('LS-DL', An, 'regular', 1, '7');
    await score('LS-DL', An, 'regular', 2, '8');
    await score('LS-DL', An, 'midterm', 1, '6.5');
    await score('LS-DL', Bình, 'regular', 1, '9');
  });
  afterAll(async () => {
    await srv?.close();
    vi.useRealTimers();
  });
  afterEach(() => {
    vi.setSystemTime(Date.parse(NOW));
  });

  it('per subject of one class: required so far, entered, percent, overdue and the current week', async () => {
    const res = await progress(principal, { classId: cls['6A9'], groupBy: 'subject', semesterId: s1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ now: NOW, semester: { id: s1, number: 1 }, week: { from: fri('20/11'), until: fri('27/11') }, groupBy: 'subject' });
    // GDCD: 1st regular due 13/11 for 4 students, 3 have one (Dũng's is in column 2); the midterm is due this week.
    expect(rowOf(res.body, subj.GDCD)).toMatchObject({
      label: 'Giáo dục công dân',
      required: 4,
      entered: 3,
      percent: 75,
      overdueCells: 1,
      maxOverdueHours: 235, // 13/11 15:00 → 23/11 10:00
      week: { required: 4, entered: 1, percent: 25 },
    });
    // LS-DL: regular 1 (09/10) and 2 (13/11), and the midterm at the assumed date 10/11 (due 18/11 00:00).
    expect(rowOf(res.body, subj['LS-DL'])).toMatchObject({ required: 12, entered: 4, percent: 33.3, overdueCells: 8, maxOverdueHours: 1075, week: { required: 0, entered: 0, percent: null } });
    // Tin học: nothing entered; regular 1 (13/11) and the assumed midterm.
    expect(rowOf(res.body, subj['TIN-HOC'])).toMatchObject({ required: 8, entered: 0, percent: 0, overdueCells: 8, maxOverdueHours: 235 });
    expect(res.body.totals).toMatchObject({ required: 24, entered: 7, percent: 29.1, overdueCells: 17, maxOverdueHours: 1075, week: { required: 4, entered: 1 } });
    expect(res.body.rows.map((r: any) => r.items)).toEqual(res.body.rows.map(() => [expect.objectContaining({ classId: cls['6A9'], className: '6A9' })]));
  });

  it('per teacher, class and department the same cells add up', async () => {
    const byTeacher = (await progress(principal, { classId: cls['6A9'], groupBy: 'teacher' })).body;
    expect(byTeacher.rows).toHaveLength(2);
    expect(rowOf(byTeacher, staffOf.subject_teacher)).toMatchObject({ required: 16, entered: 7, percent: 43.7, overdueCells: 9, maxOverdueHours: 1075 });
    expect(rowOf(byTeacher, staffOf.subject_teacher).items.map((i: any) => i.subjectId).sort()).toEqual([subj.GDCD, subj['LS-DL']].sort());
    expect(rowOf(byTeacher, staffOf.homeroom_teacher)).toMatchObject({ required: 8, entered: 0, overdueCells: 8 });
    const byClass = (await progress(principal, { classId: cls['6A9'], groupBy: 'class', items: 'false' })).body;
    expect(byClass.rows).toEqual([expect.objectContaining({ key: cls['6A9'], label: '6A9', required: 24, entered: 7, percent: 29.1, overdueCells: 17 })]);
    expect(byClass.rows[0].items).toBeUndefined();
    const byDept = (await progress(principal, { classId: cls['6A9'], groupBy: 'department' })).body;
    const dept = async (code: string) => Number(((await srv.db('departments').where({ school_id: schoolId, code }).first()) as { id: number }).id);
    expect(rowOf(byDept, await dept('VAN-SU-DIA'))).toMatchObject({ required: 16, entered: 7, overdueCells: 9 });
    expect(rowOf(byDept, await dept('TOAN-TIN'))).toMatchObject({ label: 'Tổ Toán – Tin', required: 8, entered: 0 });
  });

  it('lists the overdue cells: teacher, class, subject, column, due and by how much, worst first', async () => {
    const { An, Bình, Chi, Dũng } = students;
    const gdcd = await overdue(principal, { classId: cls['6A9'], subjectId: subj.GDCD });
    expect(gdcd.status).toBe(200);
    expect(gdcd.body.total).toBe(1);
    expect(gdcd.body.items[0]).toMatchObject({
      teacher: { id: staffOf.subject_teacher },
      class: { id: cls['6A9'], name: '6A9' },
      subject: { id: subj.GDCD, name: 'Giáo dục công dân' },
      student: { id: Chi, fullName: 'Lê Minh Chi' },
      kind: 'regular',
      seq: 1,
      column: 'ĐĐGtx 1',
      due: fri('13/11'),
      overdueHours: 235,
      overdueBy: { days: 9, hours: 19 },
      overdueText: 'trễ 9 ngày 19 giờ',
    });
    const lsdl = (await overdue(principal, { classId: cls['6A9'], subjectId: subj['LS-DL'] })).body;
    expect(lsdl.items.map((c: any) => [c.student.id, c.kind, c.seq, c.overdueHours])).toEqual([
      [Chi, 'regular', 1, 1075],
      [Dũng, 'regular', 1, 1075],
      [Bình, 'regular', 2, 235],
      [Chi, 'regular', 2, 235],
      [Dũng, 'regular', 2, 235],
      [Bình, 'midterm', 1, 130],
      [Chi, 'midterm', 1, 130],
      [Dũng, 'midterm', 1, 130],
    ]);
    expect(lsdl.items[5]).toMatchObject({ column: 'ĐĐGgk', testDate: '2026-11-10', assumedTestDate: true, due: '2026-11-17T17:00:00.000Z' });
    expect(lsdl.items.some((c: any) => c.student.id === An)).toBe(false);
    // Paging, and the whole class in English.
    const page = (await overdue(principal, { classId: cls['6A9'], offset: 2, limit: 3 })).body;
    expect(page).toMatchObject({ total: 17, offset: 2, limit: 3 });
    expect(page.items).toHaveLength(3);
    principal.lang = 'en';
    try {
      expect((await overdue(principal, { classId: cls['6A9'], subjectId: subj.GDCD })).body.items[0]).toMatchObject({ column: 'Regular 1', overdueText: '9 d 19 h late' });
    } finally {
      principal.lang = 'vi';
    }
  });

  it('a recorded test date moves the periodic due instant; time passing makes the week due', async () => {
    // The LS-DL midterm really is on Friday 20/11: its window closes 00:00 28/11, so it is no longer required.
    expect((await gvbm.put('/api/gradebook/test-dates', { classId: cls['6A9'], subjectId: subj['LS-DL'], semesterId: s1, kind: 'midterm', testDate: '2026-11-20' })).status).toBe(200);
    const after = (await progress(principal, { classId: cls['6A9'], groupBy: 'subject' })).body;
    expect(rowOf(after, subj['LS-DL'])).toMatchObject({ required: 8, entered: 3, percent: 37.5, overdueCells: 5, maxOverdueHours: 1075 });
    expect((await overdue(principal, { classId: cls['6A9'], subjectId: subj['LS-DL'] })).body.items.filter((c: any) => c.kind === 'midterm')).toEqual([]);

    // Thursday 26/11 10:00: the GDCD midterm window (test 18/11) closed at 00:00; only An's midterm is in.
    vi.setSystemTime(Date.parse('2026-11-26T03:00:00.000Z'));
    const head = await login('principal');
    const thu = (await progress(head, { classId: cls['6A9'], groupBy: 'subject' })).body;
    expect(rowOf(thu, subj.GDCD)).toMatchObject({ required: 8, entered: 4, percent: 50, overdueCells: 4, maxOverdueHours: 307, week: { required: 4, entered: 1 } });
    const mids = (await overdue(head, { classId: cls['6A9'], subjectId: subj.GDCD })).body.items.filter((c: any) => c.kind === 'midterm');
    expect(mids.map((c: any) => [c.overdueHours, c.testDate, c.assumedTestDate])).toEqual([
      [10, '2026-11-18', false],
      [10, '2026-11-18', false],
      [10, '2026-11-18', false],
    ]);
    // Entering the missing scores brings the figures up at once.
    const teacher = await login('subject_teacher');
    const grid = (await teacher.get(`/api/gradebook?classId=${cls['6A9']}&subjectId=${subj.GDCD}&semesterId=${s1}`)).body;
    expect(grid.rows.length).toBe(4);
    const put = await teacher.put('/api/gradebook', {
      classId: cls['6A9'],
      subjectId: subj.GDCD,
      semesterId: s1,
      cells: [{ studentId: students.Chi, kind: 'regular', seq: 1, value: '7', version: 0 }],
    });
    expect(put.status).toBe(200);
    expect(rowOf((await progress(head, { classId: cls['6A9'], groupBy: 'subject' })).body, subj.GDCD)).toMatchObject({ required: 8, entered: 5, overdueCells: 3, maxOverdueHours: 10 });
  });

  it('semester II has nothing required yet', async () => {
    const res = await progress(principal, { semesterId: s2, groupBy: 'department' });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ required: 0, entered: 0, percent: null, overdueCells: 0, maxOverdueHours: null });
    expect(res.body.semester).toMatchObject({ id: s2, number: 2 });
    // Without semesterId, the semester today falls in.
    expect((await progress(principal, {})).body.semester.id).toBe(s1);
  });

  it('each user sees their own reach: teacher, homeroom teacher, department head, VP; others are refused', async () => {
    const items = (body: any) => body.rows.flatMap((r: any) => r.items);
    const books = (await srv.db('teaching_assignments').where({ school_year_id: yearId })) as Array<{ class_id: number; subject_id: number; staff_id: number }>;
    const classGrade = new Map(((await srv.db('classes').where({ school_year_id: yearId })) as Array<{ id: number; grade: number }>).map((c) => [Number(c.id), Number(c.grade)]));
    const deptOf = new Map(((await srv.db('subjects').where({ school_id: schoolId })) as Array<{ id: number; department_id: number }>).map((s) => [Number(s.id), Number(s.department_id)]));
    const keys = (list: Array<{ classId: number; subjectId: number }>) => list.map((b) => `${b.classId}:${b.subjectId}`).sort();
    const expected = (pred: (b: { class_id: number; subject_id: number; staff_id: number }) => boolean) =>
      keys(books.filter(pred).map((b) => ({ classId: Number(b.class_id), subjectId: Number(b.subject_id) })));

    const all = items((await progress(principal, { groupBy: 'class' })).body);
    expect(keys(all)).toEqual(expected(() => true));

    // The subject teacher: their own assignments only (6A1, 6A2, 7A1 and 6A9; GDCD and LS-DL).
    const own = (await progress(gvbm, { groupBy: 'class' })).body;
    expect(keys(items(own))).toEqual(expected((b) => Number(b.staff_id) === staffOf.subject_teacher));
    expect(own.rows.map((r: any) => r.label)).toEqual(['6A1', '6A2', '6A9', '7A1']);
    // Asking for someone else's class gives nothing, not their figures.
    expect((await progress(gvbm, { classId: cls['8A1'] })).body.rows).toEqual([]);
    expect((await overdue(gvbm, { classId: cls['8A1'] })).body.total).toBe(0);

    // The homeroom teacher of 6A1: every subject of 6A1, plus their own Tin học classes.
    const gvcn = await login('homeroom_teacher');
    expect(keys(items((await progress(gvcn, { groupBy: 'subject' })).body))).toEqual(
      expected((b) => Number(b.class_id) === cls['6A1'] || Number(b.staff_id) === staffOf.homeroom_teacher),
    );

    // The head of Toán – Tin: that department's subjects in every class.
    const head = await login('department_head');
    const toanTin = Number(((await srv.db('departments').where({ school_id: schoolId, code: 'TOAN-TIN' }).first()) as { id: number }).id);
    const byDept = (await progress(head, { groupBy: 'department' })).body;
    expect(byDept.rows.map((r: any) => r.key)).toEqual([toanTin]);
    expect(keys(items(byDept))).toEqual(expected((b) => deptOf.get(Number(b.subject_id)) === toanTin));

    // The VP of grades 6–7 and Toán – Tin / KHTN – Công nghệ.
    const vp = await login('vice_principal');
    const vpDepts = [toanTin, Number(((await srv.db('departments').where({ school_id: schoolId, code: 'KHTN-CN' }).first()) as { id: number }).id)];
    expect(keys(items((await progress(vp, { groupBy: 'class' })).body))).toEqual(
      expected((b) => [6, 7].includes(classGrade.get(Number(b.class_id))!) || vpDepts.includes(deptOf.get(Number(b.subject_id))!)),
    );
    // Their overdue list stays inside the same reach.
    const vpOverdue = (await overdue(vp, { limit: 5000 })).body;
    expect(vpOverdue.total).toBeGreaterThan(0);
    expect(vpOverdue.items.every((c: any) => [6, 7].includes(classGrade.get(c.class.id)!) || vpDepts.includes(deptOf.get(c.subject.id)!))).toBe(true);

    // The education office and academic staff follow progress (read only), the whole school; the accountant, the
    // records clerk and students do not.
    expect((await progress(await login('education_office'), {})).status).toBe(200);
    const giaovu = (await progress(await login('academic_staff'), { groupBy: 'teacher' })).body;
    expect(giaovu.totals).toEqual((await progress(principal, { groupBy: 'teacher' })).body.totals);
    for (const role of ['accountant', 'student', 'records_clerk']) {
      const c = await login(role);
      expect((await progress(c, {})).status, role).toBe(403);
      expect((await overdue(c, {})).status, role).toBe(403);
    }
  });

  it('whole-school figures agree with the per-teacher rows and with the overdue list', async () => {
    const byTeacher = (await progress(principal, { groupBy: 'teacher' })).body;
    const sum = (f: string) => byTeacher.rows.reduce((n: number, r: any) => n + r[f], 0);
    expect(sum('required')).toBe(byTeacher.totals.required);
    expect(sum('entered')).toBe(byTeacher.totals.entered);
    expect(byTeacher.totals.required).toBeGreaterThan(1000);
    const list = (await overdue(principal, { limit: 1 })).body;
    expect(list.total).toBe(byTeacher.totals.overdueCells);
    expect(list.items[0].overdueHours).toBe(byTeacher.totals.maxOverdueHours);
    // The teacher's own view shows the same numbers as the principal's row for them.
    const mine = (await progress(gvbm, { groupBy: 'teacher' })).body;
    expect(mine.rows).toHaveLength(1);
    expect(mine.rows[0]).toEqual(rowOf(byTeacher, staffOf.subject_teacher));
  });

  it('sorts by lateness to chase, and lists overdue work one line per column, each naming its grade book', async () => {
    const late = (await progress(principal, { groupBy: 'teacher', sort: 'late' })).body;
    const byName = (await progress(principal, { groupBy: 'teacher' })).body;
    expect(late.totals).toEqual(byName.totals);
    expect([...late.rows].map((r: any) => r.key).sort()).toEqual([...byName.rows].map((r: any) => r.key).sort());
    const lateness = late.rows.map((r: any) => [r.maxOverdueHours ?? -1, r.overdueCells]);
    for (let i = 1; i < lateness.length; i++) {
      const [h0, c0] = lateness[i - 1];
      const [h1, c1] = lateness[i];
      expect(h0 > h1 || (h0 === h1 && c0 >= c1), `row ${i}: ${lateness[i - 1]} before ${lateness[i]}`).toBe(true);
    }
    expect(late.rows[0].maxOverdueHours).toBe(late.totals.maxOverdueHours);
    expect((await progress(principal, { sort: 'oldest' })).status).toBe(400);

    // One grade: its cells fit in one page of the per-cell list.
    const cells = (await overdue(principal, { by: 'cell', grade: 6, limit: 5000 })).body;
    const columns = (await overdue(principal, { by: 'column', grade: 6, limit: 5000 })).body;
    expect(cells.total).toBeLessThanOrEqual(5000);
    expect(cells.total).toBeGreaterThan(0);
    expect(columns.cells).toBe(cells.total);
    expect(columns.items.reduce((n: number, c: any) => n + c.students, 0)).toBe(cells.total);
    // One line per grade-book column, with as many students as the per-cell list has for it.
    const perColumn = new Map<string, number>();
    for (const c of cells.items) perColumn.set(`${c.class.id}:${c.subject.id}:${c.kind}:${c.seq}`, (perColumn.get(`${c.class.id}:${c.subject.id}:${c.kind}:${c.seq}`) ?? 0) + 1);
    expect(columns.total).toBe(perColumn.size);
    for (const c of columns.items) {
      expect(c.students).toBe(perColumn.get(`${c.class.id}:${c.subject.id}:${c.kind}:${c.seq}`));
      expect(c.someStudents.length).toBe(Math.min(5, c.students));
      expect(c).toMatchObject({ teacher: { name: expect.any(String) }, column: expect.stringMatching(/^ĐĐG/) });
    }
    expect(columns.total).toBeLessThan(cells.total);
    const hours = columns.items.map((c: any) => c.overdueHours);
    expect(hours).toEqual([...hours].sort((a: number, b: number) => b - a));
  });

  it('runs a handful of set-based queries for the whole school, however many classes', async () => {
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    srv.db.on('query', listener);
    try {
      // What any signed-in request costs (session, account, grants, assignments), to subtract.
      expect((await principal.get(`/api/school-settings/${schoolId}`)).status).toBe(200);
      const baseline = seen.length - 1;
      seen.length = 0;
      expect((await progress(principal, { groupBy: 'department' })).status).toBe(200);
      const summary = seen.length - baseline;
      seen.length = 0;
      expect((await overdue(principal, {})).status).toBe(200);
      const list = seen.length - baseline;
      // Year, semesters, assignments, settings, roster sizes, the score histogram, test dates (+ names and per-student fills).
      expect(summary).toBeLessThanOrEqual(7);
      expect(list).toBeLessThanOrEqual(9);
    } finally {
      srv.db.removeListener('query', listener);
    }
  });

  it('refuses the signed-out, unknown parameters, a bad grouping and a semester of another year', async () => {
    expect((await new Client(srv.url).get('/api/progress')).status).toBe(401);
    expect((await progress(principal, { groupBy: 'student' })).status).toBe(400);
    const unknown = await progress(principal, { sort: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.sort).toBeDefined();
    expect((await overdue(principal, { limit: 0 })).status).toBe(400);
    const otherYear = await insertReturningId(srv.db, 'school_years', { school_id: schoolId, name: '2025-2026', start_date: '2025-09-05', end_date: '2026-05-31', is_current: false });
    const otherSem = await insertReturningId(srv.db, 'semesters', { school_id: schoolId, school_year_id: otherYear, number: 1, start_date: '2025-09-05', end_date: '2026-01-16' });
    const res = await progress(principal, { semesterId: otherSem });
    expect(res.status).toBe(400);
    expect(res.body.errors.semesterId).toBeDefined();
    // The past year itself can be asked for: it has no assignments, so nothing is required.
    expect((await progress(principal, { schoolYearId: otherYear, semesterId: otherSem })).body.totals.required).toBe(0);
  });
});
