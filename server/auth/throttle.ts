import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { nowIso } from '../db/knex';

type Conn = Knex | Knex.Transaction;

/**
 * Sign-in throttles, in the database (every server process shares them; nothing is process-local).
 *
 * Every check of a secret (password, TOTP code) first *reserves* an attempt with one conditional UPDATE
 * (`… SET n = n + 1 WHERE n < max AND not locked RETURNING n`), so however many requests arrive at once, at most
 * `max` wrong secrets are evaluated per lock window. A correct secret releases its reservation; a wrong one keeps
 * it, and the one that fills the last slot sets the lock. Failures count within a 15-minute window from the first.
 *
 * Counters: the account itself (`users.failed_login_count` / `locked_until`); a username that does not exist
 * (`login_throttle` key `user:<name>`, the very same rule, so both answer alike); the client address (`ip:<addr>`,
 * a larger budget over a window, so an attacker's address is stopped long before it has tried many accounts);
 * and a known device (`known_devices.failures`, see devices.ts).
 */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** Failed sign-ins per client address per window before the address must wait. */
export const IP_MAX_FAILURES = 50;
export const IP_WINDOW_MINUTES = 15;

export type Reservation = { ok: true; attempt: number } | { ok: false; lockedUntil: string };

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

function returnedNumber(rows: unknown, column: string): number | null {
  const list = rows as Array<Record<string, unknown>>;
  return list.length > 0 ? Number(list[0][column]) : null;
}

/** Reserves one attempt on the account; refused while it is locked or all attempts are being evaluated. */
export async function reserveAccountAttempt(db: Conn, userId: number): Promise<Reservation> {
  const now = nowIso();
  // Failures older than the window (counted from the first of them) are forgotten.
  await db('users')
    .where({ id: userId })
    .where('failed_login_window_at', '<=', new Date(Date.now() - LOCK_MINUTES * 60_000).toISOString())
    .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .update({ failed_login_count: 0, failed_login_window_at: null });
  const rows = await db('users')
    .where({ id: userId })
    .where('failed_login_count', '<', MAX_FAILED_LOGINS)
    .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .update({ failed_login_count: db.raw('failed_login_count + 1'), failed_login_window_at: db.raw('coalesce(failed_login_window_at, ?)', [now]) })
    .returning('failed_login_count');
  const attempt = returnedNumber(rows, 'failed_login_count');
  if (attempt !== null) return { ok: true, attempt };
  const row = (await db('users').where({ id: userId }).first('locked_until')) as { locked_until: string | null } | undefined;
  return { ok: false, lockedUntil: row?.locked_until && row.locked_until > now ? row.locked_until : later(LOCK_MINUTES) };
}

/**
 * A correct secret gives its reserved attempt back — and only that: failures already counted in the window stay
 * (a success in the middle of an attack must not hand the attacker five fresh attempts).
 */
export async function releaseAccountAttempt(db: Conn, userId: number): Promise<void> {
  await db('users').where({ id: userId }).where('failed_login_count', '>', 0).update({ failed_login_count: db.raw('failed_login_count - 1') });
}

/** A wrong secret keeps its attempt; the last one locks the account (and starts a fresh count). Returns the lock's end, if any. */
export async function failAccountAttempt(db: Conn, userId: number, attempt: number): Promise<string | null> {
  if (attempt < MAX_FAILED_LOGINS) return null;
  const until = later(LOCK_MINUTES);
  await db('users').where({ id: userId }).update({ failed_login_count: 0, failed_login_window_at: null, locked_until: until });
  return until;
}

async function ensureRow(db: Conn, key: string): Promise<void> {
  // Now and then, forget counters that ended a day ago (a spray of made-up usernames must not grow the table forever).
  if (Math.random() < 0.01) {
    const dayAgo = new Date(Date.now() - 24 * 3_600_000).toISOString();
    await db('login_throttle')
      .where('window_started_at', '<', dayAgo)
      .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<', dayAgo))
      .delete();
  }
  await db('login_throttle').insert({ key, failures: 0, window_started_at: nowIso(), locked_until: null }).onConflict('key').ignore();
}

/**
 * Reserves an attempt under a throttle key. `windowMinutes`: failures older than the window are forgotten (client
 * addresses); null: they count until the lock (unknown usernames, exactly like an account).
 */
export async function reserveKeyAttempt(db: Conn, key: string, max: number, windowMinutes: number | null): Promise<Reservation> {
  await ensureRow(db, key);
  const now = nowIso();
  // An expired lock, or (with a window) an expired window, starts over.
  await db('login_throttle')
    .where({ key })
    .where((w) => {
      w.where((l) => l.whereNotNull('locked_until').where('locked_until', '<=', now));
      if (windowMinutes !== null) {
        w.orWhere((l) => l.whereNull('locked_until').where('window_started_at', '<=', new Date(Date.now() - windowMinutes * 60_000).toISOString()));
      }
    })
    .update({ failures: 0, window_started_at: now, locked_until: null });
  const rows = await db('login_throttle')
    .where({ key })
    .where('failures', '<', max)
    .where((w) => w.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .update({ failures: db.raw('failures + 1') })
    .returning('failures');
  const attempt = returnedNumber(rows, 'failures');
  if (attempt !== null) return { ok: true, attempt };
  const row = (await db('login_throttle').where({ key }).first('locked_until')) as { locked_until: string | null } | undefined;
  return { ok: false, lockedUntil: row?.locked_until && row.locked_until > now ? row.locked_until : later(LOCK_MINUTES) };
}

export async function releaseKeyAttempt(db: Conn, key: string): Promise<void> {
  await db('login_throttle').where({ key }).where('failures', '>', 0).update({ failures: db.raw('failures - 1') });
}

export async function failKeyAttempt(db: Conn, key: string, attempt: number, max: number, lockMinutes: number): Promise<string | null> {
  if (attempt < max) return null;
  const until = later(lockMinutes);
  await db('login_throttle').where({ key }).update({ failures: 0, locked_until: until });
  return until;
}

export const ipKey = (ip: string | null) => `ip:${(ip ?? 'unknown').slice(0, 100)}`;
/** Hashed: the table never holds what people typed as a username (sometimes a password in the wrong field). */
export const unknownUserKey = (username: string) => `user:${crypto.createHash('sha256').update(username).digest('hex')}`;
