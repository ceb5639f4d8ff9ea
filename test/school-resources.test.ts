import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchKey } from '../domain/text';
import { verifyChain } from '../server/audit/audit-log';
import { nowIso } from '../server/db/knex';
import { DEMO_PASSWORD } from '../server/demo/seed';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

const q = (filter: Record<string, unknown>) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;

describe.each(testDatabases())('school resources on %s', (kind) => {
  let srv: TestServer;
  let giaovu: Client;
  let vanthu: Client;
  let yearId: number;
  let schoolId: number;
  /** A reference that belongs to another school (a second school inserted directly). */
  let foreign: { schoolId: number; departmentId: number; yearId: number };

  const login = (role: string) => new Client(srv.url).loginAs(accountFor(srv.accounts, role));
  /** Students with an active enrolment in one of `classIds` this (current) school year. */
  const rosterOf = async (classIds: number[]): Promise<number[]> =>
    (
      (await srv.db('enrolments').whereIn('class_id', classIds).where({ status: 'active', school_year_id: yearId }).select('student_id')) as {
        student_id: number;
      }[]
    )
      .map((r) => Number(r.student_id))
      .sort((a, b) => a - b);
  const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
  const classByName = async (name: string) => (await giaovu.get(`/api/classes${q({ name })}`)).body[0] as { id: number; grade: number };

  beforeAll(async () => {
    srv = await startServer(kind);
    [giaovu, vanthu] = await Promise.all([login('academic_staff'), login('records_clerk')]);
    const year = (await srv.db('school_years').where({ is_current: true }).first()) as { id: number; school_id: number };
    yearId = Number(year.id);
    schoolId = Number(year.school_id);
    const now = nowIso();
    const [other] = await srv
      .db('schools')
      .insert({ code: 'THCS-KHAC', name: 'Trường THCS Khác', level: 'THCS', created_at: now, updated_at: now })
      .returning('id');
    const otherId = Number(typeof other === 'object' ? other.id : other);
    const [dep] = await srv.db('departments').insert({ school_id: otherId, code: 'TOAN', name: 'Tổ Toán', search_text: 'to toan' }).returning('id');
    const [yr] = await srv
      .db('school_years')
      .insert({ school_id: otherId, name: '2026-2027', start_date: '2026-09-05', end_date: '2027-05-31', is_current: true })
      .returning('id');
    foreign = {
      schoolId: otherId,
      departmentId: Number(typeof dep === 'object' ? dep.id : dep),
      yearId: Number(typeof yr === 'object' ? yr.id : yr),
    };
  });
  afterAll(async () => srv?.close());

  it('academic staff creates and edits a class; the school level bounds its grade; the audit row is written', async () => {
    const created = await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 6, name: '6A7' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schoolId, schoolYearId: yearId, grade: 6, name: '6A7', homeroomStaffId: null, studentCount: 0 });
    const teacher = (await srv.db('staff').where({ post: 'teacher', status: 'active' }).first('id')) as { id: number };
    const edited = await giaovu.put(`/api/classes/${created.body.id}`, { ...created.body, name: '6A8', homeroomStaffId: Number(teacher.id) });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: created.body.id, name: '6A8', homeroomStaffId: Number(teacher.id) });
    const audit = await srv.db('audit_events').where({ entity: 'classes', entity_id: String(created.body.id) }).orderBy('id').select('action');
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);

    // THCS: grades 6–9 only; a name is unique within the year.
    const tooHigh = await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 10, name: '10A1' });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.errors.grade).toContain('6, 7, 8, 9');
    const dup = await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 6, name: '6A8' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('6A8');
    // The read-only count follows the enrolments.
    const a1 = await classByName('6A1');
    expect((await giaovu.get(`/api/classes/${a1.id}`)).body.studentCount).toBe((await rosterOf([a1.id])).length);
  });

  it('academic staff creates and edits a subject; regular assessments follow the periods (TT22 Điều 7)', async () => {
    const created = await giaovu.post('/api/subjects', {
      code: 'TC-TOAN',
      name: 'Tự chọn Toán',
      assessmentType: 'scored',
      periodsPerYear: { '6': 35, '7': 36, '8': 70, '9': 71 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schoolId,
      code: 'TC-TOAN',
      name: 'Tự chọn Toán',
      departmentId: null,
      regularAssessmentsOverride: null,
      periodsPerYear: { '6': 35, '7': 36, '8': 70, '9': 71 },
      regularAssessments: { '6': 2, '7': 3, '8': 3, '9': 4 },
    });
    const edited = await giaovu.put(`/api/subjects/${created.body.id}`, { ...created.body, regularAssessmentsOverride: 2 });
    expect(edited.status).toBe(200);
    expect(edited.body.regularAssessments).toEqual({ '6': 2, '7': 2, '8': 2, '9': 2 });
    const stored = await srv.db('subjects').where({ id: created.body.id }).first('periods_per_year');
    expect(JSON.parse(stored.periods_per_year)).toEqual({ '6': 35, '7': 36, '8': 70, '9': 71 });

    const bad = await giaovu.put(`/api/subjects/${created.body.id}`, { regularAssessmentsOverride: 5, periodsPerYear: { '6': 0 } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['periodsPerYear.6', 'regularAssessmentsOverride']);
    const grade10 = await giaovu.post('/api/subjects', { code: 'X', name: 'X', assessmentType: 'comment', periodsPerYear: { '10': 35 } });
    expect(grade10.status).toBe(400);
    expect(Object.keys(grade10.body.errors)).toEqual(['periodsPerYear.10']);
  });

  it('stores a Vietnamese name NFC and finds it by q without diacritics', async () => {
    const nfd = 'Nguyễn Thị Ánh Tuyết'.normalize('NFD');
    const res = await giaovu.post('/api/students', {
      studentCode: 'HS-TEST-01',
      fullName: nfd,
      birthDate: '2014-03-08',
      sex: 'female',
      nationalId: '',
      placeOfBirth: 'Thanh Hóa'.normalize('NFD'),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fullName: 'Nguyễn Thị Ánh Tuyết'.normalize('NFC'),
      placeOfBirth: 'Thanh Hóa'.normalize('NFC'),
      nationalId: null,
      status: 'studying',
      classId: null,
      className: null,
      grade: null,
      schoolId,
    });
    const row = await srv.db('students').where({ id: res.body.id }).first('full_name', 'search_text');
    expect(row.full_name).toBe('Nguyễn Thị Ánh Tuyết'.normalize('NFC'));
    expect(row.search_text).toBe(searchKey('Nguyễn Thị Ánh Tuyết', 'HS-TEST-01'));

    const found = await giaovu.get(`/api/students${q({ q: 'nguyen anh tuyet' })}`);
    expect(found.status).toBe(200);
    expect(found.body.map((s: { id: number }) => s.id)).toContain(res.body.id);
    const nguyen = await giaovu.get(`/api/students${q({ q: 'nguyen' })}`);
    expect(nguyen.body.length).toBeGreaterThan(1);
    expect(nguyen.body.every((s: { fullName: string }) => searchKey(s.fullName).includes('nguyen'))).toBe(true);

    const edited = await giaovu.put(`/api/students/${res.body.id}`, { ...res.body, fatherName: 'Trần Văn Đức'.normalize('NFD'), nationalId: '038214001234' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ fatherName: 'Trần Văn Đức'.normalize('NFC'), nationalId: '038214001234', classId: null });
    // The transcript's identity page: quê quán and occupations, edited like any other field.
    const identity = await giaovu.put(`/api/students/${res.body.id}`, {
      ...edited.body,
      homeTown: 'xã Khánh Hòa, Ninh Bình'.normalize('NFD'),
      fatherOccupation: 'Làm ruộng',
      motherOccupation: 'Giáo viên',
      guardianOccupation: '',
    });
    expect(identity.status).toBe(200);
    expect(identity.body).toMatchObject({ homeTown: 'xã Khánh Hòa, Ninh Bình'.normalize('NFC'), fatherOccupation: 'Làm ruộng', motherOccupation: 'Giáo viên', guardianOccupation: null });
    expect(await srv.db('students').where({ id: res.body.id }).first('home_town', 'mother_occupation')).toEqual({ home_town: 'xã Khánh Hòa, Ninh Bình'.normalize('NFC'), mother_occupation: 'Giáo viên' });
    const dup = await giaovu.post('/api/students', { studentCode: 'HS-TEST-01', fullName: 'Lê Văn A', birthDate: '2014-01-01', sex: 'male' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors.studentCode).toContain('HS-TEST-01');
    // One person, one record: the same national ID on a second student is refused and nothing is created.
    const twin = await giaovu.post('/api/students', { studentCode: 'HS-TEST-02', fullName: 'Lê Văn B', birthDate: '2014-02-02', sex: 'male', nationalId: '038214001234' });
    expect(twin.status).toBe(409);
    expect(twin.body.errors.nationalId).toBe('Mã định danh 038214001234 đã thuộc về một học sinh khác của trường.');
    expect(await srv.db('students').where({ student_code: 'HS-TEST-02' }).first()).toBeUndefined();
  });

  it('filters students by classId and grade (the current year’s class)', async () => {
    const a1 = await classByName('6A1');
    const byClass = await giaovu.get(`/api/students${q({ classId: a1.id })}&range=[0,999]`);
    expect(byClass.status).toBe(200);
    expect(ids(byClass.body)).toEqual(await rosterOf([a1.id]));
    expect(byClass.body.every((s: { className: string; grade: number }) => s.className === '6A1' && s.grade === 6)).toBe(true);
    const byGrade = await giaovu.get(`/api/students${q({ grade: 9 })}&range=[0,4]`);
    const grade9 = (await srv.db('classes').where({ grade: 9, school_year_id: yearId }).select('id')).map((c) => Number(c.id));
    expect(byGrade.headers.get('content-range')).toBe(`students 0-4/${(await rosterOf(grade9)).length}`);
  });

  it('refuses a national ID already held by another staff member with 409 naming it', async () => {
    const existing = (await srv.db('staff').orderBy('id').first('national_id')) as { national_id: string };
    const dup = await vanthu.post('/api/staff', { fullName: 'Phạm Văn Bình', nationalId: existing.national_id, post: 'teacher' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe(`Mã định danh ${existing.national_id} đã thuộc về một cán bộ khác của trường.`);
    expect(dup.body.errors.nationalId).toContain(existing.national_id);
    expect(await srv.db('staff').where({ full_name: 'Phạm Văn Bình' }).first()).toBeUndefined();

    const ok = await vanthu.post('/api/staff', { fullName: 'Phạm Văn Bình', nationalId: '001099012345', post: 'teacher', sex: 'male' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'active', hasAccount: false, departmentId: null, email: null });
    const moved = await vanthu.put(`/api/staff/${ok.body.id}`, { nationalId: existing.national_id });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toContain(existing.national_id);
    const short = await vanthu.put(`/api/staff/${ok.body.id}`, { nationalId: '12345' });
    expect(short.status).toBe(400);
    expect(short.body.errors.nationalId).toBe('Mã định danh phải gồm đúng 12 chữ số.');
    // Staff with an account say so; a person anyone refers to cannot be deleted.
    const gvcnStaff = (await srv.db('users').where({ username: 'gvcn' }).first('staff_id')) as { staff_id: number };
    expect((await vanthu.get(`/api/staff/${gvcnStaff.staff_id}`)).body.hasAccount).toBe(true);
  });

  it('refuses bad dates with 400 and field errors', async () => {
    const backwards = await giaovu.post('/api/school-years', { name: '2027-2028', startDate: '2027-09-05', endDate: '2027-08-01' });
    expect(backwards.status).toBe(400);
    expect(Object.keys(backwards.body.errors)).toEqual(['endDate']);
    const notReal = await giaovu.post('/api/students', { studentCode: 'HS-X', fullName: 'Lê Văn A', birthDate: '2014-02-30', sex: 'male' });
    expect(notReal.status).toBe(400);
    expect(notReal.body.errors.birthDate).toBe('Ngày phải có dạng YYYY-MM-DD và là ngày có thật.');
    const mismatch = await giaovu.post('/api/school-years', { name: '2027-2028', startDate: '2026-09-05', endDate: '2027-05-31' });
    expect(mismatch.status).toBe(400);
    expect(Object.keys(mismatch.body.errors)).toEqual(['startDate']);
    const outside = await giaovu.post('/api/semesters', { schoolYearId: yearId, number: 1, startDate: '2026-08-01', endDate: '2026-12-31' });
    expect(outside.status).toBe(400);
    expect(outside.body.errors.startDate).toBeTruthy();
    const taken = await giaovu.post('/api/semesters', { schoolYearId: yearId, number: 2, startDate: '2027-01-19', endDate: '2027-05-31' });
    expect(taken.status).toBe(409);
    const three = await giaovu.post('/api/semesters', { schoolYearId: yearId, number: 3, startDate: '2027-01-19', endDate: '2027-05-31' });
    expect(three.status).toBe(400);
    expect(Object.keys(three.body.errors)).toEqual(['number']);
  });

  it('refuses a reference to another school’s row or to nothing with 400', async () => {
    const other = await giaovu.post('/api/subjects', { code: 'MY', name: 'Môn Y', assessmentType: 'scored', departmentId: foreign.departmentId });
    expect(other.status).toBe(400);
    expect(other.body.errors.departmentId).toBe('Dữ liệu tham chiếu thuộc trường khác.');
    const none = await giaovu.post('/api/subjects', { code: 'MY', name: 'Môn Y', assessmentType: 'scored', departmentId: 999999 });
    expect(none.status).toBe(400);
    expect(none.body.errors.departmentId).toBe('Dữ liệu tham chiếu không tồn tại.');
    const year = await giaovu.post('/api/classes', { schoolYearId: foreign.yearId, grade: 6, name: '6Z' });
    expect(year.status).toBe(400);
    expect(year.body.errors.schoolYearId).toBeTruthy();
    expect(await srv.db('subjects').where({ code: 'MY' }).first()).toBeUndefined();
  });

  it('refuses an unknown field with 400', async () => {
    const res = await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 7, name: '7A9', room: 'P101' });
    expect(res.status).toBe(400);
    expect(res.body.errors.room).toBe('Trường không được phép: room.');
    const put = await giaovu.put(`/api/subjects/${(await srv.db('subjects').first('id')).id}`, { colour: 'red' });
    expect(put.status).toBe(400);
    expect(put.body.errors.colour).toBeTruthy();
  });

  it('transfers a student out (ending the enrolment, once only) and back in', async () => {
    const c9 = await classByName('9A2');
    const [studentId] = await rosterOf([c9.id]);
    const out = await giaovu.post('/api/student-transfers', {
      studentId,
      direction: 'out',
      transferDate: '2026-11-20',
      otherSchool: 'Trường THCS Lê Lợi',
      reason: 'Gia đình chuyển nơi ở',
    });
    expect(out.status).toBe(201);
    expect(out.body).toMatchObject({ studentId, direction: 'out', classId: c9.id, schoolId });
    const enrolment = await srv.db('enrolments').where({ student_id: studentId, school_year_id: yearId }).first();
    expect(enrolment).toMatchObject({ status: 'left', end_date: '2026-11-20' });
    const student = (await giaovu.get(`/api/students/${studentId}`)).body;
    expect(student).toMatchObject({ status: 'transferred_out', classId: null, grade: null });

    const again = await giaovu.post('/api/student-transfers', { studentId, direction: 'out', transferDate: '2026-11-21' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Học sinh không còn đang học tại trường.');
    expect(await srv.db('student_transfers').where({ student_id: studentId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });

    const noClass = await giaovu.post('/api/student-transfers', { studentId, direction: 'in', transferDate: '2026-12-01' });
    expect(noClass.status).toBe(400);
    expect(noClass.body.errors.classId).toBe('Cần chọn lớp khi chuyển đến.');
    const back = await giaovu.post('/api/student-transfers', { studentId, direction: 'in', transferDate: '2026-12-01', classId: c9.id });
    expect(back.status).toBe(201);
    expect((await giaovu.get(`/api/students/${studentId}`)).body).toMatchObject({ status: 'studying', classId: c9.id, className: '9A2', grade: 9 });
    const twice = await giaovu.post('/api/student-transfers', { studentId, direction: 'in', transferDate: '2026-12-02', classId: c9.id });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('Học sinh đang có lớp trong năm học này.');
  });

  it('enrols a new student by transfer in, and one active enrolment per year only', async () => {
    const created = await giaovu.post('/api/students', { studentCode: 'HS-TEST-02', fullName: 'Hoàng Minh Khang', birthDate: '2013-06-01', sex: 'male' });
    const c8 = await classByName('8A1');
    const t = await giaovu.post('/api/student-transfers', {
      studentId: created.body.id,
      direction: 'in',
      transferDate: '2026-10-05',
      otherSchool: 'Trường THCS Nguyễn Du',
      classId: c8.id,
    });
    expect(t.status).toBe(201);
    const enrolments = await giaovu.get(`/api/enrolments${q({ studentId: created.body.id })}`);
    expect(enrolments.body).toEqual([
      expect.objectContaining({ classId: c8.id, schoolYearId: yearId, startDate: '2026-10-05', endDate: null, status: 'active', grade: 8 }),
    ]);
    const second = await giaovu.post('/api/enrolments', { classId: (await classByName('8A2')).id, studentId: created.body.id, startDate: '2026-10-06' });
    expect(second.status).toBe(409);
    expect(second.body.message).toBe('Học sinh đang có lớp trong năm học này.');
  });

  it('a change of post to "left" disables the account and its live session gets 401', async () => {
    const demo = srv.accounts.map((a) => a.username);
    const teacher = (await srv
      .db('users')
      .join('staff', 'staff.id', 'users.staff_id')
      .where('staff.post', 'teacher')
      .whereNotIn('users.username', demo)
      .orderBy('users.id')
      .first('users.username', 'users.id', 'users.staff_id')) as { username: string; id: number; staff_id: number };
    const session = new Client(srv.url);
    expect((await session.login(teacher.username, DEMO_PASSWORD)).status).toBe(200);
    expect((await session.get('/api/subjects')).status).toBe(200);

    const change = await vanthu.post('/api/staff-post-changes', { staffId: Number(teacher.staff_id), toPost: 'left', effectiveDate: '2026-11-30', note: 'Nghỉ hưu' });
    expect(change.status).toBe(201);
    expect(change.body).toMatchObject({ fromPost: 'teacher', toPost: 'left', toDepartmentId: null, effectiveDate: '2026-11-30' });
    expect((await session.get('/api/subjects')).status).toBe(401);
    expect((await srv.db('users').where({ id: teacher.id }).first('disabled')).disabled).toBeTruthy();
    expect((await vanthu.get(`/api/staff/${teacher.staff_id}`)).body.status).toBe('left');
    expect((await new Client(srv.url).login(teacher.username, DEMO_PASSWORD)).status).not.toBe(200);
    const disabling = await srv.db('audit_events').where({ entity: 'users', action: 'update', entity_id: String(teacher.id) }).first('action', 'reason', 'username', 'after');
    expect(disabling).toMatchObject({ reason: 'Nghỉ hưu', username: 'vanthu' });
    expect(JSON.parse(disabling.after)).toEqual({ disabled: true, endedSessions: 1 });

    // Marking someone as left on the staff record itself does the same.
    const [, other] = (await srv
      .db('users')
      .join('staff', 'staff.id', 'users.staff_id')
      .where({ 'staff.post': 'teacher', 'staff.status': 'active' })
      .whereNotIn('users.username', demo)
      .orderBy('users.id')
      .limit(2)
      .select('users.username', 'users.staff_id')) as { username: string; staff_id: number }[];
    const otherSession = new Client(srv.url);
    expect((await otherSession.login(other.username, DEMO_PASSWORD)).status).toBe(200);
    expect((await vanthu.put(`/api/staff/${other.staff_id}`, { status: 'left' })).status).toBe(200);
    expect((await otherSession.get('/api/subjects')).status).toBe(401);
    expect((await verifyChain(srv.db)).ok).toBe(true);

    // A change of post that is not leaving moves the person's post and department.
    const dept = (await srv.db('departments').where({ code: 'VAN-PHONG' }).first('id')) as { id: number };
    const staff = (await vanthu.post('/api/staff', { fullName: 'Đỗ Thị Hà', nationalId: '001199054321', post: 'teacher' })).body;
    const move = await vanthu.post('/api/staff-post-changes', { staffId: staff.id, toPost: 'academic_staff', toDepartmentId: Number(dept.id), effectiveDate: '2026-12-01' });
    expect(move.status).toBe(201);
    expect(move.body).toMatchObject({ fromPost: 'teacher', fromDepartmentId: null, toDepartmentId: Number(dept.id) });
    expect((await vanthu.get(`/api/staff/${staff.id}`)).body).toMatchObject({ post: 'academic_staff', departmentId: Number(dept.id), status: 'active' });
  });

  it('a homeroom teacher lists only their class’s students and edits only them', async () => {
    // A homeroom-only account (the demo's gvcn also teaches every class): a new teacher, a new class, two students.
    const staff = (await vanthu.post('/api/staff', { fullName: 'Vũ Thị Mai', nationalId: '001188011111', post: 'teacher' })).body;
    const cls = (await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 7, name: '7A5', homeroomStaffId: staff.id })).body;
    const studentIds: number[] = [];
    for (const [i, name] of ['Trịnh Văn Nam', 'Lý Thị Hoa'].entries()) {
      const s = (await giaovu.post('/api/students', { studentCode: `HS-7A5-${i}`, fullName: name, birthDate: '2013-02-02', sex: i ? 'female' : 'male' })).body;
      const e = await giaovu.post('/api/enrolments', { classId: cls.id, studentId: s.id, startDate: '2026-09-05' });
      expect(e.status).toBe(201);
      studentIds.push(s.id);
    }
    const gvcn = (await srv.db('users').where({ username: 'gvcn' }).first('password_hash')) as { password_hash: string };
    const now = nowIso();
    const [u] = await srv
      .db('users')
      .insert({
        school_id: schoolId,
        username: 'mai.vt',
        full_name: 'Vũ Thị Mai',
        search_text: 'vu thi mai',
        password_hash: gvcn.password_hash,
        staff_id: staff.id,
        must_change_password: false,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    await srv.db('user_roles').insert({ user_id: Number(typeof u === 'object' ? u.id : u), school_id: schoolId, role: 'homeroom_teacher' });
    const homeroom = new Client(srv.url);
    expect((await homeroom.login('mai.vt', DEMO_PASSWORD)).body.stage).toBe('ok');

    const list = await homeroom.get('/api/students');
    expect(list.status).toBe(200);
    expect(ids(list.body)).toEqual(studentIds.sort((a, b) => a - b));
    const mine = await homeroom.put(`/api/students/${studentIds[0]}`, { address: 'Thôn Đông, xã Hòa An' });
    expect(mine.status).toBe(200);
    const [someoneElse] = await rosterOf([(await classByName('6A1')).id]);
    expect((await homeroom.get(`/api/students/${someoneElse}`)).status).toBe(403);
    expect((await homeroom.put(`/api/students/${someoneElse}`, { address: 'x' })).status).toBe(403);

    // The demo gvcn may edit their own 6A1 students but not another class's, though they teach it.
    const gvcnClient = await login('homeroom_teacher');
    const a2 = await rosterOf([(await classByName('6A2')).id]);
    expect((await gvcnClient.put(`/api/students/${someoneElse}`, { phone: '0912345678' })).status).toBe(200);
    expect((await gvcnClient.put(`/api/students/${a2[0]}`, { phone: '0912345678' })).status).toBe(403);
  });

  it('a subject teacher lists only students of the classes they teach', async () => {
    const gvbm = await login('subject_teacher');
    const user = (await srv.db('users').where({ username: 'gvbm' }).first('staff_id')) as { staff_id: number };
    const taught = (await srv.db('teaching_assignments').where({ staff_id: user.staff_id, school_year_id: yearId }).distinct('class_id')).map((r) =>
      Number(r.class_id),
    );
    expect(taught.length).toBeGreaterThan(0);
    const res = await gvbm.get('/api/students?range=[0,999]');
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(await rosterOf(taught));
    expect(res.body.every((s: { classId: number }) => taught.includes(s.classId))).toBe(true);
  });

  it('a student account sees only its own record', async () => {
    const hocsinh = await login('student');
    const own = (await srv.db('users').where({ username: 'hocsinh' }).first('student_id')) as { student_id: number };
    const res = await hocsinh.get('/api/students');
    expect(res.status).toBe(200);
    expect(res.body.map((s: { id: number }) => s.id)).toEqual([Number(own.student_id)]);
    expect(res.headers.get('content-range')).toBe('students 0-0/1');
    const other = (await srv.db('students').whereNot({ id: own.student_id }).first('id')) as { id: number };
    expect((await hocsinh.get(`/api/students/${other.id}`)).status).toBe(403);
    expect((await hocsinh.get(`/api/students/${own.student_id}`)).status).toBe(200);
    expect((await hocsinh.get('/api/enrolments')).status).toBe(403);
  });

  it('a vice principal supervising grades sees only those grades', async () => {
    const vp = await login('vice_principal');
    const grades = JSON.parse(
      ((await srv.db('user_roles').join('users', 'users.id', 'user_roles.user_id').where('users.username', 'phohieutruong').first('grades')) as { grades: string })
        .grades,
    ) as number[];
    expect(grades.length).toBeGreaterThan(0);
    const res = await vp.get('/api/students?range=[0,999]');
    expect(res.status).toBe(200);
    const classIds = (await srv.db('classes').whereIn('grade', grades).where({ school_year_id: yearId }).select('id')).map((c) => Number(c.id));
    expect(ids(res.body)).toEqual(await rosterOf(classIds));
    expect(res.body.every((s: { grade: number }) => grades.includes(s.grade))).toBe(true);
    const outside = await rosterOf([(await classByName('9A1')).id]);
    expect((await vp.get(`/api/students/${outside[0]}`)).status).toBe(403);
    const enrolments = await vp.get('/api/enrolments?range=[0,999]');
    expect(enrolments.body.every((e: { grade: number }) => grades.includes(e.grade))).toBe(true);
  });

  it('lists teaching assignments with their read-only names and one teacher per class × subject', async () => {
    const a1 = await classByName('6A1');
    const res = await giaovu.get(`/api/teaching-assignments${q({ classId: a1.id })}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(5);
    expect(res.body[0]).toMatchObject({ classId: a1.id, grade: 6, className: '6A1', schoolYearId: yearId });
    const active = (await srv.db('staff').where({ status: 'active' }).select('id')).map((r) => Number(r.id));
    const first = res.body.find((a: { staffId: number }) => active.includes(a.staffId));
    const dup = await giaovu.post('/api/teaching-assignments', { classId: a1.id, subjectId: first.subjectId, staffId: first.staffId });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain(first.subjectName);
    const subject = (await giaovu.post('/api/subjects', { code: 'TC-VAN', name: 'Tự chọn Văn', assessmentType: 'comment', periodsPerYear: { '6': 35 } })).body;
    const ok = await giaovu.post('/api/teaching-assignments', { schoolYearId: yearId, classId: a1.id, subjectId: subject.id, staffId: first.staffId });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ subjectName: 'Tự chọn Văn', staffName: first.staffName, grade: 6 });
    // A teacher who has left cannot be given a class.
    const gone = (await srv.db('staff').where({ status: 'left' }).first('id')) as { id: number };
    const refused = await giaovu.put(`/api/teaching-assignments/${ok.body.id}`, { ...ok.body, staffId: Number(gone.id) });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors)).toEqual(['staffId']);
  });

  it('refuses to delete a referenced class with 409 and deletes nothing', async () => {
    const a1 = await classByName('6A1');
    const before = await rosterOf([a1.id]);
    const res = await giaovu.delete(`/api/classes/${a1.id}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Không thể xóa vì dữ liệu này đang được sử dụng ở nơi khác.');
    expect((await giaovu.get(`/api/classes/${a1.id}`)).status).toBe(200);
    expect(await rosterOf([a1.id])).toEqual(before);
    expect(await srv.db('audit_events').where({ entity: 'classes', action: 'delete' }).first()).toBeUndefined();
    const empty = (await giaovu.post('/api/classes', { schoolYearId: yearId, grade: 9, name: '9A9' })).body;
    const del = await giaovu.delete(`/api/classes/${empty.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: empty.id, name: '9A9' });
    expect((await giaovu.get(`/api/classes/${empty.id}`)).status).toBe(404);
  });

  it('keeps one current school year per school', async () => {
    const next = await giaovu.post('/api/school-years', { name: '2027-2028', startDate: '2027-09-05', endDate: '2028-05-31', isCurrent: true });
    expect(next.status).toBe(201);
    const current = async () => (await giaovu.get(`/api/school-years${q({ isCurrent: true })}`)).body.map((y: { id: number }) => y.id);
    expect(await current()).toEqual([next.body.id]);
    // The other school's current year is untouched.
    expect((await srv.db('school_years').where({ id: foreign.yearId }).first('is_current')).is_current).toBeTruthy();
    const back = await giaovu.put(`/api/school-years/${yearId}`, { isCurrent: true });
    expect(back.status).toBe(200);
    expect(await current()).toEqual([yearId]);
    const sem = await giaovu.post('/api/semesters', { schoolYearId: next.body.id, number: 2, startDate: '2028-01-10', endDate: '2028-05-31' });
    expect(sem.status).toBe(201);
    const overlapping = await giaovu.post('/api/semesters', { schoolYearId: next.body.id, number: 1, startDate: '2027-09-05', endDate: '2028-01-15' });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.errors.endDate).toContain('2028-01-09');
  });
});
