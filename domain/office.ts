/**
 * The education office's dashboard (issue 13, "Education office (S1)"; roles.md: Phòng/Sở GDĐT supervises the
 * progress of the schools under it, read only). Pure rules: what status a student's sync is in, and which school is
 * furthest behind. No I/O.
 */
import type { SyncDecision, SyncRecordStatus } from './sync/rules';

/** A student's sync status as the office counts it: the batch statuses, plus `none` (nothing of this year to send). */
export type OfficeSyncStatus = SyncRecordStatus | 'none';
export const OFFICE_SYNC_STATUSES: readonly OfficeSyncStatus[] = ['not_ready', 'ready', 'sent', 'accepted', 'rejected', 'none'];

/**
 * - the receiver holds the version in force (or its revocation): accepted;
 * - not sealed yet: not ready;
 * - something to send: what became of the last batch line of that very version (ready in a built batch, sent,
 *   rejected); with no such line it is ready, waiting for a batch;
 * - nothing of this year to send (revoked before any send, superseded by a later year's version): none.
 */
export function studentSyncStatus(decision: SyncDecision, last: { status: SyncRecordStatus; versionId: number | null } | null): OfficeSyncStatus {
  switch (decision.kind) {
    case 'skip':
      return decision.why === 'upToDate' ? 'accepted' : 'none';
    case 'not_ready':
      return 'not_ready';
    case 'entry':
      return last && last.versionId === decision.versionId && (last.status === 'sent' || last.status === 'rejected' || last.status === 'ready') ? last.status : 'ready';
  }
}

export interface MilestoneFigure {
  due: string | null;
  percent?: number | null;
}

/**
 * How far behind a school is, as one number to sort by (lower = further behind): the lowest completion among the
 * milestones already due; before any is due, the completion of the next one due (the work at hand, not the sync of
 * May in October). Null when nothing can be counted.
 */
export function lagOf(milestones: MilestoneFigure[], now: string): number | null {
  const counted = milestones.filter((m): m is MilestoneFigure & { percent: number } => typeof m.percent === 'number');
  const due = counted.filter((m) => m.due !== null && m.due <= now);
  if (due.length > 0) return Math.min(...due.map((m) => m.percent));
  const next = counted.reduce<string | null>((d, m) => (m.due !== null && (d === null || m.due < d) ? m.due : d), null);
  const pool = next === null ? counted : counted.filter((m) => m.due === next);
  return pool.length === 0 ? null : Math.min(...pool.map((m) => m.percent));
}

/** Furthest behind first; schools with nothing to count last; then by name (Vietnamese order). */
export function byFurthestBehind(a: { lag: number | null; name: string }, b: { lag: number | null; name: string }): number {
  if (a.lag !== b.lag) {
    if (a.lag === null) return 1;
    if (b.lag === null) return -1;
    return a.lag - b.lag;
  }
  return a.name.localeCompare(b.name, 'vi', { numeric: true });
}
