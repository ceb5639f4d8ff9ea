import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { nowIso } from '../db/knex';
import type { SecretBox } from './secret-box';
import { MAX_FAILED_LOGINS } from './throttle';

type Conn = Knex | Knex.Transaction;

/**
 * Known devices: a browser that completed a full sign-in gets a long-lived cookie (`kd`, httpOnly, SameSite=Strict,
 * path /api/auth, 90 days) holding a random token; the database keeps only its HMAC (under a key derived from the
 * session secret), bound to the user. While an account is locked, a known device of that account may still sign in
 * with the correct password *and* a current TOTP code (accounts with TOTP enabled only): a lock then stops the
 * attacker's address, not the owner's browser. A device has its own budget of MAX_FAILED_LOGINS wrong secrets,
 * reserved atomically like the account's; when it is used up the device is forgotten. Wrong passwords through a
 * device answer exactly like the lock (no oracle). A password reset, an admin recovery or a new second factor
 * forgets every device of the account.
 *
 * One cookie holds the tokens of up to MAX_TOKENS accounts (a shared computer), separated by dots.
 */
export const DEVICE_COOKIE = 'kd';
export const DEVICE_MAX_AGE_MS = 90 * 24 * 3_600_000;
const MAX_TOKENS = 5;

const idOf = (box: SecretBox, token: string) => box.mac(`known-device:${token}`);

export function deviceTokens(cookieValue: string | undefined): string[] {
  return (cookieValue ?? '')
    .split('.')
    .filter((t) => /^[A-Za-z0-9_-]{43}$/.test(t))
    .slice(0, MAX_TOKENS);
}

/** The id of this browser's known device for the user, if it has one. */
export async function knownDeviceOf(db: Conn, box: SecretBox, cookieValue: string | undefined, userId: number): Promise<string | null> {
  const ids = deviceTokens(cookieValue).map((t) => idOf(box, t));
  if (ids.length === 0) return null;
  const row = (await db('known_devices').whereIn('id', ids).where({ user_id: userId }).first('id')) as { id: string } | undefined;
  return row?.id ?? null;
}

/** Reserves one attempt on the device (see throttle.ts); null when the device is used up or gone. */
export async function reserveDeviceAttempt(db: Conn, deviceId: string): Promise<number | null> {
  const rows = (await db('known_devices')
    .where({ id: deviceId })
    .where('failures', '<', MAX_FAILED_LOGINS)
    .update({ failures: db.raw('failures + 1') })
    .returning('failures')) as Array<{ failures: number }>;
  return rows.length > 0 ? Number(rows[0].failures) : null;
}

export async function releaseDeviceAttempt(db: Conn, deviceId: string): Promise<void> {
  await db('known_devices').where({ id: deviceId }).where('failures', '>', 0).update({ failures: db.raw('failures - 1') });
}

/** A wrong secret through a device: the last of its budget forgets the device. */
export async function failDeviceAttempt(db: Conn, deviceId: string, attempt: number): Promise<void> {
  if (attempt >= MAX_FAILED_LOGINS) await db('known_devices').where({ id: deviceId }).delete();
}

/**
 * After a full sign-in: refreshes this browser's device for the user (or registers a new one) and returns the
 * cookie value to set, keeping the tokens of other accounts.
 */
export async function rememberDevice(db: Conn, box: SecretBox, cookieValue: string | undefined, userId: number): Promise<string> {
  const tokens = deviceTokens(cookieValue);
  const now = nowIso();
  const existing = await knownDeviceOf(db, box, cookieValue, userId);
  if (existing) {
    await db('known_devices').where({ id: existing }).update({ failures: 0, last_used_at: now });
    return tokens.join('.');
  }
  const token = crypto.randomBytes(32).toString('base64url');
  // Devices unused for longer than the cookie lives are gone from the browser anyway.
  await db('known_devices').where({ user_id: userId }).where('last_used_at', '<', new Date(Date.now() - DEVICE_MAX_AGE_MS).toISOString()).delete();
  await db('known_devices').insert({ id: idOf(box, token), user_id: userId, failures: 0, created_at: now, last_used_at: now });
  return [token, ...tokens].slice(0, MAX_TOKENS).join('.');
}

export async function forgetDevicesOf(db: Conn, userId: number): Promise<void> {
  await db('known_devices').where({ user_id: userId }).delete();
}
