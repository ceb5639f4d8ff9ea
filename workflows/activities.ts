/**
 * The timeline's activities: the world-touching half of the workflows, built from their dependencies. They call
 * the same server operations the embedded engine calls, as the system actor; nothing here knows of HTTP.
 */
import { stepsOf } from '../domain/timeline';
import { catchUpMissedNight, runNightlyBackup, type NightlyDeps } from '../server/nightly/nightly';
import type { Db } from '../server/db/knex';
import { deliverEmails } from '../server/notifications/deliver';
import type { Mailer } from '../server/notifications/mailer';
import type { Clock } from '../server/timeline/engine';
import { runTimelineStep, skipTimelineSteps } from '../server/timeline/run-step';
import { syncDepsOf } from '../server/sync/operations';
import { doneStepIds, loadTimeline, schoolCalendar } from '../server/timeline/store';
import type { BackupActivities, MilestonePlan, TimelineActivities } from './activity-types';

export interface ActivityDeps {
  db: Db;
  clock: Clock;
  mailer: Mailer | null;
  /** What the nightly backup needs (the database's address, the backup settings); the worker passes its config. */
  config?: NightlyDeps['config'];
}

export function createActivities({ db, clock, mailer, config }: ActivityDeps): TimelineActivities & BackupActivities {
  const nightly = (): NightlyDeps => {
    // A worker built without its configuration cannot know where backups go: say so rather than guess.
    if (!config) throw new Error('createActivities was given no config: the nightly backup needs DATABASE_URL and the BACKUP_* settings');
    return { db, config, clock, engine: 'temporal' };
  };
  const plan = async (schoolYearId: number) => {
    const tl = await loadTimeline(db, schoolYearId);
    return tl ? { tl, steps: stepsOf(tl.config, await schoolCalendar(db, schoolYearId)) } : undefined;
  };
  return {
    async listMilestones(schoolYearId) {
      const p = await plan(schoolYearId);
      return p ? [...new Set(p.steps.map((s) => s.milestone))] : [];
    },
    async loadMilestonePlan(schoolYearId, milestone): Promise<MilestonePlan> {
      const p = await plan(schoolYearId);
      if (!p) return { steps: [], done: [], activatedAt: clock.now() };
      return { steps: p.steps.filter((s) => s.milestone === milestone), done: [...(await doneStepIds(db, schoolYearId))], activatedAt: p.tl.activatedAt };
    },
    // With the worker's config, a sync milestone's steps can build automatic batches (server/sync/auto.ts).
    runStep: (schoolYearId, step) => runTimelineStep(db, schoolYearId, step, clock.now(), config ? { sync: syncDepsOf(config) } : {}),
    skipSteps: (schoolYearId, steps) => skipTimelineSteps(db, schoolYearId, steps, clock.now()),
    async deliverEmails() {
      return (await deliverEmails(db, mailer, clock.now())) ?? null;
    },
    catchUpNightlyBackup: () => catchUpMissedNight(nightly()),
    runNightlyBackup: (runDate) => runNightlyBackup(nightly(), runDate),
  };
}
