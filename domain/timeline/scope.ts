import type { MilestoneScope } from './types';

/** A grade book, a transcript or a student (by grade and class) inside a milestone's grades and classes. */
export function inScope(scope: MilestoneScope, b: { grade: number; classId: number }): boolean {
  if (scope.grades && !scope.grades.includes(b.grade)) return false;
  if (scope.exceptGrades && scope.exceptGrades.includes(b.grade)) return false;
  if (scope.classIds && !scope.classIds.includes(b.classId)) return false;
  return true;
}

/**
 * A student inside a sync milestone's scope: its grades and classes, and for the first deadline (`yearEndSettled`)
 * not waiting for a retest or summer training (Điều 12–14).
 */
export function inSyncScope(scope: MilestoneScope, s: { grade: number; classId: number; awaitingSummer: boolean }): boolean {
  return inScope(scope, s) && !(scope.yearEndSettled && s.awaitingSummer);
}
