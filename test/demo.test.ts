import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Before the passwords module loads: argon2 at production cost would make this file crawl.
vi.hoisted(() => {
  process.env.ARGON2_MEMORY_KIB = '1024';
});

import { ROLES } from '../domain/permissions';
import { searchKey } from '../domain/text';
import { verifyPassword } from '../server/auth/passwords';
import { createSecretBox } from '../server/auth/secret-box';
import { parseJsonArray, toBool } from '../server/db/knex';
import { DEMO_USERNAMES, usernameFor } from '../server/demo/accounts';
import { schoolYearOf } from '../domain/school-year';
import { generateDemoSchool } from '../server/demo/generate';
import { seedDemoScores } from '../server/demo/scores';
import { DEMO_PASSWORD, seedDemo, type DemoAccount } from '../server/demo/seed';
import { freshDatabase, testDatabases, type FreshDb } from './helpers/databases';

type Row = Record<string, any>;

/** The 2018 curriculum for grades 6–9 (periods per year) and the TT22 Điều 5 assessment type. */
const CURRICULUM: Record<string, [string, Record<string, number>]> = {
  'NGU-VAN': ['scored', { 6: 140, 7: 140, 8: 140, 9: 140 }],
  TOAN: ['scored', { 6: 140, 7: 140, 8: 140, 9: 140 }],
  'TIENG-ANH': ['scored', { 6: 105, 7: 105, 8: 105, 9: 105 }],
  GDCD: ['scored', { 6: 35, 7: 35, 8: 35, 9: 35 }],
  'LS-DL': ['scored', { 6: 105, 7: 105, 8: 105, 9: 105 }],
  KHTN: ['scored', { 6: 140, 7: 140, 8: 140, 9: 140 }],
  'CONG-NGHE': ['scored', { 6: 35, 7: 35, 8: 52, 9: 52 }],
  'TIN-HOC': ['scored', { 6: 35, 7: 35, 8: 35, 9: 35 }],
  GDTC: ['comment', { 6: 70, 7: 70, 8: 70, 9: 70 }],
  'AM-NHAC': ['comment', { 6: 35, 7: 35, 8: 35, 9: 35 }],
  'MI-THUAT': ['comment', { 6: 35, 7: 35, 8: 35, 9: 35 }],
  'HDTN-HN': ['comment', { 6: 105, 7: 105, 8: 105, 9: 105 }],
  GDDP: ['comment', { 6: 35, 7: 35, 8: 35, 9: 35 }],
};

const isNfc = (s: string | null) => s === null || s === s.normalize('NFC');

