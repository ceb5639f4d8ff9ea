import type { Db } from '../db/knex';
import type { Actor } from '../core/actor';
import { gridView } from '../gradebook/grid';
import { classSummary } from '../results/summary';

/**
 * The frozen content of a printed grade book: everything the PDF shows, already formatted as it is printed
 * (decimal comma, Đ/CĐ, level names). Stored as JSON at approval, so the PDF can be redrawn byte for byte later
 * even after scores, names or the layout's data sources change.
 */
export type Period = '1' | '2' | 'year';

export interface SubjectPage {
  semester: 1 | 2;
  name: string;
  kind: 'scored' | 'comment';
  teacher: string | null;
  /** Applied correction requests for this class × subject × semester. */
  corrections: number;
  headers: string[];
  rows: Array<{ name: string; cells: string[] }>;
}

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

/** A score as a Vietnamese teacher writes it: decimal comma; comment subjects Đ / CĐ. */
export function printed(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (value === 'D') return 'Đ';
  if (value === 'CD') return 'CĐ';
  return value.replace('.', ',');
}

const LEVEL: Record<string, string> = { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' };
const level = (l: string | null | undefined) => (l ? (LEVEL[l] ?? l) : '');
export const periodLabel = (p: Period) => (p === '1' ? 'Học kỳ I' : p === '2' ? 'Học kỳ II' : 'Cả năm');

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
export async function buildSnapshot(db: Db, actor: Actor, input: SnapshotInput): Promise<PrintSnapshot> {
  const klass = await db('classes as c')
    .join('school_years as y', 'y.id', 'c.school_year_id')
    .join('schools as s', 's.id', 'c.school_id')
    .leftJoin('staff as h', 'h.id', 'c.homeroom_staff_id')
    .where('c.id', input.classId)
    .first('c.name', 'y.name as year_name', 's.name as school_name', 's.code as school_code', 'h.full_name as homeroom');
  const semesters = await db('semesters').where({ school_year_id: input.schoolYearId }).orderBy('number').select('id', 'number');
  const wanted = input.period === 'year' ? [1, 2] : [Number(input.period)];
  const summary = await classSummary(db, actor, { classId: input.classId, schoolYearId: input.schoolYearId, semester: input.period });
  const teachers = new Map<number, string>(
    (await db('teaching_assignments as a').join('staff as st', 'st.id', 'a.staff_id').where('a.class_id', input.classId).select('a.subject_id', 'st.full_name')).map((r) => [
      Number(r.subject_id),
      String(r.full_name),
    ]),
  );
  const corrections = new Map<string, number>(
    (
      (await db('correction_requests')
        .where({ class_id: input.classId, status: 'applied' })
        .groupBy('subject_id', 'semester_id')
        .select('subject_id', 'semester_id')
        .count({ n: '*' })) as Array<{ subject_id: number; semester_id: number; n: number | string }>
    ).map((r) => [`${r.subject_id}:${r.semester_id}`, Number(r.n)]),
  );

  const subjectPages: SubjectPage[] = [];
  for (const sem of semesters.filter((s) => wanted.includes(Number(s.number)))) {
    for (const subject of summary.subjects) {
      const grid = await gridView(db, actor, { classId: input.classId, subjectId: subject.id, semesterId: sem.id }, 'vi');
      const second = Number(sem.number) === 2;
      const headers = [
        ...grid.columns.map((c) => (c.kind === 'regular' ? `ĐĐGtx ${c.seq}` : c.kind === 'midterm' ? 'ĐĐGgk' : 'ĐĐGck')),
        // Semester II shows semester I's result beside its own and the year's, in the paper book's order.
        ...(second ? ['ĐTBmhk I', 'ĐTBmhk II', 'ĐTBmcn'] : ['ĐTBmhk I']),
      ];
      const rows = grid.rows.map((r) => {
        const cells = grid.columns.map((c) => printed((r.cells[`${c.kind}:${c.seq}`] as { value: string | null }).value));
        if (second) {
          const y = r as { firstSemesterResult?: string | null; yearResult?: string | null };
          cells.push(printed(y.firstSemesterResult), printed(r.semesterResult), printed(y.yearResult));
        } else cells.push(printed(r.semesterResult));
        return { name: r.student.fullName.normalize('NFC'), cells };
      });
      subjectPages.push({
        semester: Number(sem.number) as 1 | 2,
        name: subject.name,
        kind: subject.kind === 'comment' ? 'comment' : 'scored',
        teacher: teachers.get(subject.id) ?? null,
        corrections: corrections.get(`${subject.id}:${sem.id}`) ?? 0,
        headers,
        rows,
      });
    }
  }

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
