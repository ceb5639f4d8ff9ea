import type { Knex } from 'knex';
import type { Gradebook } from './target';

type Listener = (trx: Knex.Transaction, gb: Gradebook, studentIds: number[]) => Promise<void>;
const listeners: Listener[] = [];

/**
 * Capabilities that derive data from scores (stored results, progress) register here, so a save recomputes them
 * in the same transaction without the grade book knowing who they are.
 */
export function onScoresChangedListen(listener: Listener): void {
  listeners.push(listener);
}

export async function onScoresChanged(trx: Knex.Transaction, gb: Gradebook, studentIds: number[]): Promise<void> {
  for (const l of listeners) await l(trx, gb, studentIds);
}

type CommittedListener = (db: Knex, gb: Gradebook, studentIds: number[]) => Promise<void>;
const committedListeners: CommittedListener[] = [];

/** Work that may follow a save once it is committed (and answered), outside the teacher's wait. */
export function onScoresCommittedListen(listener: CommittedListener): void {
  committedListeners.push(listener);
}

export async function onScoresCommitted(db: Knex, gb: Gradebook, studentIds: number[]): Promise<void> {
  for (const l of committedListeners) await l(db, gb, studentIds);
}
