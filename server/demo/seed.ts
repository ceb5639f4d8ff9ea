import type { Knex } from 'knex';
import { ROLES, type Role } from '../../domain/permissions';
import { searchKey } from '../../domain/text';
import { hashPassword } from '../auth/passwords';
import type { SecretBox } from '../auth/secret-box';
import { nowIso, type Db } from '../db/knex';
import { generateDemoSchool, type DemoGrantSpec, type DemoSchool } from './generate';
import { insertReturningId } from '../core/records';
import { toRow as studentRow } from '../school/students';

/** What the demo hands out: one memorable account per role. */
export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  fullName: string;
  /** Base32, for an authenticator app (admin and principal must use TOTP). */
  totpSecret?: string;
}

export interface SeedDemoOptions {
  students?: number;
  seed?: number;
  /** The school's code (default THCS-KP): a second demo school in another database needs its own. */
  code?: string;
  secretBox: SecretBox;
  password?: string;
  /** `2026-2027` by default. */
  schoolYear?: string;
}

/** Published in the README and printed at start: a demo database holds no real data. */
export const DEMO_PASSWORD = 'Demo-2026-hocba';

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits, few round trips. */
const CHUNK = 200;

/**
 * Fills an empty database with a whole demo school in one transaction, and returns the demo accounts.
 * Does nothing (returns []) when the database already has a school, so it is safe to call at every start.
 */
export async function seedDemo(db: Db, options: SeedDemoOptions): Promise<DemoAccount[]> {
  if (await hasSchool(db)) return [];
  const data = generateDemoSchool({ students: options.students, seed: options.seed, schoolYear: options.schoolYear, code: options.code });
  const password = options.password ?? DEMO_PASSWORD;
  // DEMO ONLY: every demo account shares one password, hashed once and the hash reused — hashing it per account
  // would cost seconds of argon2 for nothing. Real accounts each get their own hash and must change a temporary
  // password; demo accounts skip that (must_change_password false) so the demo is usable at once.
  const passwordHash = await hashPassword(password);
  const now = nowIso();

  return db.transaction(async (trx) => {
    // Checked again inside the transaction: another process may have seeded since.
    if (await hasSchool(trx)) return [];
    return (await insertDemoSchool(trx, data, { password, passwordHash, secretBox: options.secretBox, now })).accounts;
  });
}

/**
 * Writes one generated school (demo/generate.ts) into the database and returns its id and its demo accounts. The
 * demo seeds one; the office's demo and benchmark (demo/office.ts) seed more, with their own codes and usernames.
 */
