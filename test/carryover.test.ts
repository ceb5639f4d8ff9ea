import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../server/db/knex';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const NEXT = {
  toName: '2027-2028',
  startDate: '2027-09-05',
  endDate: '2028-05-31',
  semesters: [
    { number: 1, startDate: '2027-09-05', endDate: '2028-01-15' },
    { number: 2, startDate: '2028-01-17', endDate: '2028-05-31' },
  ],
};

describe.each(testDatabases())('carry-over to a new school year on %s', (kind) => {
  let srv: TestServer;
  let giaovu: Client;
  let pht: Client;
  let gvbm: Client;
  let vanthu: Client;
  let fromId: number;
  let heldBack: { id: number; full_name: string };
  let onlyGrade6Subject: number;

  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  const count = async (table: string) => Number(((await srv.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
  const snapshot = async () => Promise.all(['school_years', 'semesters', 'classes', 'enrolments', 'teaching_assignments', 'audit_events'].map(count));
  const classOf = (yearId: number, name: string) => srv.db('classes').where({ school_year_id: yearId, name }).first();
  const activeIn = async (classId: number) =>
    ((await srv.db('enrolments').where({ class_id: classId, status: 'active' }).select('student_id')) as { student_id: number }[]).map((e) => Number(e.student_id)).sort((a, b) => a - b);

  beforeAll(async () => {
    srv = await startServer(kind);
    [giaovu, pht, gvbm, vanthu] = await Promise.all([login('academic_staff'), login('vice_principal'), login('subject_teacher'), login('records_clerk')]);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    fromId = Number(year.id);
    const a1 = await classOf(fromId, '6A1');
    // One 6A1 student is held back (ở lại lớp), as server/results stores the year's decision.
    heldBack = (await srv
      .db('students as s')
      .join('enrolments as e', 'e.student_id', 's.id')
      .where({ 'e.class_id': a1.id, 'e.status': 'active' })
      .orderBy('s.id')
      .first('s.id', 's.full_name')) as { id: number; full_name: string };
    await srv.db('student_year_results').where({ school_year_id: fromId, student_id: heldBack.id }).delete();
    await srv.db('student_year_results').insert({
      school_id: year.school_id,
      school_year_id: fromId,
      class_id: a1.id,
      student_id: heldBack.id,
      decision: 'held_back',
      promoted: false,
      held_back_reasons: '["learning"]',
      computed_at: nowIso(),
    });
    // A subject taught in grade 6 only: its 6A1 assignment must not follow the class into grade 7.
    const subject = await giaovu.post('/api/subjects', { code: 'CHI-K6', name: 'Chuyên đề khối 6', assessmentType: 'comment', periodsPerYear: { '6': 35 } });
    expect(subject.status).toBe(201);
    onlyGrade6Subject = subject.body.id;
    const teacher = (await srv.db('staff').where({ post: 'teacher', status: 'active' }).first('id')) as { id: number };
    expect((await giaovu.post('/api/teaching-assignments', { classId: Number(a1.id), subjectId: onlyGrade6Subject, staffId: Number(teacher.id) })).status).toBe(201);
  });
  afterAll(async () => srv?.close());

  it('only admin, academic staff and vice principals carry over; a bad target year is a 400 naming the field', async () => {
    const body = { fromSchoolYearId: fromId, ...NEXT, dryRun: true };
    expect((await gvbm.post('/api/carry-over', body)).status).toBe(403);
    expect((await vanthu.post('/api/carry-over', body)).status).toBe(403);
    const wrongName = await giaovu.post('/api/carry-over', { ...body, toName: '2028-2029' });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.errors.toName).toContain('2027-2028');
    const overlapping = await giaovu.post('/api/carry-over', {
      ...body,
      semesters: [NEXT.semesters[0], { number: 2, startDate: '2028-01-10', endDate: '2028-05-31' }],
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.errors['semesters.1.startDate']).toBe('Ngày phải từ 16/01/2028 trở đi.');
    const unknownField = await giaovu.post('/api/carry-over', { ...body, copyScores: true });
    expect(unknownField.status).toBe(400);
    expect((await giaovu.post('/api/carry-over', { ...body, fromSchoolYearId: 9999 })).status).toBe(404);
  });

  it('a dry run reports counts per grade, graduates, held-back students and warnings, and writes nothing', async () => {
    const before = await snapshot();
    const res = await pht.post('/api/carry-over', { fromSchoolYearId: fromId, ...NEXT, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(await snapshot()).toEqual(before);

    const grade9 = Number(
      ((await srv.db('enrolments as e').join('classes as c', 'c.id', 'e.class_id').where({ 'c.school_year_id': fromId, 'c.grade': 9, 'e.status': 'active' }).count({ n: '*' }).first()) as { n: number }).n,
    );
    const grade6 = Number(
      ((await srv.db('enrolments as e').join('classes as c', 'c.id', 'e.class_id').where({ 'c.school_year_id': fromId, 'c.grade': 6, 'e.status': 'active' }).count({ n: '*' }).first()) as { n: number }).n,
    );
    expect(res.body.counts).toMatchObject({ classes: 7, heldBack: 1, graduates: grade9, promoted: (await count('enrolments')) - grade9 - 1 });
    expect(res.body.counts.assignmentsNotTaught).toBe(1);
    expect(res.body.byGrade).toEqual([
      { grade: 6, classes: 1, students: 1, promoted: 0, heldBack: 1 },
      { grade: 7, classes: 2, students: grade6 - 1, promoted: grade6 - 1, heldBack: 0 },
      expect.objectContaining({ grade: 8, classes: 2 }),
      expect.objectContaining({ grade: 9, classes: 2 }),
    ]);
    expect(res.body.classes.map((c: { name: string; from: string | null }) => [c.name, c.from])).toEqual([
      ['6A1', null],
      ['7A1', '6A1'],
      ['7A2', '6A2'],
      ['8A1', '7A1'],
      ['8A2', '7A2'],
      ['9A1', '8A1'],
      ['9A2', '8A2'],
    ]);
    expect(res.body.heldBack).toEqual([expect.objectContaining({ studentId: Number(heldBack.id), className: '6A1', toClass: '6A1' })]);
    // The other students have no stored decision yet: treated as promoted, and said so.
    expect(res.body.warnings.some((w: string) => w.includes('chưa có quyết định lên lớp'))).toBe(true);
    expect(res.body.warnings).toContain('Lớp 6A1 được tạo mới cho học sinh ở lại lớp: chưa có GVCN và phân công giảng dạy.');
  });

  it('the commit creates the year, moves classes up, places promoted and held-back students, graduates grade 9; twice is 409', async () => {
    const old = {
      a1: await classOf(fromId, '6A1'),
      c8: await classOf(fromId, '8A2'),
      n9: await classOf(fromId, '9A1'),
    };
    const oldA1Students = await activeIn(Number(old.a1.id));
    const graduating = await activeIn(Number(old.n9.id));
    const enrolmentsBefore = await count('enrolments');

    const res = await giaovu.post('/api/carry-over', { fromSchoolYearId: fromId, ...NEXT });
    expect(res.status).toBe(201);
    const newId = res.body.schoolYear.id as number;
    expect(await srv.db('school_years').where({ id: newId }).first()).toMatchObject({ name: '2027-2028', start_date: '2027-09-05', end_date: '2028-05-31' });
    // Not current until someone switches: the old year stays the one teachers work in.
    expect((await giaovu.get(`/api/school-years/${newId}`)).body.isCurrent).toBe(false);
    expect((await giaovu.get(`/api/school-years/${fromId}`)).body.isCurrent).toBe(true);
    expect((await srv.db('semesters').where({ school_year_id: newId }).orderBy('number').select('number', 'start_date', 'end_date')).map((s) => [Number(s.number), s.start_date, s.end_date])).toEqual([
      [1, '2027-09-05', '2028-01-15'],
      [2, '2028-01-17', '2028-05-31'],
    ]);

    // 6A1 → 7A1 with its homeroom teacher and its students, except the held-back one, who stays in grade 6.
    const new7A1 = await classOf(newId, '7A1');
    expect(Number(new7A1.grade)).toBe(7);
    expect(Number(new7A1.homeroom_staff_id)).toBe(Number(old.a1.homeroom_staff_id));
    expect(await activeIn(Number(new7A1.id))).toEqual(oldA1Students.filter((id) => id !== Number(heldBack.id)));
    const new6A1 = await classOf(newId, '6A1');
    expect(Number(new6A1.grade)).toBe(6);
    expect(await activeIn(Number(new6A1.id))).toEqual([Number(heldBack.id)]);
    expect(Number(((await srv.db('enrolments').where({ class_id: new6A1.id }).first()) as { school_year_id: number }).school_year_id)).toBe(newId);
    // 8A2 → 9A2; grade 9 graduates: no grade-10 class, students 'graduated', their last enrolment ended with the year.
    expect(Number((await classOf(newId, '9A2')).homeroom_staff_id)).toBe(Number(old.c8.homeroom_staff_id));
    expect(await srv.db('classes').where({ school_year_id: newId }).where('grade', '>', 9).first()).toBeUndefined();
    const grads = await srv.db('students').whereIn('id', graduating).select('status');
    expect(new Set(grads.map((g) => g.status))).toEqual(new Set(['graduated']));
    const lastEnrolments = await srv.db('enrolments').where({ class_id: old.n9.id }).select('end_date', 'status');
    expect(lastEnrolments.every((e) => e.end_date === '2027-05-31')).toBe(true);
    expect(await srv.db('enrolments').whereIn('student_id', graduating).where({ school_year_id: newId }).first()).toBeUndefined();
    // Everyone not graduating has exactly one active enrolment in the new year.
    expect(await count('enrolments')).toBe(enrolmentsBefore + res.body.counts.students);

    // Teaching assignments follow the class when the subject is taught in the new grade.
    const oldA1Assignments = await srv.db('teaching_assignments').where({ class_id: old.a1.id }).select('subject_id', 'staff_id');
    const newA1Assignments = await srv.db('teaching_assignments').where({ class_id: new7A1.id }).select('subject_id', 'staff_id');
    const pairs = (rows: { subject_id: number; staff_id: number }[]) => rows.map((r) => `${r.subject_id}:${r.staff_id}`).sort();
    expect(pairs(newA1Assignments)).toEqual(pairs(oldA1Assignments.filter((a) => Number(a.subject_id) !== onlyGrade6Subject)));
    expect(newA1Assignments.length).toBe(oldA1Assignments.length - 1);

    const event = await srv.db('audit_events').where({ action: 'carry-over', entity: 'school-years', entity_id: String(newId) }).first();
    expect(JSON.parse(event.after)).toMatchObject({ from: { name: '2026-2027' }, to: { name: '2027-2028' }, heldBack: [Number(heldBack.id)] });
    expect(event.username).toBe('giaovu');
    const verify = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
    expect((await verify.get('/api/audit-events/verify')).body.ok).toBe(true);

    // Running it again for the same target year is refused, dry run or not, and changes nothing.
    const before = await snapshot();
    const again = await giaovu.post('/api/carry-over', { fromSchoolYearId: fromId, ...NEXT });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Năm học 2027-2028 đã có (đã kết chuyển hoặc đã tạo), không kết chuyển lần nữa.');
    expect((await pht.post('/api/carry-over', { fromSchoolYearId: fromId, ...NEXT, dryRun: true })).status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });
});