describe('generateDemoSchool', () => {
  it('is deterministic: the same seed gives the same school, another seed other people', () => {
    const a = generateDemoSchool({ seed: 7 });
    expect(generateDemoSchool({ seed: 7 })).toEqual(a);
    const b = generateDemoSchool({ seed: 8 });
    expect(b.students.map((s) => s.fullName)).not.toEqual(a.students.map((s) => s.fullName));
    expect(b.staff.map((s) => s.fullName)).not.toEqual(a.staff.map((s) => s.fullName));
    // The structure does not depend on the seed, only the people do.
    expect(b.classes.map((c) => c.name)).toEqual(a.classes.map((c) => c.name));
  });

  it('scales classes with the student count, 35–45 a class, at least two per grade', () => {
    const big = generateDemoSchool({ students: 2000 });
    expect(big.students).toHaveLength(2000);
    const sizes = big.classes.map((_, ci) => big.enrolments.filter((e) => e.classIndex === ci).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(45);
    const small = generateDemoSchool({ students: 40 });
    for (const g of [6, 7, 8, 9]) expect(small.classes.filter((c) => c.grade === g).length).toBeGreaterThanOrEqual(2);
  });

  it('gives every teacher a reasonable weekly load (at most 19 periods, the THCS norm)', () => {
    for (const students of [320, 2000]) {
      const d = generateDemoSchool({ students });
      const load = new Map<number, number>();
      for (const a of d.teachingAssignments) {
        const periods = d.subjects.find((s) => s.code === a.subjectCode)!.periodsPerYear[String(d.classes[a.classIndex].grade)];
        load.set(a.staffIndex, (load.get(a.staffIndex) ?? 0) + periods / 35);
      }
      expect(Math.max(...load.values())).toBeLessThanOrEqual(19);
    }
  });

  it('makes usernames from the given name and initials, without diacritics', () => {
    expect(usernameFor('Nguyễn Thị Lan')).toBe('lan.nt');
    expect(usernameFor('Đặng Thị Ngọc Ánh')).toBe('anh.dtn');
  });

  it('follows the school year it is given', () => {
    const d = generateDemoSchool({ schoolYear: '2027-2028' });
    expect(d.schoolYear).toEqual({ name: '2027-2028', startDate: '2027-09-05', endDate: '2028-05-31' });
    expect(d.students[0].birthDate.slice(0, 4)).toBe('2016'); // 6A1, first grade at six
    expect(() => generateDemoSchool({ schoolYear: '2027-2029' })).toThrow();
  });

  it('names the school year of a date: September opens it, August still closes the last one', () => {
    expect(schoolYearOf('2026-11-30')).toBe('2026-2027');
    expect(schoolYearOf('2027-08-31')).toBe('2026-2027');
    expect(schoolYearOf('2027-09-01')).toBe('2027-2028');
    expect(schoolYearOf('2027-01-01')).toBe('2026-2027');
  });
});

describe.each(testDatabases())('the demo grade book of another year on %s', (kind) => {
  let fresh: FreshDb;
  afterAll(async () => {
    await fresh?.drop();
  });

  it('enters the autumn scores and midterm dates of that year, not of 2026', async () => {
    fresh = await freshDatabase(kind);
    await seedDemo(fresh.db, { secretBox: createSecretBox('demo-test-secret-0123456789-0123456789'), students: 80, schoolYear: '2028-2029' });
    expect(await seedDemoScores(fresh.db)).toBeGreaterThan(0);
    const scores = (await fresh.db('assessment_scores').select('first_entered_at')) as Row[];
    expect(new Set(scores.map((r) => String(r.first_entered_at).slice(0, 7)))).toEqual(new Set(['2028-09', '2028-10', '2028-11']));
    const dates = (await fresh.db('test_dates').distinct('test_date')) as Row[];
    expect(dates.map((d) => String(d.test_date).slice(0, 10))).toEqual(['2028-10-28']);
  });
});

describe.each(testDatabases())('seedDemo on %s', (kind) => {
  const box = createSecretBox('demo-test-secret-0123456789-0123456789');
  let fresh: FreshDb;
  let accounts: DemoAccount[];
  const all = (table: string) => fresh.db(table).select() as Promise<Row[]>;

  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    accounts = await seedDemo(fresh.db, { secretBox: box });
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('seeds one THCS school with its current year, two semesters, grades 6–9, ≥ 8 classes, ≥ 25 staff, ≥ 300 students', async () => {
    const [school] = await all('schools');
    expect(school).toMatchObject({ code: 'THCS-KP', name: 'Trường THCS Khánh Phú', level: 'THCS', province: 'Ninh Bình' });
    const years = await all('school_years');
    expect(years).toHaveLength(1);
    expect(years[0]).toMatchObject({ name: '2026-2027', start_date: '2026-09-05', end_date: '2027-05-31' });
    expect(toBool(years[0].is_current)).toBe(true);
    const semesters = (await all('semesters')).sort((a, b) => a.number - b.number);
    expect(semesters.map((s) => [s.number, s.start_date, s.end_date])).toEqual([
      [1, '2026-09-05', '2027-01-16'],
      [2, '2027-01-19', '2027-05-31'],
    ]);
    const classes = await all('classes');
    expect([...new Set(classes.map((c) => c.grade))].sort()).toEqual([6, 7, 8, 9]);
    expect(classes.length).toBeGreaterThanOrEqual(8);
    expect(classes.map((c) => c.name)).toContain('6A1');
    expect((await all('staff')).length).toBeGreaterThanOrEqual(25);
    expect((await all('students')).length).toBeGreaterThanOrEqual(300);
  });

  it('stores the curriculum: periods per year per grade and the assessment type of each subject', async () => {
    const subjects = await all('subjects');
    expect(Object.fromEntries(subjects.map((s) => [s.code, [s.assessment_type, JSON.parse(s.periods_per_year)]]))).toEqual(CURRICULUM);
    const departments = await all('departments');
    expect(departments.map((d) => d.name)).toContain('Tổ Văn phòng');
    expect(subjects.every((s) => departments.some((d) => d.id === s.department_id))).toBe(true);
  });

  it('gives every class × subject of its grade exactly one teacher, and the teachers their roles', async () => {
    const [classes, subjects, assignments, users, roles] = await Promise.all(['classes', 'subjects', 'teaching_assignments', 'users', 'user_roles'].map(all));
    const expected = classes.flatMap((c) =>
      subjects.filter((s) => JSON.parse(s.periods_per_year)[String(c.grade)] > 0).map((s) => `${c.id}:${s.id}`),
    );
    expect(assignments.map((a) => `${a.class_id}:${a.subject_id}`).sort()).toEqual(expected.sort());
    const rolesOfStaff = (staffId: number) => {
      const user = users.find((u) => u.staff_id === staffId);
      return roles.filter((r) => r.user_id === user?.id).map((r) => r.role);
    };
    for (const staffId of new Set(assignments.map((a) => a.staff_id))) expect(rolesOfStaff(staffId)).toContain('subject_teacher');
    for (const c of classes) expect(rolesOfStaff(c.homeroom_staff_id)).toContain('homeroom_teacher');
    expect(new Set(classes.map((c) => c.homeroom_staff_id)).size).toBe(classes.length);
  });

  it('enrols every student in exactly one class, of the grade their birth year fits', async () => {
    const [students, enrolments, classes] = await Promise.all(['students', 'enrolments', 'classes'].map(all));
    const byStudent = new Map<number, Row[]>();
    for (const e of enrolments) byStudent.set(e.student_id, [...(byStudent.get(e.student_id) ?? []), e]);
    for (const s of students) {
      const own = byStudent.get(s.id) ?? [];
      expect(own).toHaveLength(1);
      expect(own[0].status).toBe('active');
      const grade = classes.find((c) => c.id === own[0].class_id)!.grade;
      expect(Number(s.birth_date.slice(0, 4))).toBe(2026 - grade - 5);
    }
    const sizes = classes.map((c) => enrolments.filter((e) => e.class_id === c.id).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(45);
  });

  it('gives everyone a unique, well-formed 12-digit personal ID', async () => {
    const people = [...(await all('staff')), ...(await all('students'))];
    const ids = people.map((p) => p.national_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of people) {
      expect(p.national_id).toMatch(/^(001|035|036|037|038)[0-3]\d{8}$/);
      const year = Number(p.birth_date.slice(0, 4));
      const sexDigit = (year >= 2000 ? 2 : 0) + (p.sex === 'female' ? 1 : 0);
      expect(p.national_id.slice(3, 6)).toBe(`${sexDigit}${String(year % 100).padStart(2, '0')}`);
    }
  });

  it('fills the identity page of the transcript: quê quán and both parents\' occupations, in NFC', async () => {
    const students = await all('students');
    for (const st of students) {
      expect(st.home_town).toMatch(/^(xã|phường) .+, (Ninh Bình|Nam Định|Hà Nam|Thanh Hóa|Hà Nội)$/);
      expect(st.father_occupation).toBeTruthy();
      expect(st.mother_occupation).toBeTruthy();
      expect([st.home_town, st.father_occupation, st.mother_occupation].every(isNfc)).toBe(true);
    }
    // Not one value for all: a demo where every parent farms would hide a broken column.
    expect(new Set(students.map((st) => st.father_occupation)).size).toBeGreaterThan(3);
    expect(students.filter((st) => st.home_town.endsWith('Ninh Bình')).length).toBeGreaterThan(students.length / 2);
  });

  it('writes every text in NFC and the search keys of the searchable fields', async () => {
    const [school] = await all('schools');
    const [departments, subjects, staff, classes, students, users] = await Promise.all(['departments', 'subjects', 'staff', 'classes', 'students', 'users'].map(all));
    const texts = [
      school.name,
      school.address,
      ...departments.map((d) => d.name),
      ...subjects.map((s) => s.name),
      ...staff.map((s) => s.full_name),
      ...users.map((u) => u.full_name),
      ...students.flatMap((s) => [s.full_name, s.father_name, s.mother_name, s.address, s.place_of_birth, s.ethnicity]),
    ];
    expect(texts.filter((t) => !isNfc(t))).toEqual([]);
    for (const d of departments) expect(d.search_text).toBe(searchKey(d.name, d.code));
    for (const s of subjects) expect(s.search_text).toBe(searchKey(s.name, s.code));
    for (const s of staff) expect(s.search_text).toBe(searchKey(s.full_name));
    for (const c of classes) expect(c.search_text).toBe(searchKey(c.name));
    for (const s of students) expect(s.search_text).toBe(searchKey(s.full_name, s.student_code));
    for (const u of users) expect(u.search_text).toBe(searchKey(u.username, u.full_name));
  });

  it('gives every staff member one account and every role of domain/permissions to at least one account', async () => {
    const [staff, users, roles] = await Promise.all(['staff', 'users', 'user_roles'].map(all));
    expect(users.filter((u) => u.staff_id !== null).map((u) => u.staff_id).sort()).toEqual(staff.map((s) => s.id).sort());
    expect(new Set(roles.map((r) => r.role))).toEqual(new Set(ROLES));
    const plain = users.filter((u) => u.staff_id !== null && !Object.values(DEMO_USERNAMES).includes(u.username));
    for (const u of plain) expect(u.username).toMatch(/^[a-z]+\.[a-z]+\d*$/);
  });

  it('returns one memorable demo account per role, usable at once with the shared demo password', async () => {
    expect(accounts.map((a) => [a.role, a.username])).toEqual(ROLES.map((r) => [r, DEMO_USERNAMES[r]]));
    const [school] = await all('schools');
    for (const a of accounts) {
      const user = (await fresh.db('users').where({ username: a.username }).first()) as Row;
      expect(a.password).toBe(DEMO_PASSWORD);
      expect(await verifyPassword(user.password_hash, a.password)).toBe(true);
      expect(toBool(user.must_change_password)).toBe(false);
      expect(user.full_name).toBe(a.fullName);
      const grants = (await fresh.db('user_roles').where({ user_id: user.id })) as Row[];
      expect(grants.map((g) => g.role)).toContain(a.role);
      expect(grants.every((g) => g.school_id === school.id)).toBe(true);
      // TOTP is pre-enrolled exactly for the roles that require it, sealed with the server's secret box.
      if (a.role === 'admin' || a.role === 'principal') {
        expect(a.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
        expect(toBool(user.totp_enabled)).toBe(true);
        expect(box.open(user.totp_secret)).toBe(a.totpSecret);
      } else {
        expect(a.totpSecret).toBeUndefined();
        expect(toBool(user.totp_enabled)).toBe(false);
      }
    }
  });

  it('scopes the demo accounts as roles.md describes', async () => {
    const grantOf = async (username: string) =>
      (await fresh.db('user_roles').join('users', 'users.id', 'user_roles.user_id').where('users.username', username).select('user_roles.*', 'users.school_id as home_school')) as Row[];
    const departments = await all('departments');
    const codeOf = (id: number) => departments.find((d) => d.id === id)?.code;

    const [vp] = await grantOf('phohieutruong');
    expect(toBool(vp.manage_accounts)).toBe(true);
    expect(parseJsonArray<number>(vp.department_ids).map(codeOf)).toEqual(['TOAN-TIN', 'KHTN-CN']);
    expect(parseJsonArray<number>(vp.grades)).toEqual([6, 7]);
    const others = (await all('user_roles')).filter((r) => r.role === 'vice_principal' && r.id !== vp.id);
    expect(others).toHaveLength(1);
    expect(toBool(others[0].manage_accounts)).toBe(false);
    expect(parseJsonArray<number>(others[0].grades)).toEqual([8, 9]);

    const head = (await grantOf('totruong')).find((g) => g.role === 'department_head')!;
    expect(codeOf(head.department_id)).toBe('TOAN-TIN');
    expect((await grantOf('gvbm')).map((g) => g.role)).toEqual(['subject_teacher']);
    const [student] = await grantOf('hocsinh');
    expect(student.student_id).not.toBeNull();
    const [office] = await grantOf('phonggd');
    expect(office.home_school).toBeNull();
    expect(office.role).toBe('education_office');
  });

  it('adds nothing when run again', async () => {
    const tables = ['schools', 'staff', 'students', 'enrolments', 'teaching_assignments', 'users', 'user_roles'];
    const count = async () => Promise.all(tables.map(async (t) => Number(((await fresh.db(t).count({ n: '*' }).first()) as Row).n)));
    const before = await count();
    expect(await seedDemo(fresh.db, { secretBox: box, students: 50, seed: 1 })).toEqual([]);
    expect(await count()).toEqual(before);
  });
});
