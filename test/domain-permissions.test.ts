import { describe, expect, it } from 'vitest';
import { can, canGrantRole, requiresTotp, scopesFor, type Principal } from '../domain/permissions';

const base = { userId: 1, staffId: 1, homeroomClasses: [], assignments: [] };
const homeroom: Principal = {
  ...base,
  grants: [{ schoolId: 1, role: 'homeroom_teacher' }],
  homeroomClasses: [{ schoolId: 1, classId: 10, grade: 6 }],
};
const teacher: Principal = {
  ...base,
  grants: [{ schoolId: 1, role: 'subject_teacher' }],
  assignments: [
    { schoolId: 1, classId: 10, subjectId: 3, grade: 6 },
    { schoolId: 1, classId: 11, subjectId: 3, grade: 6 },
  ],
};
const vp = (grades: number[], manageAccounts = false): Principal => ({
  ...base,
  grants: [{ schoolId: 1, role: 'vice_principal', grades, departmentIds: [2], manageAccounts }],
});

describe('permissions (roles.md)', () => {
  it('lets a homeroom teacher read and edit only their own class', () => {
    expect(can(homeroom, 'show', 'students', { schoolId: 1, id: 5, classId: 10 })).toBe(true);
    expect(can(homeroom, 'edit', 'students', { schoolId: 1, id: 5, classId: 10 })).toBe(true);
    expect(can(homeroom, 'show', 'students', { schoolId: 1, id: 6, classId: 12 })).toBe(false);
    expect(can(homeroom, 'show', 'students', { schoolId: 2, id: 5, classId: 10 })).toBe(false);
  });

  it('lets a subject teacher read the students of every class they teach, and edit none', () => {
    expect(scopesFor(teacher, 'list', 'students')).toEqual([{ schoolId: 1, scope: { kind: 'classes', classIds: [10, 11] } }]);
    expect(can(teacher, 'edit', 'students', { schoolId: 1, classId: 10 })).toBe(false);
  });

  it('gives no scope at all to a teacher role without assignments', () => {
    const idle: Principal = { ...base, grants: [{ schoolId: 1, role: 'subject_teacher' }] };
    expect(can(idle, 'list', 'students')).toBe(false);
  });

  it('scopes a vice principal to supervised grades, or the whole school when supervising departments only', () => {
    expect(can(vp([8, 9]), 'show', 'students', { schoolId: 1, grade: 8 })).toBe(true);
    expect(can(vp([8, 9]), 'show', 'students', { schoolId: 1, grade: 6 })).toBe(false);
    expect(can(vp([]), 'show', 'students', { schoolId: 1, grade: 6 })).toBe(true);
  });

  it('lets only an account-managing VP manage accounts, and never privileged ones', () => {
    expect(can(vp([6]), 'list', 'users')).toBe(false);
    expect(can(vp([6], true), 'edit', 'users', { schoolId: 1, roles: ['subject_teacher'] })).toBe(true);
    expect(can(vp([6], true), 'edit', 'users', { schoolId: 1, roles: ['subject_teacher', 'admin'] })).toBe(false);
    expect(canGrantRole(vp([6], true), 1, 'records_clerk')).toBe(true);
    expect(canGrantRole(vp([6], true), 1, 'principal')).toBe(false);
    expect(canGrantRole(vp([6]), 1, 'records_clerk')).toBe(false);
  });

  it('keeps a student to their own record and the office read-only', () => {
    const student: Principal = { ...base, staffId: null, grants: [{ schoolId: 1, role: 'student', studentId: 7 }] };
    expect(can(student, 'show', 'students', { schoolId: 1, id: 7 })).toBe(true);
    expect(can(student, 'show', 'students', { schoolId: 1, id: 8 })).toBe(false);
    const office: Principal = { ...base, staffId: null, grants: [{ schoolId: 1, role: 'education_office' }, { schoolId: 2, role: 'education_office' }] };
    expect(can(office, 'show', 'students', { schoolId: 2, id: 1 })).toBe(true);
    expect(can(office, 'edit', 'students', { schoolId: 2, id: 1 })).toBe(false);
    expect(can(office, 'list', 'users')).toBe(false);
  });

  it('requires TOTP for admins and principals only', () => {
    expect(requiresTotp([{ role: 'principal' }])).toBe(true);
    expect(requiresTotp([{ role: 'admin' }, { role: 'subject_teacher' }])).toBe(true);
    expect(requiresTotp([{ role: 'vice_principal' }])).toBe(false);
  });
});
