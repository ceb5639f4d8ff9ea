import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regularAssessmentCount } from '../domain/assessment-count';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** Yesterday's date in Vietnam (UTC+7): a periodic test that has taken place, its entry window still open. */
const yesterdayVn = () => new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
const q = (o: Record<string, unknown>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();

describe.each(testDatabases())('computed results on %s', (kind) => {
  let srv: TestServer;
  let gvcn: Client;
  let principal: Client;
  let admin: Client;
  let giaovu: Client;
  let gvbm: Client;
  let vp: Client;
  let yearId: number;
  let s1: number;
  let s2: number;
  let classId: number;
  let otherClassId: number;
  let grade8ClassId: number;
  let subjects: Array<{ id: number; code: string; assessment_type: string; periods_per_year: string; regular_assessments_override: number | null }>;
  let adminUserId: number;
  let schoolId: number;
  // Five students of 6A1, each with a story: excellent, very good, 46 absences, conduct CĐ, learning CĐ.
  let excellent: number, veryGood: number, absent: number, conductFail: number, learningFail: number;

  const subject = (code: string) => subjects.find((s) => s.code === code)!;
  const regularCount = (code: string) => {
    const s = subject(code);
    return regularAssessmentCount(JSON.parse(s.periods_per_year)['6'], s.regular_assessments_override);
  };

  /** Every cell of a subject in a semester set to one value, written straight into the grade book's table. */
  async function fillSubject(studentId: number, code: string, semesterId: number, value: string) {
    const s = subject(code);
    const scored = s.assessment_type === 'scored';
    const now = new Date().toISOString();
    const base = { school_id: schoolId, semester_id: semesterId, class_id: classId, subject_id: s.id, student_id: studentId, first_entered_at: now, entered_by: adminUserId, updated_at: now, updated_by: adminUserId, version: 1 };
    const values = { score: scored ? value : null, grade_text: scored ? null : value };
    const rows = [
      ...Array.from({ length: regularCount(code) }, (_, i) => ({ ...base, kind: 'regular', seq: i + 1, ...values })),
      { ...base, kind: 'midterm', seq: 1, ...values },
      { ...base, kind: 'final', seq: 1, ...values },
    ];
    await srv.db('assessment_scores').insert(rows);
  }

  /** A whole year for one student: `scores` per scored subject (both semesters) unless overridden, comments Đ. */
  async function fillYear(studentId: number, usual: string, overrides: Record<string, string> = {}, skip: string[] = []) {
    for (const s of subjects) {
      if (skip.includes(s.code)) continue;
      for (const sem of [s1, s2]) await fillSubject(studentId, s.code, sem, s.assessment_type === 'scored' ? (overrides[s.code] ?? usual) : 'D');
    }
  }

  const summary = (c: Client, params: Record<string, unknown> = {}) => c.get(`/api/results/class-summary?${q({ classId, schoolYearId: yearId, ...params })}`);
  const rowOf = (body: { rows: Array<{ student: { id: number } }> }, id: number) => body.rows.find((r) => r.student.id === id) as any;

  beforeAll(async () => {
    srv = await startServer(kind);
    const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
    [gvcn, principal, admin, giaovu, gvbm, vp] = await Promise.all(
      ['homeroom_teacher', 'principal', 'admin', 'academic_staff', 'subject_teacher', 'vice_principal'].map(login),
    );
    const year = await srv.db('school_years').where({ is_current: true }).first('id', 'school_id');
    yearId = Number(year.id);
    schoolId = Number(year.school_id);
    s1 = Number((await srv.db('semesters').where({ school_year_id: yearId, number: 1 }).first('id')).id);
    s2 = Number((await srv.db('semesters').where({ school_year_id: yearId, number: 2 }).first('id')).id);
    const cls = async (name: string) => Number((await srv.db('classes').where({ name, school_year_id: yearId }).first('id')).id);
    [classId, otherClassId, grade8ClassId] = await Promise.all([cls('6A1'), cls('6A2'), cls('8A1')]);
    adminUserId = Number((await srv.db('users').where({ username: 'admin' }).first('id')).id);
    // Tin học taught with three regular assessments: (8+8+8 + 2·9 + 3·8)/8 = 8.25, which TT22 rounds to 8.3.
    await srv.db('subjects').where({ code: 'TIN-HOC' }).update({ regular_assessments_override: 3 });
    subjects = await srv.db('subjects').orderBy('id').select('id', 'code', 'assessment_type', 'periods_per_year', 'regular_assessments_override');
    const roster = (await srv.db('enrolments').where({ class_id: classId, status: 'active' }).orderBy('student_id').select('student_id')).map((r) => Number(r.student_id));
    [excellent, veryGood, absent, conductFail, learningFail] = roster;
  });
  afterAll(async () => srv?.close());

  it('recomputes a student’s stored results inside the grade-book save, with TT22 half-up rounding (8.25 → 8.3)', async () => {
    const tin = subject('TIN-HOC').id;
    for (const k of ['midterm', 'final']) {
      const r = await gvcn.put('/api/gradebook/test-dates', { classId, subjectId: tin, semesterId: s1, kind: k, testDate: yesterdayVn() });
      expect(r.status).toBe(200);
    }
    const cells = (studentId: number, regular: string[], midterm: string, final: string) => [
      ...regular.map((value, i) => ({ studentId, kind: 'regular', seq: i + 1, value, version: 0 })),
      { studentId, kind: 'midterm', seq: 1, value: midterm, version: 0 },
      { studentId, kind: 'final', seq: 1, value: final, version: 0 },
    ];
    const saved = await gvcn.put('/api/gradebook', {
      classId,
      subjectId: tin,
      semesterId: s1,
      cells: [
        ...cells(excellent, ['8', '8', '8'], '9', '8'),
        ...cells(veryGood, ['8', '8', '8'], '8', '8'),
        ...cells(absent, ['7', '7', '7'], '7', '7'),
        ...cells(conductFail, ['7', '7', '7'], '7', '7'),
        ...cells(learningFail, ['7', '7', '7'], '7', '7'),
      ],
    });
    expect(saved.status).toBe(200);
    const sheet = await summary(gvcn, { semester: 1 });
    expect(sheet.status).toBe(200);
    expect(sheet.body.subjects.map((s: { code: string }) => s.code)).toContain('TIN-HOC');
    expect(rowOf(sheet.body, excellent).subjects['TIN-HOC']).toEqual({ hk1: '8.3' });
    expect(rowOf(sheet.body, veryGood).subjects['TIN-HOC']).toEqual({ hk1: '8' });
    // The other subjects are not entered yet: no learning result for the semester, no guess.
    expect(rowOf(sheet.body, excellent).learning).toEqual({ hk1: null });
  });

  it('computes the year: averages, promotion, 46 absences, summer training, retest list and awards', async () => {
    const tinHk2 = async (id: number, v: string) => fillSubject(id, 'TIN-HOC', s2, v);
    // Excellent: 9 everywhere (Tin học semester I came from the grid: 8.3).
    await fillYear(excellent, '9', {}, ['TIN-HOC']);
    await tinHk2(excellent, '9');
    await fillYear(veryGood, '8', {}, ['TIN-HOC']);
    await tinHk2(veryGood, '8');
    // Learning Chưa đạt too, but over the absence limit: held back without a retest.
    await fillYear(absent, '7', { TOAN: '3', 'NGU-VAN': '3' }, ['TIN-HOC']);
    await tinHk2(absent, '7');
    await fillYear(conductFail, '7', {}, ['TIN-HOC']);
    await tinHk2(conductFail, '7');
    // Toán 4.0 and KHTN 3.0: Chưa đạt (one subject under 3.5, two under 5.0, so no Điều 9.3 lift).
    await fillYear(learningFail, '7', { TOAN: '4', KHTN: '3' }, ['TIN-HOC']);
    await tinHk2(learningFail, '7');

    const conduct = (semesterId: number, rows: Array<[number, string, number, number]>) =>
      gvcn.put('/api/gradebook/conduct', {
        classId,
        semesterId,
        rows: rows.map(([studentId, level, excused, unexcused]) => ({ studentId, conduct: level, absencesExcused: excused, absencesUnexcused: unexcused, homeroomComment: null, version: 0 })),
      });
    const c1 = await conduct(s1, [
      [excellent, 'T', 0, 0],
      [veryGood, 'T', 2, 0],
      [absent, 'T', 20, 6],
      [conductFail, 'K', 1, 1],
      [learningFail, 'T', 0, 0],
    ]);
    expect(c1.status).toBe(200);
    const c2 = await conduct(s2, [
      [excellent, 'T', 0, 0],
      [veryGood, 'T', 0, 0],
      [absent, 'T', 20, 0],
      [conductFail, 'CD', 0, 3],
      [learningFail, 'T', 0, 0],
    ]);
    expect(c2.status).toBe(200);

    expect((await gvcn.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(403);
    const recomputed = await principal.post('/api/results/recompute', { schoolYearId: yearId });
    expect(recomputed.status).toBe(200);
    expect(recomputed.body.students).toBeGreaterThan(300);
    expect(typeof recomputed.body.ms).toBe('number');

    const sheet = await summary(gvcn);
    expect(sheet.status).toBe(200);
    const ex = rowOf(sheet.body, excellent);
    // (8.3 + 2·9)/3 = 8.7667 → 8.8, from the rounded semester average.
    expect(ex.subjects['TIN-HOC']).toEqual({ hk1: '8.3', hk2: '9', year: '8.8', retest: null, final: '8.8' });
    expect(ex.subjects.TOAN.year).toBe('9');
    expect(ex.subjects.GDTC).toEqual({ hk1: 'D', hk2: 'D', year: 'D', retest: null, final: 'D' });
    expect(ex.learning).toMatchObject({ hk1: 'T', hk2: 'T', year: 'T', final: 'T' });
    expect(ex.conduct).toEqual({ hk1: 'T', hk2: 'T', year: 'T', final: 'T' });
    expect(ex).toMatchObject({ decision: 'promoted', promoted: true, award: 'excellent', retestSubjects: [], summerTraining: false });

    expect(rowOf(sheet.body, veryGood)).toMatchObject({ decision: 'promoted', award: 'very_good', absences: 2 });

    const ab = rowOf(sheet.body, absent);
    expect(ab).toMatchObject({ absences: 46, decision: 'held_back', promoted: false, heldBackReasons: ['absences'], retestSubjects: [], summerTraining: false });
    expect(ab.learning.year).toBe('CD');

    const cf = rowOf(sheet.body, conductFail);
    expect(cf.conduct).toEqual({ hk1: 'K', hk2: 'CD', year: 'CD', final: 'CD' });
    expect(cf).toMatchObject({ summerTraining: true, decision: 'summer_training', promoted: null });

    const lf = rowOf(sheet.body, learningFail);
    expect(lf.learning.year).toBe('CD');
    expect(lf).toMatchObject({ decision: 'retest', retestSubjects: ['TOAN', 'KHTN'], summerTraining: false });

    expect(sheet.body.counts.learning).toMatchObject({ T: 2, K: 1, D: 0, CD: 2 });
    expect(sheet.body.counts.awards).toEqual({ excellent: 1, very_good: 1 });
    expect(sheet.body.counts.decisions).toMatchObject({ promoted: 2, held_back: 1, summer_training: 1, retest: 1 });
    // The other students of the class have nothing entered yet.
    expect(sheet.body.counts.learning.incomplete).toBe(sheet.body.rows.length - 5);
  });

  it('recomputes the year when a teacher corrects a mark in the grid', async () => {
    const tin = subject('TIN-HOC').id;
    const grid = await gvcn.get(`/api/gradebook?${q({ classId, subjectId: tin, semesterId: s1 })}`);
    const version = grid.body.rows.find((r: { student: { id: number } }) => r.student.id === veryGood).cells['regular:1'].version;
    const saved = await gvcn.put('/api/gradebook', { classId, subjectId: tin, semesterId: s1, cells: [{ studentId: veryGood, kind: 'regular', seq: 1, value: '10', version }] });
    expect(saved.status).toBe(200);
    // (10+8+8 + 2·8 + 3·8)/8 = 8.25 → 8.3; year (8.3 + 2·8)/3 = 8.1.
    const vg = rowOf((await summary(gvcn)).body, veryGood);
    expect(vg.subjects['TIN-HOC']).toMatchObject({ hk1: '8.3', hk2: '8', year: '8.1' });
    // The save took the other subjects from their stored rows; recomputing everything from the cells agrees.
    const stored = async () => ({
      subjects: await srv.db('student_subject_results').where({ class_id: classId }).orderBy(['student_id', 'subject_id']).select('student_id', 'subject_id', 'hk1', 'hk2', 'year', 'retest', 'final'),
      years: await srv.db('student_year_results').where({ class_id: classId }).orderBy('student_id').select('student_id', 'learning_hk1', 'learning_hk2', 'learning_year', 'learning_final', 'decision', 'award', 'missing'),
    });
    const afterSave = await stored();
    expect((await admin.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(200);
    expect(await stored()).toEqual(afterSave);
  });

  it('lets only the class’s readers see the summary sheet', async () => {
    expect((await summary(gvbm)).status).toBe(403); // teaches 6A1, but is not its homeroom teacher
    expect((await gvcn.get(`/api/results/class-summary?${q({ classId: otherClassId, schoolYearId: yearId })}`)).status).toBe(403);
    expect((await summary(vp)).status).toBe(200); // supervises grades 6–7
    expect((await vp.get(`/api/results/class-summary?${q({ classId: grade8ClassId, schoolYearId: yearId })}`)).status).toBe(403);
    expect((await summary(principal)).status).toBe(200);
    expect((await summary(giaovu)).status).toBe(200);
    const bad = await gvcn.get(`/api/results/class-summary?${q({ classId, schoolYearId: yearId, semester: 3 })}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.semester).toBeTruthy();
    expect((await gvcn.get(`/api/results/class-summary?${q({ classId, schoolYearId: yearId, extra: 1 })}`)).status).toBe(400);
  });

  it('takes a retest result only for a listed subject; it replaces that subject’s year result and the original stays', async () => {
    const toan = subject('TOAN').id;
    const khtn = subject('KHTN').id;
    const body = (studentId: number, subjectId: number, value: string) => ({ schoolYearId: yearId, studentId, subjectId, value });
    expect((await gvcn.post('/api/retest-results', body(learningFail, khtn, '6'))).status).toBe(403);
    const notListed = await giaovu.post('/api/retest-results', body(learningFail, subject('NGU-VAN').id, '6'));
    expect(notListed.status).toBe(400);
    expect(notListed.body.errors.subjectId).toMatch(/kiểm tra lại/);
    expect((await giaovu.post('/api/retest-results', body(absent, toan, '6'))).status).toBe(400); // 46 absences: no retest
    expect((await giaovu.post('/api/retest-results', body(excellent, toan, '6'))).status).toBe(400);
    const letter = await giaovu.post('/api/retest-results', body(learningFail, khtn, 'Đ'));
    expect(letter.status).toBe(400);
    expect(letter.body.errors.value).toBeTruthy();
    expect((await giaovu.post('/api/retest-results', body(learningFail, khtn, '6.25'))).status).toBe(400);

    const created = await giaovu.post('/api/retest-results', body(learningFail, khtn, '6,5'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ studentId: learningFail, subjectId: khtn, subjectCode: 'KHTN', value: '6.5', original: '3' });
    expect((await giaovu.post('/api/retest-results', body(learningFail, khtn, '7'))).status).toBe(409);

    const lf = rowOf((await summary(gvcn)).body, learningFail);
    expect(lf.subjects.KHTN).toEqual({ hk1: '3', hk2: '3', year: '3', retest: '6.5', final: '6.5' });
    expect(lf.subjects.TOAN).toEqual({ hk1: '4', hk2: '4', year: '4', retest: null, final: '4' });
    // Toán 4.0 stays, nothing under 3.5 now: Đạt after the retest (Điều 9.2), promoted.
    expect(lf.learning).toMatchObject({ year: 'CD', final: 'D' });
    expect(lf).toMatchObject({ decision: 'promoted', promoted: true });

    const mine = await gvcn.get(`/api/retest-results?filter=${encodeURIComponent(JSON.stringify({ schoolYearId: yearId }))}`);
    expect(mine.status).toBe(200);
    expect(mine.body.map((r: { id: number }) => r.id)).toEqual([created.body.id]);
    expect((await gvbm.get('/api/retest-results')).body).toEqual([]);
    expect((await gvcn.get(`/api/retest-results/${created.body.id}`)).body.value).toBe('6.5');
    expect((await gvbm.get(`/api/retest-results/${created.body.id}`)).status).toBe(403);

    // A mistyped result is removed (only by those who enter them) and entered again; the original year shows meanwhile.
    expect((await gvcn.delete(`/api/retest-results/${created.body.id}`)).status).toBe(403);
    const removed = await giaovu.request('DELETE', `/api/retest-results/${created.body.id}`, { reason: 'Nhập nhầm điểm' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: created.body.id, value: '6.5' });
    expect(rowOf((await summary(gvcn)).body, learningFail).subjects.KHTN).toEqual({ hk1: '3', hk2: '3', year: '3', retest: null, final: '3' });
    const again = await giaovu.post('/api/retest-results', body(learningFail, khtn, '7'));
    expect(again.status).toBe(201);
    expect(rowOf((await summary(gvcn)).body, learningFail).subjects.KHTN.final).toBe('7');
  });

  it('takes a summer-training result only for a student on that list; it replaces the year conduct', async () => {
    const body = (studentId: number, conduct: string) => ({ schoolYearId: yearId, studentId, conduct });
    expect((await principal.post('/api/summer-training-results', body(conductFail, 'D'))).status).toBe(403);
    const notListed = await admin.post('/api/summer-training-results', body(excellent, 'T'));
    expect(notListed.status).toBe(400);
    expect(notListed.body.errors.studentId).toBeTruthy();
    expect((await admin.post('/api/summer-training-results', body(conductFail, 'X'))).status).toBe(400);
    const created = await admin.post('/api/summer-training-results', body(conductFail, 'D'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ studentId: conductFail, conduct: 'D', original: 'CD' });
    expect((await admin.post('/api/summer-training-results', body(conductFail, 'K'))).status).toBe(409);
    const cf = rowOf((await summary(gvcn)).body, conductFail);
    expect(cf.conduct).toEqual({ hk1: 'K', hk2: 'CD', year: 'CD', final: 'D' });
    expect(cf).toMatchObject({ decision: 'promoted', promoted: true, summerTraining: true });
  });

  it('shows the lists, and only the principal approves them; a change after approval is flagged until re-approved', async () => {
    const lists = async (c: Client) => c.get(`/api/results/lists?${q({ schoolYearId: yearId, classId })}`);
    const now = await lists(gvcn);
    expect(now.status).toBe(200);
    const promotion = now.body.lists.promotion.items;
    expect(promotion.find((i: { studentId: number }) => i.studentId === absent)).toMatchObject({ decision: 'held_back', heldBackReasons: ['absences'] });
    expect(now.body.lists.retest.items).toEqual([expect.objectContaining({ studentId: learningFail, subjects: ['TOAN', 'KHTN'] })]);
    expect(now.body.lists.summer_training.items).toEqual([expect.objectContaining({ studentId: conductFail, conductYear: 'CD', afterSummerTraining: 'D' })]);
    expect(now.body.lists.awards.items.map((i: { studentId: number; award: string }) => [i.studentId, i.award])).toEqual(
      expect.arrayContaining([
        [excellent, 'excellent'],
        [veryGood, 'very_good'],
      ]),
    );
    expect(now.body.lists.awards.items).toHaveLength(2);
    expect(now.body.lists.promotion.approval).toBeNull();

    const approve = (c: Client, list: string) => c.post('/api/results/lists/approve', { schoolYearId: yearId, classId, list });
    for (const c of [gvcn, admin, vp, giaovu]) expect((await approve(c, 'promotion')).status).toBe(403);
    expect((await principal.post('/api/results/lists/approve', { schoolYearId: yearId, list: 'everything' })).status).toBe(400);

    // The rest of the class has nothing entered: no list can be approved, and the principal is told what is missing.
    const others = promotion.filter((i: { decision: string }) => i.decision === 'incomplete').map((i: { studentId: number }) => i.studentId);
    expect(others.length).toBeGreaterThan(20);
    expect(now.body.readiness).toMatchObject({ ready: false, incompleteStudents: others.length });
    const early = await approve(principal, 'awards');
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(`${others.length} học sinh còn thiếu dữ liệu`);
    expect(early.body.message).toContain(`6A1 – Ngữ văn HK I (${others.length} HS)`);
    expect(early.body.readiness.missing).toContainEqual({ className: '6A1', what: 'conduct', subjectName: null, semester: 'hk2', students: others.length });
    expect(Number((await srv.db('result_list_approvals').count('* as n').first())!.n)).toBe(0);
    // The class entered, but one student lacks one subject's semester II: that is enough to refuse, and it is named.
    for (const id of others) await fillYear(id, '7');
    const conductRows = (semester_id: number, ids: number[]) =>
      ids.map((student_id) => ({ school_id: schoolId, class_id: classId, semester_id, student_id, conduct: 'T', absences_excused: 0, absences_unexcused: 0, updated_by: adminUserId, updated_at: new Date().toISOString(), version: 1 }));
    await srv.db('conduct_records').insert([...conductRows(s1, others), ...conductRows(s2, others)]);
    await srv.db('assessment_scores').where({ student_id: others[0], semester_id: s2, subject_id: subject('LS-DL').id }).delete();
    expect((await principal.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(200);
    const almost = await approve(principal, 'promotion');
    expect(almost.status).toBe(409);
    expect(almost.body.message).toContain('1 học sinh còn thiếu dữ liệu');
    expect(almost.body.message).toContain('6A1 – Lịch sử và Địa lí HK II (1 HS)');
    await fillSubject(others[0], 'LS-DL', s2, '7');
    expect((await principal.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(200);
    expect((await lists(principal)).body.readiness).toMatchObject({ ready: true, incompleteStudents: 0, missing: [] });

    const first = await approve(principal, 'awards');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ list: 'awards', version: 1, classId });
    expect(first.body.items).toHaveLength(2);

    const approved = await lists(principal);
    expect(approved.body.lists.awards.approval).toMatchObject({ version: 1, differs: false });
    // A corrected mark takes the very-good student below Tốt: the approved awards list no longer matches.
    // Toán (8 + 2·5)/3 = 6.0 < 6.5: Khá, no award.
    await srv.db('assessment_scores').where({ student_id: veryGood, semester_id: s2, subject_id: subject('TOAN').id }).update({ score: '5' });
    expect((await principal.post('/api/results/recompute', { schoolYearId: yearId })).status).toBe(200);
    const changed = await lists(principal);
    expect(changed.body.lists.awards.items).toHaveLength(1);
    expect(changed.body.lists.awards.approval).toMatchObject({ version: 1, differs: true });
    const second = await approve(principal, 'awards');
    expect(second.body.version).toBe(2);
    expect((await lists(principal)).body.lists.awards.approval).toMatchObject({ version: 2, differs: false });

    // The whole school's lists: school-wide readers only.
    expect((await gvcn.get(`/api/results/lists?${q({ schoolYearId: yearId })}`)).status).toBe(403);
    const school = await principal.get(`/api/results/lists?${q({ schoolYearId: yearId })}`);
    expect(school.status).toBe(200);
    expect(school.body.lists.promotion.items.length).toBeGreaterThan(300);
    expect(school.body.lists.awards.approval).toBeNull(); // approvals are per scope: the class's is not the school's
  });

  it('records every approval and result entry in the audit trail', async () => {
    const events = (await principal.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ entity: ['result-lists', 'retest-results', 'summer-training-results'] }))}`)).body;
    expect(events.map((e: { entity: string; action: string }) => `${e.entity}:${e.action}`).sort()).toEqual(
      ['result-lists:approve', 'result-lists:approve', 'retest-results:create', 'retest-results:delete', 'retest-results:create', 'summer-training-results:create'].sort(),
    );
  });
});