export async function insertDemoSchool(
  trx: Knex.Transaction,
  data: DemoSchool,
  options: { password: string; passwordHash: string; secretBox: SecretBox; now: string },
): Promise<{ schoolId: number; accounts: DemoAccount[] }> {
  const { password, passwordHash, now } = options;
  const schoolId = await insertReturningId(trx, 'schools', {
    code: data.school.code,
    name: data.school.name,
    level: data.school.level,
    province: data.school.province,
    district: data.school.district,
    address: data.school.address,
    phone: data.school.phone,
    email: data.school.email,
    principal_name: data.school.principalName,
    created_at: now,
    updated_at: now,
  });
  const schoolYearId = await insertReturningId(trx, 'school_years', {
    school_id: schoolId,
    name: data.schoolYear.name,
    start_date: data.schoolYear.startDate,
    end_date: data.schoolYear.endDate,
    is_current: true,
  });
  await insertChunks(
    trx,
    'semesters',
    data.semesters.map((s) => ({ school_id: schoolId, school_year_id: schoolYearId, number: s.number, start_date: s.startDate, end_date: s.endDate })),
  );

  const departmentIds = await insertWithIds(
    trx,
    'departments',
    'code',
    data.departments.map((d) => ({ school_id: schoolId, code: d.code, name: d.name, search_text: searchKey(d.name, d.code) })),
  );
  const subjectIds = await insertWithIds(
    trx,
    'subjects',
    'code',
    data.subjects.map((s) => ({
      school_id: schoolId,
      code: s.code,
      name: s.name,
      search_text: searchKey(s.name, s.code),
      assessment_type: s.assessmentType,
      department_id: departmentIds.get(s.departmentCode),
      periods_per_year: JSON.stringify(s.periodsPerYear),
      regular_assessments_override: null,
    })),
  );
  const staffIdByNationalId = await insertWithIds(
    trx,
    'staff',
    'national_id',
    data.staff.map((s) => ({
      school_id: schoolId,
      full_name: s.fullName,
      search_text: searchKey(s.fullName),
      national_id: s.nationalId,
      birth_date: s.birthDate,
      sex: s.sex,
      phone: s.phone,
      email: s.email,
      post: s.post,
      department_id: s.departmentCode ? departmentIds.get(s.departmentCode) : null,
      status: 'active',
      created_at: now,
      updated_at: now,
    })),
  );
  const staffId = (index: number) => staffIdByNationalId.get(data.staff[index].nationalId)!;
  const classIdByName = await insertWithIds(
    trx,
    'classes',
    'name',
    data.classes.map((c) => ({
      school_id: schoolId,
      school_year_id: schoolYearId,
      grade: c.grade,
      name: c.name,
      search_text: searchKey(c.name),
      homeroom_staff_id: staffId(c.homeroomStaffIndex),
    })),
  );
  const classId = (index: number) => classIdByName.get(data.classes[index].name)!;
  const studentIdByCode = await insertWithIds(
    trx,
    'students',
    'student_code',
    data.students.map((s) => ({
      school_id: schoolId,
      ...studentRow({ ...s, status: 'studying' }),
      created_at: now,
      updated_at: now,
    })),
  );
  const studentId = (index: number) => studentIdByCode.get(data.students[index].studentCode)!;
  await insertChunks(
    trx,
    'enrolments',
    data.enrolments.map((e) => ({
      school_id: schoolId,
      school_year_id: schoolYearId,
      class_id: classId(e.classIndex),
      student_id: studentId(e.studentIndex),
      start_date: e.startDate,
      end_date: null,
      status: 'active',
    })),
  );
  await insertChunks(
    trx,
    'teaching_assignments',
    data.teachingAssignments.map((a) => ({
      school_id: schoolId,
      school_year_id: schoolYearId,
      class_id: classId(a.classIndex),
      subject_id: subjectIds.get(a.subjectCode),
      staff_id: staffId(a.staffIndex),
    })),
  );

  const userIds = await insertWithIds(
    trx,
    'users',
    'username',
    data.accounts.map((a) => ({
      school_id: a.atSchool ? schoolId : null,
      username: a.username,
      full_name: a.fullName,
      search_text: searchKey(a.username, a.fullName),
      email: a.email,
      password_hash: passwordHash,
      staff_id: a.staffIndex === null ? null : staffId(a.staffIndex),
      student_id: a.studentIndex === null ? null : studentId(a.studentIndex),
      disabled: false,
      must_change_password: false,
      failed_login_count: 0,
      // Pre-enrolled so admin and principal can sign in at once; sealed like any secret the app stores.
      totp_secret: a.totpSecret ? options.secretBox.seal(a.totpSecret) : null,
      totp_enabled: Boolean(a.totpSecret),
      password_changed_at: now,
      created_at: now,
      updated_at: now,
    })),
  );
  const grantRow = (userId: number, g: DemoGrantSpec) => ({
    user_id: userId,
    // The education office's account has no home school, but its grant names the school it supervises.
    school_id: schoolId,
    role: g.role,
    department_ids: g.departmentCodes ? JSON.stringify(g.departmentCodes.map((c) => departmentIds.get(c))) : null,
    grades: g.grades ? JSON.stringify(g.grades) : null,
    manage_accounts: g.manageAccounts ?? false,
    department_id: g.departmentCode ? departmentIds.get(g.departmentCode) : null,
    student_id: g.studentIndex === undefined ? null : studentId(g.studentIndex),
  });
  await insertChunks(
    trx,
    'user_roles',
    data.accounts.flatMap((a) => a.roles.map((g) => grantRow(userIds.get(a.username)!, g))),
  );

  const accounts = data.accounts
    .filter((a) => a.demoRole)
    .sort((a, b) => ROLES.indexOf(a.demoRole!) - ROLES.indexOf(b.demoRole!))
    .map((a) => ({ role: a.demoRole!, username: a.username, password, fullName: a.fullName, ...(a.totpSecret ? { totpSecret: a.totpSecret } : {}) }));
  return { schoolId, accounts };
}

async function hasSchool(conn: Knex | Knex.Transaction): Promise<boolean> {
  return (await conn('schools').first('id')) !== undefined;
}

async function insertChunks(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

/**
 * Multi-row insert that returns the new ids keyed by a column unique within the batch. Matching by key rather
 * than by position: neither database promises that RETURNING lists rows in the order of the VALUES.
 */
async function insertWithIds(trx: Knex.Transaction, table: string, key: string, rows: Record<string, unknown>[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const returned = (await trx(table)
      .insert(rows.slice(i, i + CHUNK))
      .returning(['id', key])) as Record<string, unknown>[];
    for (const r of returned) ids.set(String(r[key]), Number(r.id));
  }
  if (ids.size !== rows.length) throw new Error(`${table}: ${rows.length} rows inserted but ${ids.size} ids returned`);
  return ids;
}
