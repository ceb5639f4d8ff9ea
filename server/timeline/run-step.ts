/**
 * Runs one step of a school year's timeline, as the system actor ("Hệ thống"): reads progress as of the step's
 * instant, carries out each action (an in-app notification, queued for email; or a lock) and records the step —
 * all in one transaction. A step recorded before (by this engine, another instance, or the other engine) is a
 * no-op, and a crash mid-round leaves nothing half-done: the retry does the whole round once.
 */
import { actionsFor, messageFor, stepId, type DueAction, type Step, type TimelineConfig } from '../../domain/timeline';
import { systemActor } from '../core/actor';
import { appendAudit } from '../core/audit';
import type { Db } from '../db/knex';
import { createLock } from '../locks/locks';
import { gradesOfSchool } from '../school/common';
import type { Knex } from 'knex';
import { fileInspectionReport } from './inspection';
import { progressFor } from './providers';
import { doneStepIds, loadTimeline, recordStep, schoolCalendar, type StoredTimeline } from './store';
import { runAutoSync, type AutoSyncResult } from '../sync/auto';
import type { SyncDeps } from '../sync/operations';

export interface StepDeps {
  /** What an automatic sync batch needs (the secret box, the receiver); absent, sync milestones only remind. */
  sync?: SyncDeps;
}

export async function runTimelineStep(db: Db, schoolYearId: number, step: Step, now: string, deps: StepDeps = {}): Promise<{ actions: number }> {
  const tl = await loadTimeline(db, schoolYearId);
  if (!tl) return { actions: 0 };
  const cal = await schoolCalendar(db, schoolYearId);
  const autoSync = await autoSyncAt(db, tl, step, deps);
  const progress = await progressFor(db, schoolYearId, tl.config, cal, step);
  const actions = actionsFor(step, progress, tl.config);
  return db.transaction(async (trx) => {
    if (!(await recordStep(trx, schoolYearId, step, 'done', actions.length, now))) return { actions: 0 };
    for (const a of actions) {
      if (a.kind === 'lock') await lockScope(trx, tl, a);
      else await notify(trx, tl, a, now);
    }
    if (step.kind === 'report') await fileInspectionReport(trx, tl.schoolId, schoolYearId, step, progress, now);
    await appendAudit(trx, systemActor(tl.schoolId), {
      action: 'timeline_step',
      entity: 'timelines',
      entityId: tl.id,
      after: { step: stepId(step), at: step.at, kind: step.kind, actions: actions.length, ...(progress.available ? {} : { unavailable: progress.reason }), ...(autoSync ? { autoSync } : {}) },
      schoolId: tl.schoolId,
    });
    return { actions: actions.length };
  });
}

/**
 * A sync milestone's reminders and its due instant first build a batch of what is ready, when the school consented
 * (server/sync/auto.ts); the reminder then counts what is still owed. A step already recorded builds nothing.
 */
async function autoSyncAt(db: Db, tl: StoredTimeline, step: Step, deps: StepDeps): Promise<AutoSyncResult | null> {
  const m = tl.config.milestones.find((x) => x.key === step.milestone);
  if (!m || m.provider !== 'sync' || !deps.sync) return null;
  if (step.kind !== 'remind' && !(step.kind === 'escalate' && step.level === 1)) return null;
  if ((await doneStepIds(db, tl.schoolYearId)).has(stepId(step))) return null;
  return runAutoSync(db, tl.schoolId, tl.schoolYearId, m.scope, `${tl.schoolYearId}|${stepId(step)}`, deps.sync);
}

/** Steps superseded by a later reminder are recorded so that no engine ever runs them. */
export async function skipTimelineSteps(db: Db, schoolYearId: number, steps: Step[], now: string): Promise<void> {
  if (steps.length === 0) return;
  await db.transaction(async (trx) => {
    for (const s of steps) await recordStep(trx, schoolYearId, s, 'skipped', 0, now);
  });
}

async function notify(trx: Knex.Transaction, tl: StoredTimeline, a: DueAction, now: string): Promise<void> {
  const message = messageFor(a, tl.config);
  const firstLink = a.items.flatMap((i) => i.details).find((d) => d.link)?.link ?? null;
  await trx('notifications')
    .insert({
      school_id: tl.schoolId,
      user_id: a.recipient,
      key: a.key,
      kind: a.kind,
      milestone: a.milestone,
      title: message.title,
      lines: JSON.stringify(message.lines),
      items: JSON.stringify(a.items),
      link: a.kind === 'remind' ? firstLink : null,
      at: a.at,
      created_at: now,
      email_status: 'pending',
    })
    .onConflict('key')
    .ignore();
}

/** The lock a milestone orders at its due instant: the whole year, or each grade of its scope. */
async function lockScope(trx: Knex.Transaction, tl: StoredTimeline, a: DueAction): Promise<void> {
  const m = tl.config.milestones.find((x) => x.key === a.milestone);
  if (!m) return;
  const principal = (await trx('user_roles').where({ school_id: tl.schoolId, role: 'principal' }).orderBy('user_id').first('user_id')) as { user_id: number } | undefined;
  if (!principal) return;
  const actor = systemActor(tl.schoolId);
  const base = { schoolYearId: tl.schoolYearId, orderedBy: Number(principal.user_id), reason: `Khóa sổ theo lộ trình: ${m.title}` };
  const { grades, exceptGrades, classIds } = m.scope;
  if (classIds?.length) {
    for (const classId of classIds) await createLock(trx, actor, { ...base, scope: 'class', classId });
  } else if (grades?.length || exceptGrades?.length) {
    const all = await gradesOfSchool(trx, tl.schoolId);
    for (const grade of all.filter((g) => (!grades || grades.includes(g)) && !(exceptGrades ?? []).includes(g))) {
      await createLock(trx, actor, { ...base, scope: 'grade', grade });
    }
  } else {
    await createLock(trx, actor, { ...base, scope: 'year' });
  }
}

export type { TimelineConfig };
