import type { Db } from '../db/knex';
import type { Actor } from '../core/actor';
import { PRINT_BOOK_NAMES, type PrintKind } from '../../domain/printing';
import type { RunStamp } from './common-snapshot';
import { buildEnrolmentSnapshot } from './enrolment-snapshot';
import { buildRollCallSnapshot } from './rollcall-snapshot';
import { buildGradebookSnapshot } from './snapshot';
import type { Period } from './subject-pages';

/** A print run's row as the books need it (print_runs). */
export interface RunRow {
  id: number;
  kind: PrintKind;
  school_id: number;
  school_year_id: number;
  class_id: number | null;
  grade: number | null;
  period: string;
}

/** Reads the book a run prints, as the approving principal, into the snapshot that is frozen with the approval. */
export async function buildBookSnapshot(db: Db, actor: Actor, run: RunRow, stamp: RunStamp): Promise<unknown> {
  const period = run.period as Period;
  const schoolYearId = Number(run.school_year_id);
  if (run.kind === 'enrolment') return buildEnrolmentSnapshot(db, { ...stamp, schoolId: Number(run.school_id), schoolYearId, grade: run.grade === null ? null : Number(run.grade) });
  const classId = Number(run.class_id);
  if (run.kind === 'rollcall') return buildRollCallSnapshot(db, actor, { ...stamp, classId, schoolYearId, period });
  return buildGradebookSnapshot(db, actor, { ...stamp, classId, schoolYearId, period });
}

/** The PDF's file name: the book, its class (or scope), period and run — ASCII, as browsers save it. */
export function bookFileName(run: { id: number; kind: PrintKind; period: string; grade: number | null }, className: string | null, yearName: string): string {
  const period = run.period === 'year' ? 'ca-nam' : `hk${run.period}`;
  if (run.kind === 'enrolment') return `so-dang-bo-${yearName}${run.grade === null ? '' : `-khoi-${run.grade}`}-luot-${run.id}.pdf`;
  return `${run.kind === 'rollcall' ? 'so-goi-ten' : 'so-diem'}-${className}-${period}-luot-${run.id}.pdf`;
}

export const bookName = (kind: unknown) => PRINT_BOOK_NAMES[kind as PrintKind] ?? PRINT_BOOK_NAMES.gradebook;
