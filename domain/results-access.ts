/**
 * Who sees and who handles the computed results (roles.md), beside domain/permissions.ts.
 *
 * The class summary sheet (bảng tổng hợp) spans every subject of a class, so it follows the class-wide readers of
 * the grade book, not the per-subject ones: the homeroom teacher of the class, a vice principal for the grades
 * they supervise (or every class when they supervise departments only, as for students), the principal, the admin
 * and academic staff. A subject teacher or department head sees their own grade books, not the whole sheet.
 */
import type { Principal } from './permissions';

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
