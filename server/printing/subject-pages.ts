import type { Db } from '../db/knex';
import type { Actor } from '../core/actor';
import { gridView } from '../gradebook/grid';

/**
 * The subject pages of a printed class book — the grade book's and the roll-call book's — read through the grade
 * book's own gridView as `actor` (the approving principal, who reads every class), so the printed values are
 * exactly what the screens show, already formatted as printed (decimal comma, Đ/CĐ).
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

/** A score as a Vietnamese teacher writes it: decimal comma; comment subjects Đ / CĐ. */
export function printed(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (value === 'D') return 'Đ';
  if (value === 'CD') return 'CĐ';
  return value.replace('.', ',');
}

export const periodLabel = (p: Period) => (p === '1' ? 'Học kỳ I' : p === '2' ? 'Học kỳ II' : 'Cả năm');

export interface SubjectPagesInput {
  classId: number;
  schoolYearId: number;
  period: Period;
  /** The class's subjects in the summary's order (classSummary's `subjects`). */
  subjects: Array<{ id: number; name: string; kind: string }>;
}

export async function readSubjectPages(db: Db, actor: Actor, input: SubjectPagesInput): Promise<SubjectPage[]> {
  const semesters = await db('semesters').where({ school_year_id: input.schoolYearId }).orderBy('number').select('id', 'number');
  const wanted = input.period === 'year' ? [1, 2] : [Number(input.period)];
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

  const pages: SubjectPage[] = [];
  for (const sem of semesters.filter((s) => wanted.includes(Number(s.number)))) {
    for (const subject of input.subjects) {
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
      pages.push({
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
  return pages;
}
