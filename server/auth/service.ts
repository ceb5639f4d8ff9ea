import type { Knex } from 'knex';
import { requiresTotp } from '../../domain/permissions';
import { nowIso, toBool, type Db } from '../db/knex';
import { dummyVerify, verifyPassword } from './passwords';
import { loadGrants, loadPrincipal } from './principal';
import type { SecretBox } from './secret-box';
import type { Stage } from './sessions';
import { checkTotp } from './totp';
import { failDeviceAttempt, knownDeviceOf, releaseDeviceAttempt, reserveDeviceAttempt } from './devices';
import {
  failAccountAttempt,
  failKeyAttempt,
  IP_MAX_FAILURES,
  IP_WINDOW_MINUTES,
  ipKey,
  LOCK_MINUTES,
  MAX_FAILED_LOGINS,
  releaseAccountAttempt,
  releaseKeyAttempt,
  reserveAccountAttempt,
  reserveKeyAttempt,
  unknownUserKey,
} from './throttle';
import { appendAudit, recordAudit } from '../core/audit';
import { type Actor } from '../core/actor';
import { AppError } from '../core/errors';

/** Five failed attempts (password or second factor) lock the account for 15 minutes (reserved atomically: throttle.ts). */
export { LOCK_MINUTES, MAX_FAILED_LOGINS } from './throttle';

export interface UserRow {
  id: number;
  school_id: number | null;
  username: string;
  full_name: string;
  email: string | null;
  password_hash: string;
  staff_id: number | null;
  student_id: number | null;
  disabled: unknown;
  must_change_password: unknown;
  failed_login_count: number;
  locked_until: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: unknown;
  totp_last_step: number | null;
  totp_reenrol_until?: string | null;
}

export async function findUser(db: Knex | Knex.Transaction, where: Partial<Pick<UserRow, 'id' | 'username'>>): Promise<UserRow | undefined> {
  return (await db('users').where(where).first()) as UserRow | undefined;
}

const actorFor = (user: Pick<UserRow, 'id' | 'username' | 'school_id'> | null, ip: string | null, username?: string): Actor => ({
  userId: user ? Number(user.id) : null,
  username: user?.username ?? username ?? null,
  roles: [],
  ip,
  schoolId: user?.school_id ?? null,
});

/** The step after the password: second factor first, then a forced password change. */
export async function stageAfterPassword(db: Db, user: UserRow): Promise<Stage> {
  if (toBool(user.totp_enabled)) return 'totp_required';
  if (requiresTotp(await loadGrants(db, Number(user.id)))) return 'totp_setup_required';
  return stageAfterSecondFactor(user);
}

export function stageAfterSecondFactor(user: Pick<UserRow, 'must_change_password'>): Stage {
  return toBool(user.must_change_password) ? 'password_change_required' : 'ok';
}

function lockedError(until: string): AppError {
  const local = new Date(until).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
  return new AppError('locked', 'accountLocked', { until: local }, {}, { lockedUntil: until });
}

/** A wrong secret keeps its reserved attempt; the last one locks the account, audited as a lockout. */
async function registerFailure(db: Db, user: UserRow, ip: string | null, what: 'password' | 'totp' | 'totp_reused', attempt: number): Promise<AppError> {
  return db.transaction(async (trx) => {
    const actor = actorFor(user, ip);
    const until = await failAccountAttempt(trx, Number(user.id), attempt);
    await appendAudit(trx, actor, { action: 'login_failed', entity: 'users', entityId: user.id, after: { what, attempt } });
    if (until) {
      await appendAudit(trx, actor, { action: 'lockout', entity: 'users', entityId: user.id, after: { lockedUntil: until } });
      return lockedError(until);
    }
    return new AppError('unauthenticated', what === 'password' ? 'loginFailed' : what === 'totp' ? 'totpWrong' : 'totpReused');
  });
}

export interface SignInOptions {
  /** Failed sign-ins allowed per client address per window (default IP_MAX_FAILURES). */
  ipMaxFailures?: number;
  /** The known-device cookie the browser sent (devices.ts). */
  deviceCookie?: string;
  box?: SecretBox;
}

export interface Authenticated {
  user: UserRow;
  /** Set when the account is locked and this known device let the owner through (TOTP still to come). */
  viaDevice: string | null;
}

