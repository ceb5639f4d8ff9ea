import type { Kind } from '../common/scores';

/** The grade book as GET/PUT /api/gradebook return it (server/gradebook/grid.ts). */
export type { Kind };
export type AssessmentType = 'scored' | 'comment';

export interface CellClosure {
  rule: string;
  since: string | null;
  message: string;
}

export interface GridCell {
  /** Canonical: '8.5', '10', 'D', 'CD', or null. */
  value: string | null;
  version: number;
  updatedAt: string | null;
  closed: CellClosure | null;
}

export interface GridRow {
  student: { id: number; code: string; fullName: string };
  cells: Record<string, GridCell>;
  semesterResult: string | null;
  comment: { text: string; version: number };
  firstSemesterResult?: string | null;
  yearResult?: string | null;
}

export interface GridData {
  class: { id: number; name: string; grade: number };
  subject: { id: number; code: string; name: string; assessmentType: AssessmentType; departmentId: number | null; regularCount: number };
  semester: { id: number; number: number; startDate: string; endDate: string };
  columns: Array<{ kind: Kind; seq: number }>;
  testDates: { midterm: string | null; final: string | null };
  settings: { regularCutoffWeekday: number; regularCutoffTime: string; periodicWindowDays: number };
  canWrite: boolean;
  now: string;
  rows: GridRow[];
  saved?: number;
}

export interface SaveCell {
  studentId: number;
  kind: Kind;
  seq: number;
  value: string | null;
  version: number;
}

export interface SaveComment {
  studentId: number;
  text: string;
  version: number;
}

/** 409: what a colleague saved since the grid was loaded. */
export interface StaleCell {
  studentId: number;
  kind: Kind;
  seq: number;
  value: string | null;
  version: number;
}
export interface StaleComment {
  studentId: number;
  text: string | null;
  version: number;
}

/** 423: cells the rules (cutoff, window, lock) closed, with the server's reason. */
export interface ClosedCell {
  studentId: number;
  kind: Kind;
  seq: number;
  rule: string;
  since: string | null;
  message: string;
}

export const colKey = (kind: string, seq: number) => `${kind}:${seq}`;
export const COMMENT_COL = 'comment';
