import type { MilestoneScope } from '../../domain/timeline';
import { studentsForSync, type StudentSync } from '../sync/readiness';
import type { Conn } from '../transcripts/store';
import { inScope } from './entry-progress';

/**
 * The dashboard's figure for a sync milestone ("Đồng bộ … lên CSDL Bộ", issue 13: progress is the share of students
 * accepted): students of the year in the milestone's scope whose transcript in force the receiver has accepted (or
 * whose revocation it has), out of all of them. Read only: the milestone does not send batches itself, and its
 * reminders still count nothing (providers.ts) until an automatic batch can be sealed without a person's PIN.
 */
export async function syncCompletion(conn: Conn, schoolId: number, schoolYearId: number, scope: MilestoneScope): Promise<SyncFigure> {
  return syncCounter(await studentsForSync(conn, schoolId, schoolYearId))(scope);
}

export type SyncFigure = { available: true; required: number; entered: number; percent: number | null };

/** The figure for any scope over students already read (the office counts a school and each of its classes from one read). */
export function syncCounter(all: StudentSync[]): (scope: MilestoneScope) => SyncFigure {
  return (scope) => {
    const students = all.filter((s) => inScope(scope, s));
    const entered = students.filter(isAccepted).length;
    const required = students.length;
    return { available: true, required, entered, percent: required === 0 ? null : Math.floor((entered / required) * 1000) / 10 };
  };
}

/** The receiver holds the student's transcript in force (or its revocation): nothing left to send. */
export const isAccepted = (s: StudentSync) => s.decision.kind === 'skip' && s.decision.why === 'upToDate';
