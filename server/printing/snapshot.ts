import type { Db } from '../db/knex';
import type { Actor } from '../core/actor';
import { classSummary } from '../results/summary';
import { periodLabel, printed, readSubjectPages, type Period, type SubjectPage } from './subject-pages';

export type { Period, SubjectPage } from './subject-pages';

/**
 * The frozen content of a printed grade book: everything the PDF shows, already formatted as it is printed
 * (decimal comma, Đ/CĐ, level names). Stored as JSON at approval, so the PDF can be redrawn byte for byte later
 * even after scores, names or the layout's data sources change.
 */
export interface PrintSnapshot {
  format: 1;
  runId: number;
  code: string;
  /** Where the QR code leads (the public check of this code). */
  verifyUrl: string;
  approvedAt: string;
  approvedBy: string;
  school: { name: string; code: string };
  className: string;
  schoolYear: string;
  period: Period;
  homeroomTeacher: string | null;
  subjectPages: SubjectPage[];
  summary: { title: string; subjects: string[]; rows: Array<{ name: string; subjects: string[]; learning: string; conduct: string; absences: string }> };
}

const LEVEL: Record<string, string> = { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' };
const level = (l: string | null | undefined) => (l ? (LEVEL[l] ?? l) : '');

export interface SnapshotInput {
  runId: number;
  code: string;
  verifyUrl: string;
  approvedAt: string;
  approvedBy: string;
  classId: number;
  schoolYearId: number;
  period: Period;
}

/**
 * Reads the book through the grade book's and the results' own queries (gridView, classSummary), as `actor` — the
 * approving principal, who reads every class — so the printed values are exactly what the screens show.
 */
export async function buildGradebookSnapshot(db: Db, actor: Actor, input: SnapshotInput): Promise<PrintSnapshot> {
  const klass = await db('classes as c')
    .join('school_years as y', 'y.id', 'c.school_year_id')
    .join('schools as s', 's.id', 'c.school_id')
    .leftJoin('staff as h', 'h.id', 'c.homeroom_staff_id')
    .where('c.id', input.classId)
    .first('c.name', 'y.name as year_name', 's.name as school_name', 's.code as school_code', 'h.full_name as homeroom');
  const summary = await classSummary(db, actor, { classId: input.classId, schoolYearId: input.schoolYearId, semester: input.period });
  const subjectPages = await readSubjectPages(db, actor, { classId: input.classId, schoolYearId: input.schoolYearId, period: input.period, subjects: summary.subjects });

  const sem = input.period === '1' ? 'hk1' : input.period === '2' ? 'hk2' : 'final';
  const summaryRows = summary.rows.map((r) => {
    const row = r as unknown as {
      student: { fullName: string };
      subjects: Record<string, Record<string, string | null>>;
      learning: Record<string, string | null>;
      conduct: Record<string, string | null>;
      absences: number;
    };
    return {
      name: row.student.fullName.normalize('NFC'),
      subjects: summary.subjects.map((s) => printed(row.subjects[s.code]?.[sem === 'final' ? 'final' : sem])),
      learning: level(row.learning[sem]),
      conduct: level(row.conduct[sem]),
      absences: String(row.absences ?? 0),
    };
  });

  return {
    format: 1,
    runId: input.runId,
    code: input.code,
    verifyUrl: input.verifyUrl,
    approvedAt: input.approvedAt,
    approvedBy: input.approvedBy,
    school: { name: String(klass.school_name), code: String(klass.school_code) },
    className: String(klass.name),
    schoolYear: String(klass.year_name),
    period: input.period,
    homeroomTeacher: klass.homeroom ? String(klass.homeroom) : null,
    subjectPages,
    summary: { title: `Bảng tổng hợp kết quả đánh giá – ${periodLabel(input.period)}`, subjects: summary.subjects.map((s) => s.name), rows: summaryRows },
  };
}
