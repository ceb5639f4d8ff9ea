/**
 * Who sees entry progress, and of which grade books (roles.md, timeline.md "Reminders and escalations"):
 * the principal (inspects entry monthly) and the admin see the whole school; the education office supervises the
 * progress of its schools (read only); a vice principal sees the grades and departments they supervise; a
 * department head their department's subjects; a homeroom teacher their class (they chase its subject teachers);
 * a subject teacher their own class × subject assignments. Nobody else — academic staff, clerks, accountants and
 * students get nothing. Pure: the API filters with it, the portal hides the menu with it.
 */
import type { Principal } from './permissions';

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
