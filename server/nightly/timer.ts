/**
 * The nightly backup on the embedded engine (the default, `npm start`): a timer in the app process, started beside
 * the embedded timeline engine and stopped with it. At start it catches up a night missed while the server was down
 * (./nightly.ts), then sleeps until the next BACKUP_AT (domain/backup-schedule.ts) — in slices of at
 * most `maxSleepMs`, re-reading the clock each time, so a suspended machine or an injected clock is followed — and
 * runs that night. Every run claims its night in the database first, so a second app process does nothing.
 */
import { nextNightlyRun, type NightlyRun } from '../../domain/backup-schedule';
import { backupSettingsOf } from '../config';
import { catchUpMissedNight, runNightlyBackup, type NightlyDeps, type NightlyOutcome } from './nightly';

export interface NightlyTimer {
  /** The run it is waiting for. */
  next(): NightlyRun | null;
  stop(): Promise<void>;
}

export interface NightlyTimerDeps extends Omit<NightlyDeps, 'engine'> {
  /** At most this long asleep before looking at the clock again (default 15 minutes). */
  maxSleepMs?: number;
  log?: (line: string) => void;
  /** Told of each run (tests wait on it). */
  onRun?: (outcome: NightlyOutcome) => void;
}

export function startNightlyBackups(deps: NightlyTimerDeps): NightlyTimer {
  const nightly: NightlyDeps = { db: deps.db, config: deps.config, clock: deps.clock, engine: 'embedded' };
  const at = backupSettingsOf(deps.config).at;
  const maxSleep = deps.maxSleepMs ?? 15 * 60_000;
  let target: NightlyRun | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let started = false;

  const report = (outcome: NightlyOutcome | null) => {
    if (!outcome) return;
    deps.onRun?.(outcome);
    if (outcome.status === 'ok') deps.log?.(`nightly backup ${outcome.runDate}: ${outcome.file} (${outcome.registered} register line(s), ${outcome.pruned.length} pruned)`);
    if (outcome.status === 'failed') console.error(`nightly backup ${outcome.runDate} FAILED: ${outcome.detail}`);
  };
  const loop = async () => {
    try {
      if (!started) {
        started = true;
        report(await catchUpMissedNight(nightly));
      }
      if (target && Date.parse(deps.clock.now()) >= Date.parse(target.at)) {
        report(await runNightlyBackup(nightly, target.runDate));
        target = null; // only once it ran: if the database failed the claim, the next look tries the night again
      }
      target ??= nextNightlyRun(deps.clock.now(), at);
      schedule(Math.min(Math.max(Date.parse(target.at) - Date.parse(deps.clock.now()), 0), maxSleep));
    } catch (err) {
      // The database was unreachable, say: the night's claim was not taken, so the next look tries again.
      console.error('nightly backup:', err);
      schedule(Math.min(60_000, maxSleep));
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
    next: () => target,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
