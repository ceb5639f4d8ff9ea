/**
 * The embedded engine (the default for `npm start`, no extra process): the same planner and the same step runner
 * as the Temporal workflows, driven by one timer in the app process. What ran is in the database
 * (timeline_steps, notifications), so after downtime a due instant that passed while the server was off runs once
 * at start, and two app processes on one database never run a step twice.
 */
import { dueSteps, nextStep, stepsOf } from '../../domain/timeline';
import type { Db } from '../db/knex';
import type { Mailer } from '../notifications/mailer';
import { deliverEmails } from '../notifications/deliver';
import { runTimelineStep, skipTimelineSteps, type StepDeps } from './run-step';
import { activeTimelineYears, doneStepIds, loadTimeline, schoolCalendar } from './store';

export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

export interface TickReport {
  steps: number;
  actions: number;
}

/** Runs every step due at `now` in every running timeline; returns what it did. */
export async function runDueSteps(db: Db, now: string, stepDeps: StepDeps = {}): Promise<TickReport> {
  const report: TickReport = { steps: 0, actions: 0 };
  for (const yearId of await activeTimelineYears(db)) {
    const tl = await loadTimeline(db, yearId);
    if (!tl) continue;
    const steps = stepsOf(tl.config, await schoolCalendar(db, yearId));
    const { due, superseded } = dueSteps(steps, { activatedAt: tl.activatedAt, now }, await doneStepIds(db, yearId));
    await skipTimelineSteps(db, yearId, superseded, now);
    for (const s of due) {
      const { actions } = await runTimelineStep(db, yearId, s, now, stepDeps);
      report.steps += 1;
      report.actions += actions;
    }
  }
  return report;
}

/** The next instant any running timeline has a step (undefined when none is left). */
export async function nextDueAt(db: Db, now: string): Promise<string | undefined> {
  let next: string | undefined;
  for (const yearId of await activeTimelineYears(db)) {
    const tl = await loadTimeline(db, yearId);
    if (!tl) continue;
    const s = nextStep(stepsOf(tl.config, await schoolCalendar(db, yearId)), now > tl.activatedAt ? now : tl.activatedAt, await doneStepIds(db, yearId));
    if (s && (!next || s.at < next)) next = s.at;
  }
  return next;
}

export interface EmbeddedEngine {
  /** Re-plans at once (a timeline changed). */
  wake(): void;
  stop(): Promise<void>;
}

/** Starts the timer loop: run what is due, deliver email, sleep until the next step (at most `maxSleepMs`). */
export function startEmbeddedEngine(db: Db, deps: { clock?: Clock; mailer?: Mailer | null; maxSleepMs?: number; log?: (m: string) => void } & StepDeps = {}): EmbeddedEngine {
  const clock = deps.clock ?? systemClock;
  const maxSleep = deps.maxSleepMs ?? 15 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const loop = async () => {
    try {
      const now = clock.now();
      const r = await runDueSteps(db, now, { sync: deps.sync });
      if (r.steps && deps.log) deps.log(`timeline: ${r.steps} step(s), ${r.actions} action(s)`);
      const mailNext = await deliverEmails(db, deps.mailer ?? null, clock.now());
      const next = [await nextDueAt(db, clock.now()), mailNext].filter((x): x is string => !!x).sort()[0];
      schedule(next ? Math.min(Math.max(Date.parse(next) - Date.parse(clock.now()), 0), maxSleep) : maxSleep);
    } catch (err) {
      console.error('timeline engine:', err);
      schedule(60_000);
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void (running = loop()), ms);
    timer.unref();
  };
  running = loop();
  return {
    wake: () => schedule(0),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** The embedded engine behind the control interface the API uses. */
export function embeddedControl(db: Db, deps: { clock?: Clock; mailer?: Mailer | null; log?: (m: string) => void } & StepDeps = {}): { engine: 'embedded'; changed: (schoolYearId: number) => Promise<void>; stop: () => Promise<void> } {
  const engine = startEmbeddedEngine(db, deps);
  return { engine: 'embedded', changed: async () => engine.wake(), stop: () => engine.stop() };
}
