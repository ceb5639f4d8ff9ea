import type { Knex } from 'knex';
import { semesterAverage, semesterComment, yearAverage, yearComment, type Comment } from '../../domain/scoring';
import { keyOf, loadCells } from './cells';
import type { Gradebook } from './target';

type Conn = Knex | Knex.Transaction;

/** Each student's semester result (ĐTBmhk or Đ/CĐ) in a grade book, from its stored cells (Điều 9.1). */
export async function semesterResults(conn: Conn, gb: Gradebook, studentIds: number[]): Promise<Map<number, string | null>> {
  const cells = await loadCells(conn, gb);
  const v = (studentId: number, kind: string, seq: number) => cells.get(keyOf({ studentId, kind, seq }))?.value ?? null;
  const out = new Map<number, string | null>();
  for (const id of studentIds) {
    const regular = Array.from({ length: gb.regularCount }, (_, i) => v(id, 'regular', i + 1));
    out.set(
      id,
      gb.subject.assessmentType === 'scored'
        ? semesterAverage(regular, v(id, 'midterm', 1), v(id, 'final', 1), gb.regularCount)
        : semesterComment(regular, v(id, 'midterm', 1), v(id, 'final', 1), gb.regularCount),
    );
  }
  return out;
}

/** The same class × subject's semester I grade book, when `gb` is semester II. */
export async function firstSemesterOf(conn: Conn, gb: Gradebook): Promise<Gradebook | null> {
  if (gb.semester.number !== 2) return null;
  const s1 = (await conn('semesters').where({ school_year_id: gb.schoolYearId, number: 1 }).first()) as Record<string, unknown> | undefined;
  if (!s1) return null;
  return { ...gb, semester: { id: Number(s1.id), number: 1, startDate: String(s1.start_date), endDate: String(s1.end_date) } };
}

/** ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII)/3 from the rounded semester averages; comment subjects take semester II's result. */
export function yearResult(gb: Gradebook, s1: string | null, s2: string | null): string | null {
  return gb.subject.assessmentType === 'scored' ? yearAverage(s1, s2) : yearComment(s2 as Comment | null);
}
