/**
 * When the nightly backup runs (Quy chế Học bạ số, Điều 8: "thực hiện sao lưu định kỳ, phòng chống mất dữ liệu"):
 * once a night at a fixed Vietnam wall-clock time (UTC+7 all year, no daylight saving), `BACKUP_AT=02:00` by
 * default. Pure: both engines — the embedded timer (server/nightly/timer.ts) and the Temporal workflow
 * (workflows/nightly-backup.ts, which may import nothing with I/O) — compute the same instants from it.
 */
import { addDays } from './progress';
import { vnAt, vnDateOf } from './timeline/calendar';

/** One night's run: the Vietnam date it belongs to (its claim key) and its instant (ISO, UTC). */
export interface NightlyRun {
  runDate: string;
  at: string;
}

export const DEFAULT_BACKUP_AT = '02:00';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `02:00` → itself; `2:00`, `24:00`, `02:60`, `2am` → null (the configuration check says what is expected). */
export function parseBackupAt(text: string): string | null {
  const t = text.trim();
  return HHMM.test(t) ? t : null;
}

/** The run of the night of `runDate` (a Vietnam date) at `hhmm` Vietnam time. */
export function nightlyRunOn(runDate: string, hhmm: string): NightlyRun {
  return { runDate, at: vnAt(runDate, hhmm) };
}

/** The latest run at or before `now`: the night a start-up after downtime may have missed. */
export function lastNightlyRun(now: string, hhmm: string): NightlyRun {
  const today = nightlyRunOn(vnDateOf(now), hhmm);
  return Date.parse(today.at) <= Date.parse(now) ? today : nightlyRunOn(addDays(today.runDate, -1), hhmm);
}

/** The first run strictly after `now`: what the job sleeps until. */
export function nextNightlyRun(now: string, hhmm: string): NightlyRun {
  const today = nightlyRunOn(vnDateOf(now), hhmm);
  return Date.parse(today.at) > Date.parse(now) ? today : nightlyRunOn(addDays(today.runDate, 1), hhmm);
}

/** A missed night is caught up at start-up only when the last good nightly backup is older than this. */
export const CATCH_UP_AFTER_MS = 24 * 3_600_000;

/**
 * Whether a start-up should take the night it missed: the job has run before (a fresh installation has missed
 * nothing; its first backup is the coming night) and its last good backup is more than a day old, or there is none.
 */
export function shouldCatchUp(input: { now: string; everRan: boolean; lastSuccessAt: string | null }): boolean {
  if (!input.everRan) return false;
  return input.lastSuccessAt === null || Date.parse(input.now) - Date.parse(input.lastSuccessAt) > CATCH_UP_AFTER_MS;
}

/** What the admin sees of the nightly job (GET /api/backups/nightly). */
export interface NightlyStatus {
  enabled: boolean;
  at: string;
  keep: number;
  /** The next scheduled run (ISO), null when the job is off. */
  next: string | null;
  last: NightlyRunRecord | null;
  /** The last good one, when the last run failed. */
  lastGood: NightlyRunRecord | null;
}

export interface NightlyRunRecord {
  runDate: string;
  status: 'running' | 'ok' | 'failed';
  claimedAt: string;
  finishedAt: string | null;
  file: string | null;
  sizeBytes: number | null;
  checked: boolean | null;
  detail: string | null;
  prunedAt: string | null;
}
