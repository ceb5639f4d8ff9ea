/**
 * The single source of truth for who may do what (roles.md; Quy chế Học bạ số seed 002, Điều 7: one person,
 * one account, rights revoked at once on a change of post).
 *
 * Pure and framework-free: the API enforces it on every route, the portal's canAccess calls the same
 * functions to hide what the server would refuse anyway. A permission is a role *and* a scope.
 */

export const ROLES = [
  'admin', // Quản trị hệ thống
  'principal', // Hiệu trưởng
  'vice_principal', // Phó hiệu trưởng — scoped to departments and/or grades
  'department_head', // Tổ trưởng chuyên môn — one department
  'homeroom_teacher', // GVCN — the classes they are homeroom teacher of
  'subject_teacher', // GVBM — their class × subject assignments
  'academic_staff', // Giáo vụ
  'records_clerk', // Văn thư
  'accountant', // Kế toán — no grade access
  'student', // Học sinh / cha mẹ học sinh — own record, read only
  'education_office', // Phòng/Sở GDĐT — read only, many schools
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose accounts must use a TOTP second factor. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['admin', 'principal'];
/** Roles only an admin may grant or manage (an account-managing VP may not). */
export const PRIVILEGED_ROLES: readonly Role[] = ['admin', 'principal', 'vice_principal', 'education_office'];

export interface Grant {
  schoolId: number;
  role: Role;
  /** vice_principal: supervised departments (empty or absent = none by department). */
  departmentIds?: number[];
  /** vice_principal: supervised grades. */
  grades?: number[];
  /** vice_principal: may manage accounts (seed 000: "quản lý tài khoản"). */
  manageAccounts?: boolean;
  /** department_head: their department. */
  departmentId?: number;
  /** student: the student whose record this account may read. */
  studentId?: number;
}

export interface ClassRef {
  schoolId: number;
  classId: number;
  grade: number;
}
export interface AssignmentRef extends ClassRef {
  subjectId: number;
}

/** Everything the rules need to know about the signed-in user. */
export interface Principal {
  userId: number;
  staffId?: number | null;
  grants: Grant[];
  /** Classes of the current school year whose homeroom teacher this user is. */
  homeroomClasses: ClassRef[];
  /** Current teaching assignments (class × subject). */
  assignments: AssignmentRef[];
}

export const RESOURCES = [
  'schools',
  'school-years',
  'semesters',
  'departments',
  'subjects',
  'classes',
  'teaching-assignments',
  'staff',
  'students',
  'enrolments',
  'users',
  'audit-events',
  'staff-post-changes',
  'student-transfers',
  'school-settings',
  'locks',
  'unlock-requests',
  'correction-requests',
  'entry-delegations',
  'archive-entries',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = ['list', 'show', 'create', 'edit', 'delete', 'reset_password', 'verify', 'approve'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What part of one school a permission reaches. Lists are filtered by it; single records are checked against it.
 * `all` is the whole school; the others name the rows reachable through the scope.
 */
export type Scope =
  | { kind: 'all' }
  | { kind: 'classes'; classIds: number[] }
  | { kind: 'grades'; grades: number[] }
  | { kind: 'department'; departmentIds: number[] }
  | { kind: 'student'; studentIds: number[] }
  | { kind: 'unprivileged_accounts' }
  | { kind: 'own'; userId: number };

export interface SchoolScope {
  schoolId: number;
  scope: Scope;
}

/** The attributes of a record that scopes are checked against (camelCase, as the API returns them). */
export interface RecordAttributes {
  schoolId: number;
  id?: number;
  classId?: number | null;
  /** For students: the classes they are enrolled in this year. */
  classIds?: number[];
  grade?: number | null;
  grades?: number[];
  departmentId?: number | null;
  studentId?: number | null;
  /** For accounts: the roles the account holds. */
  roles?: Role[];
  /** For requests: the users who filed it or are named in it. */
  userIds?: number[];
}

type RuleFn = (grant: Grant, principal: Principal) => Scope | null;
type RoleRules = Partial<Record<Role, RuleFn>>;

const all: RuleFn = () => ({ kind: 'all' });
const homeroomClasses: RuleFn = (g, p) => ({
  kind: 'classes',
  classIds: p.homeroomClasses.filter((c) => c.schoolId === g.schoolId).map((c) => c.classId),
});
const taughtClasses: RuleFn = (g, p) => ({
  kind: 'classes',
  classIds: unique(p.assignments.filter((a) => a.schoolId === g.schoolId).map((a) => a.classId)),
});
const ownDepartment: RuleFn = (g) => (g.departmentId ? { kind: 'department', departmentIds: [g.departmentId] } : null);
const ownStudent: RuleFn = (g) => (g.studentId ? { kind: 'student', studentIds: [g.studentId] } : null);
/** A VP supervising grades sees those grades' students; a VP supervising only departments sees every class. */
const supervisedGrades: RuleFn = (g) => (g.grades && g.grades.length > 0 ? { kind: 'grades', grades: g.grades } : { kind: 'all' });
const accountManager: RuleFn = (g) => (g.manageAccounts ? { kind: 'unprivileged_accounts' } : null);

function roles(list: Role[], rule: RuleFn = all): RoleRules {
  return Object.fromEntries(list.map((r) => [r, rule]));
}

/** The school's staff roles (roles.md): who reads the school's setup, who may witness a correction. */
export const STAFF_ROLES: readonly Role[] = [
  'admin',
  'principal',
  'vice_principal',
  'department_head',
  'homeroom_teacher',
  'subject_teacher',
  'academic_staff',
  'records_clerk',
];
const SETUP_WRITERS: Role[] = ['admin', 'academic_staff'];
/** Who reads the archive register (sổ đăng ký lưu trữ). */
const ARCHIVE_READERS: Role[] = ['records_clerk', 'admin', 'principal', 'vice_principal', 'academic_staff'];

const readSetup = (extra: Role[] = []): RoleRules => roles([...STAFF_ROLES, 'education_office', ...extra]);

/** rules[resource][action][role] → how far the permission reaches. Absent means denied. */
const RULES: Record<Resource, Partial<Record<Action, RoleRules>>> = {
  schools: {
    list: readSetup(['accountant', 'student']),
    show: readSetup(['accountant', 'student']),
    edit: roles(['admin']),
  },
  'school-years': {
    list: readSetup(['accountant', 'student']),
    show: readSetup(['accountant', 'student']),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  semesters: {
    list: readSetup(['accountant', 'student']),
    show: readSetup(['accountant', 'student']),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  departments: {
    list: readSetup(['accountant']),
    show: readSetup(['accountant']),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  subjects: {
    list: readSetup(['student']),
    show: readSetup(['student']),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  classes: {
    list: readSetup(),
    show: readSetup(),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  'teaching-assignments': {
    list: readSetup(),
    show: readSetup(),
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  staff: {
    list: { ...roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk', 'accountant', 'education_office']), department_head: ownDepartment },
    show: { ...roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk', 'accountant', 'education_office']), department_head: ownDepartment },
    // Văn thư keeps staff records up to date (roles.md).
    create: roles(['admin', 'records_clerk']),
    edit: roles(['admin', 'records_clerk']),
    delete: roles(['admin']),
  },
  students: {
    list: studentReaders(),
    show: studentReaders(),
    create: roles(SETUP_WRITERS),
    // GVCN keeps the personal records of their own class (roles.md).
    edit: { ...roles(SETUP_WRITERS), homeroom_teacher: homeroomClasses },
    delete: roles(['admin']),
  },
  enrolments: {
    list: { ...studentReaders(), student: undefined },
    show: { ...studentReaders(), student: undefined },
    create: roles(SETUP_WRITERS),
    edit: roles(SETUP_WRITERS),
    delete: roles(SETUP_WRITERS),
  },
  users: {
    list: { ...roles(['admin', 'principal']), vice_principal: accountManager },
    show: { ...roles(['admin', 'principal']), vice_principal: accountManager },
    create: { ...roles(['admin']), vice_principal: accountManager },
    edit: { ...roles(['admin']), vice_principal: accountManager },
    reset_password: { ...roles(['admin']), vice_principal: accountManager },
  },
  'audit-events': {
    list: roles(['admin', 'principal']),
    show: roles(['admin', 'principal']),
    verify: roles(['admin', 'principal']),
  },
  'staff-post-changes': {
    list: roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk']),
    show: roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk']),
    create: roles(['admin', 'records_clerk']),
  },
  'student-transfers': {
    list: roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk']),
    show: roles(['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk']),
    create: roles(SETUP_WRITERS),
  },
  'school-settings': {
    list: readSetup(),
    show: readSetup(),
    // The principal sets the cutoffs (seed 002, Điều 14.3); the admin carries them out.
    edit: roles(['admin', 'principal']),
  },
  // Khóa sổ: set by an admin on the principal's order (Điều 18.2); lifting is a delete.
  locks: {
    list: roles(['admin', 'principal', 'vice_principal', 'department_head', 'academic_staff']),
    show: roles(['admin', 'principal', 'vice_principal', 'department_head', 'academic_staff']),
    create: roles(['admin']),
    delete: roles(['admin']),
  },
  // A teacher asks to reopen named cells; only the principal decides (Điều 9.3).
  'unlock-requests': {
    list: { ...roles(['admin', 'principal', 'vice_principal']), subject_teacher: ownRequests },
    show: { ...roles(['admin', 'principal', 'vice_principal']), subject_teacher: ownRequests },
    create: { subject_teacher: ownRequests },
    approve: roles(['principal']),
  },
  // Sửa điểm (timeline.md, seed 000): teacher requests, principal approves, VP and a witness confirm.
  'correction-requests': {
    list: { ...roles(['admin', 'principal', 'vice_principal', 'records_clerk']), subject_teacher: ownRequests, department_head: ownRequests, homeroom_teacher: ownRequests, academic_staff: ownRequests },
    show: { ...roles(['admin', 'principal', 'vice_principal', 'records_clerk']), subject_teacher: ownRequests, department_head: ownRequests, homeroom_teacher: ownRequests, academic_staff: ownRequests },
    create: { subject_teacher: ownRequests },
    approve: roles(['principal']),
  },
  'entry-delegations': {
    list: roles(['admin', 'principal', 'vice_principal']),
    show: roles(['admin', 'principal', 'vice_principal']),
    create: roles(['principal']),
    delete: roles(['principal']),
  },
  // Sổ đăng ký lưu trữ: văn thư files the printed books away (roles.md, seed 000 "Lưu trữ hồ sơ theo quy định");
  // the leadership, giáo vụ and the admin read it. A mistaken entry is marked deleted with a reason, never removed.
  'archive-entries': {
    list: roles(ARCHIVE_READERS),
    show: roles(ARCHIVE_READERS),
    create: roles(['records_clerk']),
    edit: roles(['records_clerk']),
    delete: roles(['records_clerk']),
  },
};

/**
 * Registering the backups in the archive register: the records clerk, who keeps the register, or the admin, who
 * takes the backups (roles.md) — a backup is a file on the server, so no hand-typed detail can be wrong.
 */
export const ARCHIVE_BACKUP_REGISTRARS: readonly Role[] = ['records_clerk', 'admin'];

export function archiveBackupSchoolIds(p: Principal): number[] {
  return [...new Set(p.grants.filter((g) => ARCHIVE_BACKUP_REGISTRARS.includes(g.role)).map((g) => g.schoolId))];
}

/** Requests a user filed, or is named in (as witness). */
function ownRequests(_g: Grant, p: Principal): Scope {
  return { kind: 'own', userId: p.userId };
}

function studentReaders(): RoleRules {
  return {
    ...roles(['admin', 'principal', 'academic_staff', 'records_clerk', 'education_office', 'department_head']),
    vice_principal: supervisedGrades,
    homeroom_teacher: homeroomClasses,
    subject_teacher: taughtClasses,
    student: ownStudent,
  };
}

/** The scopes, one per granted school role, through which `principal` may do `action` on `resource`. */
export function scopesFor(principal: Principal, action: Action, resource: Resource): SchoolScope[] {
  const roleRules = RULES[resource]?.[action];
  if (!roleRules) return [];
  const out: SchoolScope[] = [];
  for (const grant of principal.grants) {
    const rule = roleRules[grant.role];
    const scope = rule ? rule(grant, principal) : null;
    if (scope && !isEmptyScope(scope)) out.push({ schoolId: grant.schoolId, scope });
  }
  return out;
}

/**
 * May `principal` do `action` on `resource`? Without a record: on at least one record (menus, route guards).
 * With a record: on that record.
 */
export function can(principal: Principal, action: Action, resource: Resource, record?: RecordAttributes): boolean {
  const scopes = scopesFor(principal, action, resource);
  if (!record) return scopes.length > 0;
  return scopes.some((s) => s.schoolId === record.schoolId && scopeCovers(s.scope, record));
}

export function scopeCovers(scope: Scope, r: RecordAttributes): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'classes':
      return overlaps(scope.classIds, [r.classId, ...(r.classIds ?? [])]);
    case 'grades':
      return overlaps(scope.grades, [r.grade, ...(r.grades ?? [])]);
    case 'department':
      return overlaps(scope.departmentIds, [r.departmentId]);
    case 'student':
      return overlaps(scope.studentIds, [r.studentId ?? r.id]);
    case 'unprivileged_accounts':
      return !(r.roles ?? []).some((role) => PRIVILEGED_ROLES.includes(role));
    case 'own':
      return (r.userIds ?? []).includes(scope.userId);
  }
}

/** May this principal grant `role` at all (admins grant everything; account-managing VPs only unprivileged roles)? */
export function canGrantRole(principal: Principal, schoolId: number, role: Role): boolean {
  return principal.grants.some(
    (g) =>
      g.schoolId === schoolId &&
      (g.role === 'admin' || (g.role === 'vice_principal' && g.manageAccounts === true && !PRIVILEGED_ROLES.includes(role))),
  );
}

export function requiresTotp(grants: Pick<Grant, 'role'>[]): boolean {
  return grants.some((g) => TOTP_REQUIRED_ROLES.includes(g.role));
}

/** The schools in which the principal holds any role. */
export function schoolIdsOf(principal: Principal): number[] {
  return unique(principal.grants.map((g) => g.schoolId));
}

function isEmptyScope(scope: Scope): boolean {
  switch (scope.kind) {
    case 'classes':
      return scope.classIds.length === 0;
    case 'grades':
      return scope.grades.length === 0;
    case 'department':
      return scope.departmentIds.length === 0;
    case 'student':
      return scope.studentIds.length === 0;
    default:
      return false;
  }
}

function overlaps<T>(allowed: T[], values: (T | null | undefined)[]): boolean {
  return values.some((v) => v !== null && v !== undefined && allowed.includes(v));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** A class × subject grade book, located for the gradebook rules. */
export interface GradebookTarget {
  schoolId: number;
  classId: number;
  grade: number;
  subjectId: number;
  departmentId: number | null;
}

/**
 * Who reads a grade book (roles.md): the principal, admin and academic staff school-wide, the education office,
 * a VP for supervised grades or departments, a department head for their department's subjects, the homeroom
 * teacher for their class, the subject teacher for their own class × subject.
 */
export function canReadGradebook(p: Principal, t: GradebookTarget, delegations: DelegationRef[] = []): boolean {
  if (canWriteGradebook(p, t, delegations)) return true;
  return p.grants.some((g) => {
    if (g.schoolId !== t.schoolId) return false;
    switch (g.role) {
      case 'admin':
      case 'principal':
      case 'academic_staff':
      case 'education_office':
        return true;
      case 'vice_principal':
        return (g.grades ?? []).includes(t.grade) || (t.departmentId !== null && (g.departmentIds ?? []).includes(t.departmentId));
      case 'department_head':
        return t.departmentId !== null && g.departmentId === t.departmentId;
      case 'homeroom_teacher':
        return p.homeroomClasses.some((c) => c.schoolId === t.schoolId && c.classId === t.classId);
      default:
        return false;
    }
  });
}

export interface DelegationRef {
  schoolId: number;
  classId: number;
  subjectId: number;
}

/** Only the assigned subject teacher writes their cells — or someone the principal delegated, recorded. */
export function canWriteGradebook(p: Principal, t: Pick<GradebookTarget, 'schoolId' | 'classId' | 'subjectId'>, delegations: DelegationRef[] = []): boolean {
  const teaches =
    p.grants.some((g) => g.schoolId === t.schoolId && g.role === 'subject_teacher') &&
    p.assignments.some((a) => a.schoolId === t.schoolId && a.classId === t.classId && a.subjectId === t.subjectId);
  return teaches || delegations.some((d) => d.schoolId === t.schoolId && d.classId === t.classId && d.subjectId === t.subjectId);
}

/** Conduct (rèn luyện), absences and the homeroom comment are the homeroom teacher's (roles.md). */
export function canWriteConduct(p: Principal, t: { schoolId: number; classId: number }): boolean {
  return (
    p.grants.some((g) => g.schoolId === t.schoolId && g.role === 'homeroom_teacher') &&
    p.homeroomClasses.some((c) => c.schoolId === t.schoolId && c.classId === t.classId)
  );
}

/** Who may stand in for a subject teacher (ủy quyền nhập điểm): teaching and academic staff, never a student or office. */
export const DELEGATE_ROLES: readonly Role[] = ['subject_teacher', 'homeroom_teacher', 'department_head', 'vice_principal', 'academic_staff'];

/** Accounts that are not staff: nobody delegates grade entry to them, so they have no delegations to list. */
const NOT_STAFF: readonly Role[] = ['student', 'education_office'];

/** Whether the user may list the grade books delegated to them (any staff account). */
export function canListOwnDelegations(p: Principal): boolean {
  return p.grants.some((g) => !NOT_STAFF.includes(g.role));
}

/* ------------------------------------------------------------------------------------------------------------
 * Computed results (roles.md). The class summary sheet (bảng tổng hợp) spans every subject of a class, so it
 * follows the class-wide readers of the grade book, not the per-subject ones: the homeroom teacher of the class, a
 * vice principal for the grades they supervise (or every class when they supervise departments only, as for
 * students), the principal, the admin and academic staff. A subject teacher or department head sees their own
 * grade books, not the whole sheet.
 * ------------------------------------------------------------------------------------------------------------ */

export interface ClassResultsRef {
  schoolId: number;
  classId: number;
  grade: number;
}

export function canReadClassResults(p: Principal, c: ClassResultsRef): boolean {
  return p.grants.some((g) => {
    if (g.schoolId !== c.schoolId) return false;
    switch (g.role) {
      case 'admin':
      case 'principal':
      case 'academic_staff':
        return true;
      case 'vice_principal':
        return !g.grades || g.grades.length === 0 || g.grades.includes(c.grade);
      case 'homeroom_teacher':
        return p.homeroomClasses.some((h) => h.schoolId === c.schoolId && h.classId === c.classId);
      default:
        return false;
    }
  });
}

/** The whole school's lists at once: only those who read every class. */
export function canReadSchoolResults(p: Principal, schoolId: number): boolean {
  return p.grants.some(
    (g) =>
      g.schoolId === schoolId &&
      (g.role === 'admin' || g.role === 'principal' || g.role === 'academic_staff' || (g.role === 'vice_principal' && (g.grades ?? []).length === 0)),
  );
}

/** The principal approves the promotion, retest, summer-training and award lists (roles.md). */
export function canApproveResultLists(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && g.role === 'principal');
}

/**
 * Retest and summer-training results (Điều 13–14) are administrative records entered after the summer sessions:
 * the admin or academic staff (giáo vụ) enter them, from the examiners' and the homeroom teacher's records.
 */
export function canEnterSummerResults(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && (g.role === 'admin' || g.role === 'academic_staff'));
}

/** Recomputing a whole school's results is an operator's action: the admin, or the principal. */
export function canRecomputeResults(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && (g.role === 'admin' || g.role === 'principal'));
}

/* ------------------------------------------------------------------------------------------------------------
 * Imports from a spreadsheet and the carry-over to the next school year (roles.md): whole-school operations, not
 * REST resources, that always reach the whole school of the grant.
 * ------------------------------------------------------------------------------------------------------------ */

export const IMPORT_KINDS = ['students', 'staff', 'assignments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_ROLES: Record<ImportKind, readonly Role[]> = {
  // The same roles that create students and teaching assignments one by one (the school-setup writers).
  students: ['admin', 'academic_staff'],
  assignments: ['admin', 'academic_staff'],
  // Văn thư keeps the staff records up to date (roles.md), as for staff create/edit.
  staff: ['admin', 'records_clerk'],
};

/** roles.md: vice principals "carry data over to the new year"; admin and academic staff set the year up. */
export const CARRY_OVER_ROLES: readonly Role[] = ['admin', 'academic_staff', 'vice_principal'];

function schoolsWith(p: Principal, roles: readonly Role[]): number[] {
  return [...new Set(p.grants.filter((g) => roles.includes(g.role)).map((g) => g.schoolId))];
}

/** The schools in which `p` may import `kind`. */
export function importSchoolIds(p: Principal, kind: ImportKind): number[] {
  return schoolsWith(p, IMPORT_ROLES[kind]);
}

export function canImport(p: Principal, kind: ImportKind, schoolId?: number): boolean {
  const schools = importSchoolIds(p, kind);
  return schoolId === undefined ? schools.length > 0 : schools.includes(schoolId);
}

/** The schools in which `p` may carry a school year over. */
export function carryOverSchoolIds(p: Principal): number[] {
  return schoolsWith(p, CARRY_OVER_ROLES);
}

export function canCarryOver(p: Principal, schoolId?: number): boolean {
  const schools = carryOverSchoolIds(p);
  return schoolId === undefined ? schools.length > 0 : schools.includes(schoolId);
}

/* ------------------------------------------------------------------------------------------------------------
 * Entry progress (roles.md, timeline.md "Reminders and escalations"): the principal (inspects entry monthly) and
 * the admin see the whole school; the education office supervises the progress of its schools (read only); a vice
 * principal sees the grades and departments they supervise; a department head their department's subjects; a
 * homeroom teacher their class (they chase its subject teachers); a subject teacher their own class × subject
 * assignments. Nobody else — academic staff, clerks, accountants and students get nothing.
 * ------------------------------------------------------------------------------------------------------------ */

/** One class × subject grade book, as progress sees it. */
export interface ProgressTarget {
  schoolId: number;
  classId: number;
  grade: number;
  subjectId: number;
  /** The subject's department (tổ chuyên môn). */
  departmentId: number | null;
}

export type ProgressReach =
  | { kind: 'all' }
  | { kind: 'some'; grades: number[]; departmentIds: number[]; classIds: number[]; assignments: Array<{ classId: number; subjectId: number }> };

/** What part of school `schoolId` the user's progress view covers; null when none. */
export function progressReach(p: Principal, schoolId: number): ProgressReach | null {
  const reach = { kind: 'some' as const, grades: [] as number[], departmentIds: [] as number[], classIds: [] as number[], assignments: [] as Array<{ classId: number; subjectId: number }> };
  let any = false;
  for (const g of p.grants) {
    if (g.schoolId !== schoolId) continue;
    switch (g.role) {
      case 'admin':
      case 'principal':
      case 'education_office':
      // Giáo vụ: in many schools they are the ones who chase late entry (issue 12, trap 7); read only.
      case 'academic_staff':
        return { kind: 'all' };
      case 'vice_principal':
        reach.grades.push(...(g.grades ?? []));
        reach.departmentIds.push(...(g.departmentIds ?? []));
        any ||= (g.grades ?? []).length + (g.departmentIds ?? []).length > 0;
        break;
      case 'department_head':
        if (g.departmentId) {
          reach.departmentIds.push(g.departmentId);
          any = true;
        }
        break;
      case 'homeroom_teacher': {
        const mine = p.homeroomClasses.filter((c) => c.schoolId === schoolId).map((c) => c.classId);
        reach.classIds.push(...mine);
        any ||= mine.length > 0;
        break;
      }
      case 'subject_teacher': {
        const mine = p.assignments.filter((a) => a.schoolId === schoolId).map((a) => ({ classId: a.classId, subjectId: a.subjectId }));
        reach.assignments.push(...mine);
        any ||= mine.length > 0;
        break;
      }
      default:
        break;
    }
  }
  return any ? reach : null;
}

export function reachCovers(reach: ProgressReach, t: ProgressTarget): boolean {
  if (reach.kind === 'all') return true;
  return (
    reach.grades.includes(t.grade) ||
    (t.departmentId !== null && reach.departmentIds.includes(t.departmentId)) ||
    reach.classIds.includes(t.classId) ||
    reach.assignments.some((a) => a.classId === t.classId && a.subjectId === t.subjectId)
  );
}

/** May the user open the progress view at all (menus, route guard)? */
export function canSeeProgress(p: Principal): boolean {
  return [...new Set(p.grants.map((g) => g.schoolId))].some((schoolId) => progressReach(p, schoolId) !== null);
}

/* ------------------------------------------------------------------------------------------------------------
 * Corrections (timeline.md, seed 000): the parties of a score correction.
 * ------------------------------------------------------------------------------------------------------------ */

/** A VP supervises a grade book through its grade or its subject's department (roles.md). */
export function supervisesGrant(g: Grant, t: GradebookTarget): boolean {
  return (
    g.schoolId === t.schoolId &&
    g.role === 'vice_principal' &&
    ((g.grades ?? []).includes(t.grade) || (t.departmentId !== null && (g.departmentIds ?? []).includes(t.departmentId)))
  );
}

export const isSupervisingVp = (p: Principal, t: GradebookTarget) => p.grants.some((g) => supervisesGrant(g, t));

export const holdsRole = (p: Principal, schoolId: number, role: Role) => p.grants.some((g) => g.schoolId === schoolId && g.role === role);

/** Biên bản (the signed minutes): the principal, VPs (who file them), the records clerk (who archives them) and the parties. */
const MINUTES_READERS: readonly Role[] = ['principal', 'vice_principal', 'records_clerk'];

export function canReadCorrectionMinutes(p: Principal, r: { schoolId: number; partyUserIds: Array<number | null> }): boolean {
  return MINUTES_READERS.some((role) => holdsRole(p, r.schoolId, role)) || r.partyUserIds.includes(p.userId);
}

/** What the witness rule needs to know about one account. */
export interface WitnessAccount {
  userId: number;
  disabled: boolean;
  /** The linked staff record is marked as having left the school (Quy chế seed 002 Điều 7.4). */
  staffLeft: boolean;
  grants: Grant[];
}

/**
 * The second named witness (seed 000): an active staff account of the school, neither the requesting teacher
 * (nobody witnesses their own correction) nor a VP supervising the grade book (the VP is already a party).
 * Answers why not (a message key), or null when the account may witness.
 */
export function witnessRefusal(
  a: WitnessAccount,
  t: GradebookTarget,
  requesterId: number,
  vpUserId: number | null,
  /** The principal who approved; null while pending, when every principal of the school may still approve. */
  decidedBy: number | null = null,
): 'correctionSelfWitness' | 'correctionWitnessNotStaff' | 'correctionWitnessIsVp' | 'correctionWitnessIsParty' | null {
  if (a.userId === requesterId) return 'correctionSelfWitness';
  const grants = a.disabled || a.staffLeft ? [] : a.grants.filter((g) => g.schoolId === t.schoolId);
  if (!grants.some((g) => STAFF_ROLES.includes(g.role))) return 'correctionWitnessNotStaff';
  if (a.userId === vpUserId || grants.some((g) => supervisesGrant(g, t))) return 'correctionWitnessIsVp';
  // Four different people (issue 8): the approver is a party, never the witness.
  if (decidedBy !== null ? a.userId === decidedBy : grants.some((g) => g.role === 'principal')) return 'correctionWitnessIsParty';
  return null;
}

/* ------------------------------------------------------------------------------------------------------------
 * The portal's pages that are not REST resources: who sees them in the menu. Each answers whether the rules above
 * allow the user something on that page, so a menu entry never leads to a page that answers 403.
 * ------------------------------------------------------------------------------------------------------------ */

const holdsAny = (p: Principal, list: readonly Role[]) => p.grants.some((g) => list.includes(g.role));

/** Someone canReadGradebook may answer yes for, on some class × subject of their school. */
export function canOpenGradebook(p: Principal): boolean {
  return (
    holdsAny(p, ['admin', 'principal', 'vice_principal', 'department_head', 'academic_staff']) ||
    (holdsAny(p, ['subject_teacher']) && p.assignments.length > 0) ||
    (holdsAny(p, ['homeroom_teacher']) && p.homeroomClasses.length > 0)
  );
}

/** Someone who reads some class's conduct sheet (its homeroom teacher, or a class-wide reader). */
export function canOpenConduct(p: Principal): boolean {
  return p.grants.some(
    (g) =>
      (['admin', 'principal', 'academic_staff'] as Role[]).includes(g.role) ||
      (g.role === 'vice_principal' && (g.grades ?? []).length > 0) ||
      (g.role === 'homeroom_teacher' && p.homeroomClasses.length > 0),
  );
}

/** A class-wide reader of results (canReadClassResults) for some class: homeroom teacher, VP, principal, admin, giáo vụ. */
export function canOpenResults(p: Principal): boolean {
  return p.grants.some(
    (g) => (['admin', 'principal', 'academic_staff', 'vice_principal'] as Role[]).includes(g.role) || (g.role === 'homeroom_teacher' && p.homeroomClasses.length > 0),
  );
}

/** The result lists: per class for a class-wide reader, the whole school for those who read every class. */
export function canOpenResultLists(p: Principal): boolean {
  return canOpenResults(p) || p.grants.some((g) => canReadSchoolResults(p, g.schoolId));
}

/** Someone who may import at least one kind of record. */
export function canImportAny(p: Principal): boolean {
  return IMPORT_KINDS.some((k) => canImport(p, k));
}

/**
 * The school year's timeline (timeline.md): the principal and the admin edit it (the principal sets lock and
 * deadline times, seed 002 Điều 14.3; the admin carries them out); the leadership and the department heads who
 * chase teachers read it and its dashboard.
 */
export function canEditTimeline(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && (g.role === 'principal' || g.role === 'admin'));
}

export function canReadTimeline(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && ['principal', 'admin', 'vice_principal', 'department_head', 'academic_staff'].includes(g.role));
}

/** The students an account reads the own record of (a student, or a parent of one or more: roles.md). */
export function ownStudentIds(p: Principal): number[] {
  return [...new Set(p.grants.filter((g) => g.role === 'student' && g.studentId).map((g) => g.studentId!))];
}

/** The "my child's scores" page (students and parents). */
export const canViewOwnRecord = (p: Principal): boolean => ownStudentIds(p).length > 0;

/** May the user open the timeline page (menus, route guard, the dashboard's link)? */
export function canOpenTimeline(p: Principal): boolean {
  return [...new Set(p.grants.map((g) => g.schoolId))].some((schoolId) => canReadTimeline(p, schoolId));
}

/* ------------------------------------------------------------------------------------------------------------
 * Học bạ số (issue 10, hoc-ba-so.md, roles.md): who reads, signs, approves printing and manages certificates.
 * Which *slot* a person may sign (their own subject, their own class, their grade) is decided by the chain
 * (server/transcripts/chain.ts) from the year's assignments; these say which roles may take part at all.
 * ------------------------------------------------------------------------------------------------------------ */

/** Staff who read the school's transcripts: the leadership, giáo vụ and văn thư school-wide; teachers their own classes. */
export function transcriptReadScope(p: Principal, schoolId: number): Scope | null {
  const mine = p.grants.filter((g) => g.schoolId === schoolId);
  if (mine.some((g) => ['admin', 'principal', 'vice_principal', 'academic_staff', 'records_clerk'].includes(g.role))) return { kind: 'all' };
  if (mine.some((g) => g.role === 'homeroom_teacher' || g.role === 'subject_teacher')) return { kind: 'own', userId: p.userId };
  const student = mine.find((g) => g.role === 'student' && g.studentId);
  if (student) return { kind: 'student', studentIds: mine.filter((g) => g.role === 'student' && g.studentId).map((g) => g.studentId!) };
  return null;
}

/** Those who sign a step of the chain (the slot itself is checked against the year's assignments). */
export function canTakePartInSigning(p: Principal, schoolId: number): boolean {
  return p.grants.some((g) => g.schoolId === schoolId && ['principal', 'vice_principal', 'homeroom_teacher', 'subject_teacher', 'admin'].includes(g.role));
}

/** The school seal: the admin or the principal who holds its PIN (roles.md: the admin registers the seal certificate). */
export const canApplySeal = (p: Principal, schoolId: number) => p.grants.some((g) => g.schoolId === schoolId && (g.role === 'admin' || g.role === 'principal'));

/** Registering the school's seal and trust anchors (roles.md: the admin). Anyone who signs registers their own. */
export const canManageCertificates = (p: Principal, schoolId: number) => holdsRole(p, schoolId, 'admin');

/** Which VP approves which grade, a correction, a revocation, printing (roles.md: the principal decides). */
export const canDirectTranscripts = (p: Principal, schoolId: number) => holdsRole(p, schoolId, 'principal');

/** Printed transcripts: the leadership and văn thư print (roles.md: a VP prints transcripts; văn thư archives). */
export const canPrintTranscripts = (p: Principal, schoolId: number) =>
  p.grants.some((g) => g.schoolId === schoolId && ['principal', 'vice_principal', 'records_clerk', 'academic_staff', 'admin'].includes(g.role));

/** The transcripts page in the portal's menu. */
export function canOpenTranscripts(p: Principal): boolean {
  return [...new Set(p.grants.map((g) => g.schoolId))].some((schoolId) => transcriptReadScope(p, schoolId) !== null);
}

/* ------------------------------------------------------------------------------------------------------------
 * Printed grade books (issue 12, seed 000): a vice principal prints (giáo vụ prepares the request too), the
 * principal approves the printed book, the records clerk archives it.
 * ------------------------------------------------------------------------------------------------------------ */

/** Requesting a print of a class's book: a VP whose grades cover the class (none listed = every grade), or giáo vụ. */
export function canRequestPrint(p: Principal, c: ClassRef): boolean {
  return p.grants.some(
    (g) =>
      g.schoolId === c.schoolId &&
      (g.role === 'academic_staff' || (g.role === 'vice_principal' && (!g.grades || g.grades.length === 0 || g.grades.includes(c.grade)))),
  );
}

/**
 * Requesting a print of a school-wide book — the enrolment register (sổ đăng bộ) of a year, whole school or one
 * grade: any vice principal of the school (roles.md: VPs print the enrolment register; the book is the school's,
 * not a grade's, so their grade assignment does not narrow it), or giáo vụ.
 */
export const canRequestSchoolPrint = (p: Principal, schoolId: number): boolean =>
  p.grants.some((g) => g.schoolId === schoolId && (g.role === 'academic_staff' || g.role === 'vice_principal'));

/** Only the principal approves or rejects a print run. */
export const canApprovePrint = (p: Principal, schoolId: number) => holdsRole(p, schoolId, 'principal');

/** Who lists print runs and downloads approved ones: the leadership, giáo vụ, văn thư (who archives) and the admin. */
export const canReadPrintRuns = (p: Principal, schoolId: number) =>
  p.grants.some((g) => g.schoolId === schoolId && ['principal', 'vice_principal', 'academic_staff', 'records_clerk', 'admin'].includes(g.role));

/** The "Bản in sổ sách" page in the portal's menu. */
export const canOpenPrintRuns = (p: Principal): boolean => [...new Set(p.grants.map((g) => g.schoolId))].some((s) => canReadPrintRuns(p, s));

/* ------------------------------------------------------------------------------------------------------------
 * Đồng bộ CSDL (issue 13): sealed transcripts sent to the province/ministry database. The admin or a vice
 * principal builds and sends a batch by hand (issue 13, "Who starts it"); the principal, who answers for the
 * transcripts, may too. The packet's manifest is signed with the school seal, so sending asks for the seal's PIN.
 * ------------------------------------------------------------------------------------------------------------ */

/** Building, sending and downloading sync batches; reading their per-student statuses. */
export const canSyncTranscripts = (p: Principal, schoolId: number) =>
  p.grants.some((g) => g.schoolId === schoolId && ['admin', 'principal', 'vice_principal'].includes(g.role));

/** Chuyển trường with the transcripts (issue 13): issuing a transfer package, importing one — admin, principal, VP. */
export const canTransferTranscripts = canSyncTranscripts;

/** The "Chuyển trường (học bạ)" page in the portal's menu. */
export const canOpenTransfers = (p: Principal): boolean => [...new Set(p.grants.map((g) => g.schoolId))].some((s) => canTransferTranscripts(p, s));

/** The "Đồng bộ CSDL" page in the portal's menu. */
export const canOpenSync = (p: Principal): boolean => [...new Set(p.grants.map((g) => g.schoolId))].some((s) => canSyncTranscripts(p, s));

/* ------------------------------------------------------------------------------------------------------------
 * Số hóa học bạ giấy (seed 003 V, docs/digitisation.md): the academic staff (NV học vụ) enter old years from the
 * paper book and review the content of teachers who have left; the principal signs in their place.
 * ------------------------------------------------------------------------------------------------------------ */

/** Entering a paper year (first or second entry) and reviewing a departed teacher's content: the academic staff. */
export const canEnterPaperTranscripts = (p: Principal, schoolId: number) => holdsRole(p, schoolId, 'academic_staff');

/** Reconciling a double entry: the academic staff (one of the two, or a third) or the principal. */
export const canReconcilePaperTranscripts = (p: Principal, schoolId: number) => holdsRole(p, schoolId, 'academic_staff') || holdsRole(p, schoolId, 'principal');

/** The digitisation list and its entries: the academic staff and the school's leaders. */
export const canSeePaperTranscripts = (p: Principal, schoolId: number) =>
  p.grants.some((g) => g.schoolId === schoolId && ['academic_staff', 'principal', 'vice_principal', 'admin'].includes(g.role));

/** The portal's "Số hóa học bạ giấy" page: whoever may see the digitisation list of one of their schools. */
export const canOpenDigitisation = (p: Principal): boolean => [...new Set(p.grants.map((g) => g.schoolId))].some((s) => canSeePaperTranscripts(p, s));

/* ------------------------------------------------------------------------------------------------------------
 * The education office (Phòng/Sở GDĐT, roles.md: "supervises progress of the schools under it, read only"; issue
 * 13, S1). Its account belongs to no school; each school it supervises is one `education_office` grant.
 * ------------------------------------------------------------------------------------------------------------ */

/** The schools an office account supervises (none for any other account). */
export function officeSchoolIds(p: Principal): number[] {
  return unique(p.grants.filter((g) => g.role === 'education_office').map((g) => g.schoolId)).sort((a, b) => a - b);
}

/** May the user open the office dashboard (menus, route guard)? */
export const canSeeOffice = (p: Principal): boolean => officeSchoolIds(p).length > 0;

/** May the user read school `schoolId`'s figures on the office dashboard? Only an office supervising it. */
export const canReadOfficeSchool = (p: Principal, schoolId: number): boolean => officeSchoolIds(p).includes(schoolId);
