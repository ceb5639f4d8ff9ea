/** The API's digitisation rows (server/transcripts/digitisation.ts) as the pages read them. */
export interface Digitisation {
  id: number;
  studentId: number;
  studentName: string;
  schoolYearId: number;
  schoolYear: string;
  classId: number;
  className: string;
  grade: number;
  status: 'entering' | 'awaiting_second' | 'to_reconcile' | 'reviewing' | 'signing' | 'sealed';
  doubleEntry: boolean;
  entry1By: number;
  entry2By: number | null;
  versionId: number | null;
  updatedAt: string;
}

export interface EntrySubject {
  subjectId: number;
  hk1: string | null;
  hk2: string | null;
  year: string | null;
  comment: string | null;
  teacherStaffId: number;
}

export type LevelCode = 'T' | 'K' | 'D' | 'CD' | null;

export interface Entry {
  subjects: EntrySubject[];
  summary: {
    learning: { hk1: LevelCode; hk2: LevelCode; year: LevelCode };
    conduct: { hk1: LevelCode; hk2: LevelCode; year: LevelCode };
    absences: number;
    promoted: boolean | null;
    homeroomComment: string | null;
  };
  homeroomStaffId: number;
  principalStaffId: number | null;
}
