import type { Knex } from 'knex';
import { requiresTotp } from '../../domain/permissions';
import { nowIso, toBool, type Db } from '../db/knex';
import { dummyVerify, verifyPassword } from './passwords';
import { loadGrants, loadPrincipal } from './principal';
import type { SecretBox } from './secret-box';
import type { Stage } from './sessions';
import { checkTotp } from './totp';
import { appendAudit, recordAudit } from '../core/audit';
import { type Actor } from '../core/actor';
import { AppError } from '../core/errors';

/** Five failed attempts (password or second factor) lock the account for 15 minutes. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

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

function lockedUntil(user: UserRow): string | null {
  return user.locked_until && Date.parse(user.locked_until) > Date.now() ? user.locked_until : null;
}

function lockedError(until: string): AppError {
  const local = new Date(until).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
  return new AppError('locked', 'accountLocked', { until: local }, {}, { lockedUntil: until });
}

/** Counts a failed attempt; the fifth locks the account and is audited as a lockout. */
export async function registerFailure(db: Db, user: UserRow, ip: string | null, what: 'password' | 'totp'): Promise<AppError> {
  return db.transaction(async (trx) => {
    const fresh = (await findUser(trx, { id: user.id }))!;
    const count = Number(fresh.failed_login_count) + 1;
    const actor = actorFor(user, ip);
    if (count >= MAX_FAILED_LOGINS) {
      const until = new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString();
      await trx('users').where({ id: user.id }).update({ failed_login_count: 0, locked_until: until });
      await appendAudit(trx, actor, { action: 'login_failed', entity: 'users', entityId: user.id, after: { what, attempt: count } });
      await appendAudit(trx, actor, { action: 'lockout', entity: 'users', entityId: user.id, after: { lockedUntil: until } });
      return lockedError(until);
    }
    await trx('users').where({ id: user.id }).update({ failed_login_count: count });
    await appendAudit(trx, actor, { action: 'login_failed', entity: 'users', entityId: user.id, after: { what, attempt: count } });
    return new AppError('unauthenticated', what === 'password' ? 'loginFailed' : 'totpWrong');
  });
}

/** Checks username and password; returns the user or throws the error to show (never saying which was wrong). */
export async function authenticate(db: Db, username: string, password: string, ip: string | null): Promise<UserRow> {
  const user = await findUser(db, { username: username.trim().toLowerCase() });
  if (!user) {
    await dummyVerify(password);
    await recordAudit(db, actorFor(null, ip, username.slice(0, 64)), { action: 'login_failed', entity: 'users', after: { what: 'unknown_user' } });
    throw new AppError('unauthenticated', 'loginFailed');
  }
  const until = lockedUntil(user);
  if (until) throw lockedError(until);
  if (!(await verifyPassword(user.password_hash, password))) throw await registerFailure(db, user, ip, 'password');
  if (toBool(user.disabled)) throw new AppError('forbidden', 'accountDisabled');
  return user;
}

/** Verifies a TOTP code for a user whose secret is enabled (or pending), refusing replays. */
export async function verifyTotp(db: Db, box: SecretBox, user: UserRow, code: string, ip: string | null, pending = false): Promise<void> {
  const until = lockedUntil(user);
  if (until) throw lockedError(until);
  const sealed = pending ? user.totp_pending_secret : user.totp_secret;
  if (!sealed) throw new AppError('invalid', 'totpNoPending');
  const step = checkTotp(box.open(sealed), code);
  if (step === null || (user.totp_last_step !== null && step <= Number(user.totp_last_step))) {
    throw await registerFailure(db, user, ip, 'totp');
  }
  await db('users').where({ id: user.id }).update({ totp_last_step: step });
}

export async function recordLogin(db: Db, user: UserRow, ip: string | null): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: user.id }).update({ failed_login_count: 0, locked_until: null, last_login_at: nowIso() });
    await appendAudit(trx, actorFor(user, ip), { action: 'login', entity: 'users', entityId: user.id });
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