/**
 * Checks username and password; returns the user or throws the error to show (never saying which was wrong).
 *
 * The client address first reserves an attempt (429 once its budget is spent), then the account — or, for a
 * username that does not exist, the same counter under that name — so a wrong password is evaluated at most five
 * times per lock window however many requests run at once, and an unknown username answers exactly like a real
 * one (401 four times, then 423 with the lock's end). While an account is locked, a known device of its owner may
 * still try (with its own budget) when TOTP is enabled: the second factor is then required as usual.
 */
export async function authenticate(db: Db, username: string, password: string, ip: string | null, options: SignInOptions = {}): Promise<Authenticated> {
  const name = username.trim().toLowerCase();
  const ipMax = options.ipMaxFailures ?? IP_MAX_FAILURES;
  const byIp = await reserveKeyAttempt(db, ipKey(ip), ipMax, IP_WINDOW_MINUTES);
  if (!byIp.ok) throw new AppError('throttled', 'tooManyAttempts', {}, {}, { retryAt: byIp.lockedUntil });
  const ipFailed = () => failKeyAttempt(db, ipKey(ip), byIp.attempt, ipMax, IP_WINDOW_MINUTES);
  const ipSucceeded = () => releaseKeyAttempt(db, ipKey(ip));

  const user = await findUser(db, { username: name });
  if (!user) {
    const key = unknownUserKey(name);
    const slot = await reserveKeyAttempt(db, key, MAX_FAILED_LOGINS, LOCK_MINUTES);
    if (!slot.ok) {
      await ipFailed();
      throw lockedError(slot.lockedUntil);
    }
    await dummyVerify(password);
    await ipFailed();
    const until = await failKeyAttempt(db, key, slot.attempt, MAX_FAILED_LOGINS, LOCK_MINUTES);
    await recordAudit(db, actorFor(null, ip, username.slice(0, 64)), { action: 'login_failed', entity: 'users', after: { what: 'unknown_user' } });
    throw until ? lockedError(until) : new AppError('unauthenticated', 'loginFailed');
  }

  const slot = await reserveAccountAttempt(db, Number(user.id));
  if (!slot.ok) {
    const device = options.box && toBool(user.totp_enabled) ? await knownDeviceOf(db, options.box, options.deviceCookie, Number(user.id)) : null;
    const attempt = device ? await reserveDeviceAttempt(db, device) : null;
    if (!device || attempt === null) {
      await ipFailed();
      throw lockedError(slot.lockedUntil);
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      await ipFailed();
      await failDeviceAttempt(db, device, attempt);
      await recordAudit(db, actorFor(user, ip), { action: 'login_failed', entity: 'users', entityId: user.id, after: { what: 'password', knownDevice: true } });
      // Through a device, a wrong password answers exactly like the lock itself.
      throw lockedError(slot.lockedUntil);
    }
    await releaseDeviceAttempt(db, device);
    await ipSucceeded();
    if (toBool(user.disabled)) throw new AppError('forbidden', 'accountDisabled');
    return { user, viaDevice: device };
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    await ipFailed();
    throw await registerFailure(db, user, ip, 'password', slot.attempt);
  }
  await releaseAccountAttempt(db, Number(user.id));
  await ipSucceeded();
  if (toBool(user.disabled)) throw new AppError('forbidden', 'accountDisabled');
  return { user: (await findUser(db, { id: user.id }))!, viaDevice: null };
}

/**
 * A right code whose time step was already used: refused like a wrong one (it counts as a failed attempt), but
 * said as it is — the person typed the code they see and must wait for the next one (issue 12, trap 8).
 */
const isReused = (step: number | null, lastStep: number | null): boolean => step !== null && lastStep !== null && step <= Number(lastStep);

/**
 * Verifies a TOTP code for a user whose secret is enabled (or pending), refusing replays. Each check reserves an
 * attempt like a password does (on the known device when the sign-in came through one during a lock).
 */
