/**
 * Explicit locks (khóa sổ) at any scope and the openings an approved unlock request grants (seed 002, Điều 9.3 and
 * 14.3: locked content reopens only with the principal's approval, for the named content only).
 */
export const LOCK_SCOPES = ['cell', 'column', 'class_subject', 'class', 'grade', 'semester', 'year'] as const;
export type LockScope = (typeof LOCK_SCOPES)[number];

/** One grade-book cell, located in every dimension a lock can name. */
export interface CellRef {
  schoolYearId: number;
  semesterId: number;
  grade: number;
  classId: number;
  subjectId: number;
  studentId: number;
  kind: string;
  seq: number;
}

export interface Lock {
  id: number;
  scope: LockScope;
  schoolYearId: number;
  semesterId?: number | null;
  grade?: number | null;
  classId?: number | null;
  subjectId?: number | null;
  studentId?: number | null;
  kind?: string | null;
  seq?: number | null;
  createdAt: string;
  reason: string;
}

/** The fields each scope must name (besides the school year). */
export const LOCK_SCOPE_FIELDS: Record<LockScope, (keyof CellRef)[]> = {
  year: [],
  semester: ['semesterId'],
  grade: ['grade'],
  class: ['classId'],
  class_subject: ['classId', 'subjectId'],
  column: ['semesterId', 'classId', 'subjectId', 'kind', 'seq'],
  cell: ['semesterId', 'classId', 'subjectId', 'studentId', 'kind', 'seq'],
};

/** Does the lock reach this cell? A lock names its scope's fields, and optionally a semester to narrow a wider scope. */
export function lockCovers(lock: Lock, cell: CellRef): boolean {
  if (lock.schoolYearId !== cell.schoolYearId) return false;
  if (lock.semesterId != null && lock.semesterId !== cell.semesterId) return false;
  return LOCK_SCOPE_FIELDS[lock.scope].every((f) => lock[f as keyof Lock] === cell[f]);
}

export function sameCell(a: Omit<CellRef, 'schoolYearId' | 'grade'>, b: Omit<CellRef, 'schoolYearId' | 'grade'>): boolean {
  return (
    a.semesterId === b.semesterId &&
    a.classId === b.classId &&
    a.subjectId === b.subjectId &&
    a.studentId === b.studentId &&
    a.kind === b.kind &&
    a.seq === b.seq
  );
}
