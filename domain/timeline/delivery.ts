/**
 * When email may go out (the in-app item always arrives at once): at most one digest per person per day merging
 * their items, never between 21:00 and 06:30 Vietnam time; an escalation is never held back to the next day by the
 * one-a-day rule, only by the night.
 */
import { vnAt, vnDateOf } from './calendar';
import { addDays } from '../progress';
import type { StepKind } from './types';

export const QUIET_FROM = '21:00';
export const QUIET_UNTIL = '06:30';

/** The first instant at or after `now` outside the quiet hours. */
export function nextSendable(now: string): string {
  const today = vnDateOf(now);
  if (now < vnAt(today, QUIET_UNTIL)) return vnAt(today, QUIET_UNTIL);
  if (now >= vnAt(today, QUIET_FROM)) return vnAt(addDays(today, 1), QUIET_UNTIL);
  return now;
}

export interface PendingEmail {
  kind: StepKind;
}

/** When the digest of a person's pending items goes out, or null when nothing is pending. */
export function digestSendAt(pending: PendingEmail[], lastDigestAt: string | null, now: string): string | null {
  if (pending.length === 0) return null;
  const at = nextSendable(now);
  const urgent = pending.some((p) => p.kind === 'escalate');
  if (!urgent && lastDigestAt && vnDateOf(lastDigestAt) === vnDateOf(at)) return vnAt(addDays(vnDateOf(at), 1), QUIET_UNTIL);
  return at;
}
