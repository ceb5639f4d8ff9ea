/**
 * Who may import records from a spreadsheet and who may carry a school year over to the next (roles.md).
 * Kept beside permissions.ts rather than inside it: these are whole-school operations, not REST resources,
 * and always reach the whole school of the grant.
 */
import type { Principal, Role } from './permissions';

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