export async function verifyTotp(db: Db, box: SecretBox, user: UserRow, code: string, ip: string | null, pending = false, viaDevice: string | null = null): Promise<void> {
  const sealed = pending ? user.totp_pending_secret : user.totp_secret;
  if (!sealed) throw new AppError('invalid', 'totpNoPending');
  if (viaDevice) {
    const attempt = await reserveDeviceAttempt(db, viaDevice);
    if (attempt === null) throw new AppError('unauthenticated', 'totpWrong');
    const fresh = (await findUser(db, { id: user.id }))!;
    const step = checkTotp(box.open(sealed), code);
    const reused = isReused(step, fresh.totp_last_step);
    if (step === null || reused) {
      await failDeviceAttempt(db, viaDevice, attempt);
      await recordAudit(db, actorFor(user, ip), { action: 'login_failed', entity: 'users', entityId: user.id, after: { what: reused ? 'totp_reused' : 'totp', knownDevice: true } });
      throw new AppError('unauthenticated', reused ? 'totpReused' : 'totpWrong');
    }
    await releaseDeviceAttempt(db, viaDevice);
    await db('users').where({ id: user.id }).update({ totp_last_step: step });
    return;
  }
  const slot = await reserveAccountAttempt(db, Number(user.id));
  if (!slot.ok) throw lockedError(slot.lockedUntil);
  // Read again after the reservation: a code used by a request that finished meanwhile is a replay.
  const fresh = (await findUser(db, { id: user.id }))!;
  const step = checkTotp(box.open(sealed), code);
  const reused = !pending && isReused(step, fresh.totp_last_step);
  if (step === null || reused) throw await registerFailure(db, user, ip, reused ? 'totp_reused' : 'totp', slot.attempt);
  if (pending) {
    // Enrolling proves possession of the new secret; the step is recorded so the same code cannot sign in.
    await db('users').where({ id: user.id }).where((w) => w.whereNull('totp_last_step').orWhere('totp_last_step', '<', step)).update({ totp_last_step: step });
    await releaseAccountAttempt(db, Number(user.id));
    return;
  }
  // Only one request may spend a step (two requests racing with the same code: one wins).
  const spent = await db('users')
    .where({ id: user.id })
    .where((w) => w.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step });
  if (spent === 0) throw await registerFailure(db, user, ip, 'totp', slot.attempt);
  await releaseAccountAttempt(db, Number(user.id));
}

/**
 * The current password, asked again inside a session (change password, turn TOTP off, replace TOTP): checked
 * through the account's reserved attempts like a sign-in, so a stolen session cannot guess it freely. A wrong one is
 * a form error on `field`; the fifth locks the account (423).
 */
export async function confirmPassword(db: Db, user: UserRow, password: string, ip: string | null, field: string): Promise<void> {
  const slot = await reserveAccountAttempt(db, Number(user.id));
  if (!slot.ok) throw lockedError(slot.lockedUntil);
  if (!(await verifyPassword(user.password_hash, password))) {
    const err = await registerFailure(db, user, ip, 'password', slot.attempt);
    if (err.kind === 'unauthenticated') throw new AppError('invalid', 'validation', {}, { [field]: { key: 'wrongPassword' } });
    throw err;
  }
  await releaseAccountAttempt(db, Number(user.id));
}

/**
 * Proof for replacing a second factor from a live session: the password and a current code of the factor in use,
 * each checked through the same reserved attempts as a sign-in (a stolen session cannot guess either freely).
 * Wrong answers are form errors (a 401 would sign the portal out); a lock stays a lock.
 */
export async function confirmPasswordAndCode(db: Db, box: SecretBox, user: UserRow, password: string, code: string, ip: string | null): Promise<void> {
  await confirmPassword(db, user, password, ip, 'password');
  try {
    await verifyTotp(db, box, user, code, ip);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'unauthenticated') throw new AppError('invalid', 'validation', {}, { code: { key: err.key } });
    throw err;
  }
}

/**
 * A full sign-in. The failure count is left alone (it expires with its window, throttle.ts): resetting it here
 * would let attempts in flight during the owner's sign-in start over. A lock stays too (a known device passes it).
 */
export async function recordLogin(db: Db, user: UserRow, ip: string | null, viaDevice: string | null = null): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: user.id }).update({ last_login_at: nowIso() });
    await appendAudit(trx, actorFor(user, ip), { action: 'login', entity: 'users', entityId: user.id, after: viaDevice ? { knownDevice: true } : undefined });
  });
}

/** The user as the portal sees it (GET /api/auth/me). */
export async function publicUser(db: Db, user: UserRow) {
  const principal = await loadPrincipal(db, Number(user.id), user.staff_id === null ? null : Number(user.staff_id));
  const school = user.school_id === null ? undefined : ((await db('schools').where({ id: user.school_id }).first('name')) as { name: string } | undefined);
  return {
    id: Number(user.id),
    username: user.username,
    fullName: user.full_name,
    schoolId: user.school_id === null ? null : Number(user.school_id),
    schoolName: school?.name ?? null,
    mustChangePassword: toBool(user.must_change_password),
    totpEnabled: toBool(user.totp_enabled),
    totpRequired: requiresTotp(principal.grants),
    principal,
  };
}
