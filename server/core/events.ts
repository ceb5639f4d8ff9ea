import type { Knex } from 'knex';

/**
 * What operations announce to the rest of the server. Listeners are registered by the entry point (server/app.ts
 * for HTTP, the timeline worker for its activities), never by importing a module.
 */
export type CoreEvent =
  /**
   * Inputs of these students' results changed (scores, conduct, absences, a retest, an enrolment).
   * `now`: recompute in the same transaction (the answer shows the new results); `deferred`: mark them pending —
   * a later settle (after the commit, or at the next read of results) recomputes them.
   */
  | { type: 'resultsInputsChanged'; schoolYearId: number; classId: number; studentIds: number[]; recompute: 'now' | 'deferred' }
  /** A subject's assessment plan changed: every student of the school's current year is pending. */
  | { type: 'curriculumChanged'; schoolId: number };

export type CoreEventType = CoreEvent['type'];
type EventOf<T extends CoreEventType> = Extract<CoreEvent, { type: T }>;
type Listener<T extends CoreEventType> = (trx: Knex.Transaction, event: EventOf<T>) => Promise<void>;
type CommittedListener<T extends CoreEventType> = (db: Knex, event: EventOf<T>) => Promise<void>;
type AnyListener = (trx: Knex.Transaction, event: CoreEvent) => Promise<void>;
type AnyCommittedListener = (db: Knex, event: CoreEvent) => Promise<void>;

/** A small in-process event bus: listeners in the emitting transaction, and listeners after its commit. */
export class EventBus {
  private readonly inTransaction = new Map<CoreEventType, AnyListener[]>();
  private readonly afterCommit = new Map<CoreEventType, AnyCommittedListener[]>();

  on<T extends CoreEventType>(type: T, listener: Listener<T>): void {
    this.inTransaction.set(type, [...(this.inTransaction.get(type) ?? []), listener as unknown as AnyListener]);
  }

  onCommitted<T extends CoreEventType>(type: T, listener: CommittedListener<T>): void {
    this.afterCommit.set(type, [...(this.afterCommit.get(type) ?? []), listener as unknown as AnyCommittedListener]);
  }

  /** Runs the listeners inside the caller's transaction. An event nobody listens to is a wiring mistake: it throws. */
  async emit(trx: Knex.Transaction, event: CoreEvent): Promise<void> {
    const listeners = this.inTransaction.get(event.type) ?? [];
    if (listeners.length === 0) throw new Error(`No listener for "${event.type}": the entry point must register them (see server/app.ts).`);
    for (const l of listeners) await l(trx, event);
  }

  /** Work that follows a commit (outside the caller's wait); a failure is logged, the data stays marked. */
  emitCommitted(db: Knex, event: CoreEvent): void {
    for (const l of this.afterCommit.get(event.type) ?? []) {
      l(db, event).catch((err: unknown) => console.error(`after-commit listener of "${event.type}" failed:`, err));
    }
  }

  /** Whether anything listens to `type` (registration is idempotent through it). */
  has(type: CoreEventType): boolean {
    return (this.inTransaction.get(type) ?? []).length > 0;
  }
}

/** The server's bus. */
export const events = new EventBus();

/** Announces that these students' result inputs changed (see `resultsInputsChanged`). */
export function resultInputsChanged(trx: Knex.Transaction, schoolYearId: number, classId: number, studentIds: number[], recompute: 'now' | 'deferred'): Promise<void> {
  return events.emit(trx, { type: 'resultsInputsChanged', schoolYearId, classId, studentIds, recompute });
}
