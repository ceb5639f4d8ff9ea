import type { EventBus } from '../core/events';
import { markPending, markSubjectPending, recomputeStudents, scheduleSettle } from './recompute';

/**
 * The one way results follow their inputs: operations emit `resultsInputsChanged` / `curriculumChanged`, these
 * listeners recompute or mark, and after a commit settle what was marked. Called once by each entry point.
 */
export function registerResultsListeners(bus: EventBus): void {
  if (bus.has('resultsInputsChanged')) return;
  bus.on('resultsInputsChanged', (trx, e) =>
    e.recompute === 'now' ? recomputeStudents(trx, e.schoolYearId, e.classId, e.studentIds) : markPending(trx, e.schoolYearId, e.classId, e.studentIds),
  );
  // A save's recompute follows its commit, so the teacher's save does not wait for a whole year's arithmetic.
  bus.onCommitted('resultsInputsChanged', (db, e) => scheduleSettle(db, e.schoolYearId, e.classId));
  bus.on('curriculumChanged', (trx, e) => markSubjectPending(trx, e.schoolId));
}
