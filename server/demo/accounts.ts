import crypto from 'node:crypto';
import { Secret } from 'otpauth';
import { requiresTotp, type Role } from '../../domain/permissions';
import { searchKey } from '../../domain/text';
import type { DemoAccountSpec, DemoGrantSpec, DemoStaff, DemoStudent, StaffPlan } from './generate';
import { VICE_PRINCIPALS } from './curriculum';
import type { createPeople } from './people';

/** One memorable account per role, so a demo can be walked through role by role without a lookup. */
export const DEMO_USERNAMES: Record<Role, string> = {
  admin: 'admin',
  principal: 'hieutruong',
  vice_principal: 'phohieutruong',
  department_head: 'totruong',
  homeroom_teacher: 'gvcn',
  subject_teacher: 'gvbm',
  academic_staff: 'giaovu',
  records_clerk: 'vanthu',
  accountant: 'ketoan',
  student: 'hocsinh',
  education_office: 'phonggd',
};

/** Schools' usual login form: given name, a dot, initials of the family and middle names — Nguyễn Thị Lan → lan.nt. */
export function usernameFor(fullName: string): string {
  const parts = searchKey(fullName)
    .split(' ')
    .map((p) => p.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  const given = parts[parts.length - 1];
  return `${given}.${parts.slice(0, -1).map((p) => p[0]).join('')}`;
}

/**
 * A TOTP secret derived from the seed, so the demo's admin and principal can be enrolled in an authenticator
 * before the first login and the same secret comes back on every run. Demo only: real secrets are random.
 */
export function demoTotpSecret(seed: number, username: string): string {
  const bytes = crypto.createHash('sha256').update(`demo-totp:${seed}:${username}`).digest().subarray(0, 20);
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;
}

interface AccountsInput {
  seed: number;
  staff: DemoStaff[];
  staffPlan: StaffPlan[];
  homeroomOf: number[];
  assignments: { classIndex: number; staffIndex: number }[];
  students: DemoStudent[];
  people: ReturnType<typeof createPeople>;
  emailDomain: string;
}

/**
 * One account per staff member (one person, one account — seed 002, Điều 7), with the roles their post and
 * assignments give them; plus one student/parent account and one education-office account.
 */
export function buildAccounts({ seed, staff, staffPlan, homeroomOf, assignments, students, people, emailDomain }: AccountsInput) {
  const taken = new Set<string>(Object.values(DEMO_USERNAMES));
  const claim = (base: string): string => {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  };
  // Every staff member has a name-based username (it also makes their e-mail), even when the account uses a demo one.
  const naturalUsernames = staff.map((s) => claim(usernameFor(s.fullName)));
  const emails = naturalUsernames.map((u) => `${u}@${emailDomain}`);

  const teaches = (i: number) => assignments.some((a) => a.staffIndex === i);
  const isHomeroom = (i: number) => homeroomOf.includes(i);
  const firstOf = (pred: (p: StaffPlan, i: number) => boolean) => staffPlan.findIndex(pred);
  // The subject-teacher demo account: not a homeroom teacher or head, and preferably teaching class 6A1 like `gvcn`.
  const plainTeacher = (i: number) => teaches(i) && !isHomeroom(i) && !staffPlan[i].headOf;
  const gvbm = [firstOf((_, i) => plainTeacher(i) && assignments.some((a) => a.staffIndex === i && a.classIndex === 0)), firstOf((_, i) => plainTeacher(i))].find((i) => i >= 0);
  const holders: [Role, number | undefined][] = [
    ['admin', firstOf((p) => p.post === 'it')],
    ['principal', firstOf((p) => p.post === 'principal')],
    ['vice_principal', firstOf((p) => p.vicePrincipal === 0)],
    ['department_head', firstOf((p) => p.headOf === 'TOAN-TIN')],
    ['homeroom_teacher', homeroomOf[0]],
    ['subject_teacher', gvbm],
    ['academic_staff', firstOf((p) => p.post === 'academic_staff')],
    ['records_clerk', firstOf((p) => p.post === 'records_clerk')],
    ['accountant', firstOf((p) => p.post === 'accountant')],
  ];
  const demoRoleOf = new Map<number, Role>();
  for (const [role, i] of holders) {
    if (i === undefined || i < 0) throw new Error(`the demo school has nobody to hold the ${role} demo account`);
    demoRoleOf.set(i, role);
  }

  const specs: DemoAccountSpec[] = staff.map((s, i) => {
    const demoRole = demoRoleOf.get(i);
    const username = demoRole ? DEMO_USERNAMES[demoRole] : naturalUsernames[i];
    const roles = grantsOf(staffPlan[i], teaches(i), isHomeroom(i));
    return {
      username,
      fullName: s.fullName,
      email: emails[i],
      staffIndex: i,
      studentIndex: null,
      atSchool: true,
      roles,
      ...(demoRole ? { demoRole } : {}),
      ...(demoRole && requiresTotp(roles) ? { totpSecret: demoTotpSecret(seed, username) } : {}),
    };
  });
  // The first student of 6A1: the homeroom (`gvcn`) and subject (`gvbm`) demo accounts see the same child.
  specs.push({
    username: DEMO_USERNAMES.student,
    fullName: students[0].fullName,
    email: null,
    staffIndex: null,
    studentIndex: 0,
    atSchool: true,
    roles: [{ role: 'student', studentIndex: 0 }],
    demoRole: 'student',
  });
  specs.push({
    username: DEMO_USERNAMES.education_office,
    fullName: people.name('female', 'staff').fullName,
    email: null,
    staffIndex: null,
    studentIndex: null,
    atSchool: false,
    roles: [{ role: 'education_office' }],
    demoRole: 'education_office',
  });
  return { specs, emails };
}

function grantsOf(plan: StaffPlan, teaches: boolean, homeroom: boolean): DemoGrantSpec[] {
  switch (plan.post) {
    case 'principal':
      return [{ role: 'principal' }];
    case 'vice_principal': {
      const vp = VICE_PRINCIPALS[plan.vicePrincipal ?? 0];
      return [{ role: 'vice_principal', departmentCodes: [...vp.departmentCodes], grades: [...vp.grades], manageAccounts: vp.manageAccounts }];
    }
    case 'teacher':
      return [
        ...(teaches ? [{ role: 'subject_teacher' as const }] : []),
        ...(homeroom ? [{ role: 'homeroom_teacher' as const }] : []),
        ...(plan.headOf ? [{ role: 'department_head' as const, departmentCode: plan.headOf }] : []),
      ];
    case 'academic_staff':
      return [{ role: 'academic_staff' }];
    case 'records_clerk':
      return [{ role: 'records_clerk' }];
    case 'accountant':
      return [{ role: 'accountant' }];
    case 'it':
      return [{ role: 'admin' }];
  }
}
