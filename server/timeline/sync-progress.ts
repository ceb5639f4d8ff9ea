import type { MilestoneScope } from '../../domain/timeline';
import { studentsForSync } from '../sync/readiness';
import type { Conn } from '../transcripts/store';
import { inScope } from './entry-progress';

/**
 * The dashboard's figure for a sync milestone ("Đồng bộ … lên CSDL Bộ", issue 13: progress is the share of students
 * accepted): students of the year in the milestone's scope whose transcript in force the receiver has accepted (or
 * whose revocation it has), out of all of them. Read only: the milestone does not send batches itself, and its
 * reminders still count nothing (providers.ts) until an automatic batch can be sealed without a person's PIN.
 */
export async function syncCompletion(conn: Conn, schoolId: number, schoolYearId: number, scope: MilestoneScope): Promise<{ available: true; required: number; entered: number; percent: number | null }> {
  const students = (await studentsForSync(conn, schoolId, schoolYearId)).filter((s) => inScope(scope, s));
  const entered = students.filter((s) => s.decision.kind === 'skip' && s.decision.why === 'upToDate').length;
  const required = students.length;
  return { available: true, required, entered, percent: required === 0 ? null : Math.floor((entered / required) * 1000) / 10 };
}
