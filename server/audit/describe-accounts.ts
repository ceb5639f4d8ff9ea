import type { Describer, Told } from './describe';
import { diffLines, recordName } from './describe-records';
import type { Phrase } from './words';

/**
 * Account events (entity `users`): sign-in and its failures, lockouts, two-step verification, passwords, and the
 * administrator's actions on an account. Each names the account; the lines say what happened in words.
 */
type After = { what?: string; attempt?: number; knownDevice?: boolean; lockedUntil?: string; replaced?: boolean };
const after = (v: unknown): After => (v && typeof v === 'object' ? (v as After) : {});

/** An event told in one fixed line. */
const said =
  (key: Phrase): Describer =>
  (ev, c) => ({ target: recordName(ev, null, c), lines: [c.say(key)] });

const FAILURES: Record<string, Phrase> = { password: 'failPassword', totp: 'failTotp', totp_reused: 'failTotpReused' };

const loginFailed: Describer = (ev, c): Told => {
  const a = after(ev.after);
  if (a.what === 'unknown_user' || !ev.entityId) return { lines: [c.say('failUnknownUser', { username: ev.username ?? '' })] };
  let line = c.say(FAILURES[a.what ?? 'password'] ?? 'failPassword');
  if (a.attempt) line = c.say('failedAttempt', { what: line, n: a.attempt });
  if (a.knownDevice) line = c.say('viaKnownDevice', { what: line });
  return { target: recordName(ev, null, c), lines: [line] };
};

export const ACCOUNT_DESCRIBERS: Record<string, Describer> = {
  'users/login': (ev, c) => ({ target: recordName(ev, null, c), lines: [c.say(after(ev.after).knownDevice ? 'loginKnownDevice' : 'loginOk')] }),
  'users/login_failed': loginFailed,
  'users/lockout': (ev, c) => {
    const until = after(ev.after).lockedUntil;
    return { target: recordName(ev, null, c), lines: [c.say('lockedUntil', { until: until ? c.instant(until) : '' })] };
  },
  'users/logout': said('loggedOut'),
  'users/totp_enable': (ev, c) => ({ target: recordName(ev, null, c), lines: [c.say(after(ev.after).replaced ? 'totpReplaced' : 'totpOn')] }),
  'users/totp_disable': said('totpOff'),
  'users/password_change': said('passwordChanged'),
  'users/reset_password': said('passwordReset'),
  'users/unlock': said('accountUnlocked'),
  'users/reset_totp': said('totpReset'),
  'users/recover': (ev, c) => ({
    target: recordName(ev, null, c),
    lines: diffLines('users', (ev.before ?? {}) as Record<string, unknown>, (ev.after ?? {}) as Record<string, unknown>, c),
  }),
};
