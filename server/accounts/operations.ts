import { can, type Action } from '../../domain/permissions';
import { hashPassword, temporaryPassword } from '../auth/passwords';
import { forgetDevicesOf } from '../auth/devices';
import { endSessionsOf } from '../auth/sessions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';
import { nowIso, type Db } from '../db/knex';

/** Loads the target account and checks the action against its school and roles. */
async function target(db: Db, actor: Actor, rawId: string | number, action: Action) {
  const principal = principalOf(actor);
  const id = Number(rawId);
  const row = Number.isInteger(id) && id > 0 ? ((await db('users').where({ id }).first()) as { id: number; school_id: number } | undefined) : undefined;
  if (!row) throw notFound('users', String(rawId));
  const roles = (await db('user_roles').where({ user_id: id }).pluck('role')) as never[];
  if (!can(principal, action, 'users', { schoolId: Number(row.school_id), id, roles })) throw forbidden();
  return row;
}

/** Operation — đặt lại mật khẩu: a one-time password shown once to the admin; the owner must change it at next login. */
export async function resetPassword(db: Db, actor: Actor, rawId: string | number): Promise<{ id: number; temporaryPassword: string }> {
  const row = await target(db, actor, rawId, 'reset_password');
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  await db.transaction(async (trx) => {
    await trx('users')
      .where({ id: row.id })
      .update({ password_hash: hash, must_change_password: true, failed_login_count: 0, locked_until: null, updated_at: nowIso() });
    await endSessionsOf(trx, Number(row.id));
    await forgetDevicesOf(trx, Number(row.id));
    await appendAudit(trx, actor, { action: 'reset_password', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
  });
  return { id: Number(row.id), temporaryPassword: password };
}

/** Operation — mở khóa: ends a lockout before its 15 minutes are up (after the admin has checked who was trying). */
export async function unlockAccount(db: Db, actor: Actor, rawId: string | number): Promise<{ id: number; lockedUntil: null }> {
  const row = await target(db, actor, rawId, 'edit');
  await db.transaction(async (trx) => {
    await trx('users').where({ id: row.id }).update({ failed_login_count: 0, failed_login_window_at: null, locked_until: null, updated_at: nowIso() });
    await appendAudit(trx, actor, { action: 'unlock', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
  });
  return { id: Number(row.id), lockedUntil: null };
}

/**
 * Operation — đặt lại xác thực hai bước: the owner lost the device; the factor is removed and enrolled again at next
 * sign-in (required roles cannot finish signing in before). Same rule as a password reset; sessions and devices end.
 */
export async function resetTotp(db: Db, actor: Actor, rawId: string | number): Promise<{ id: number; totpEnabled: false }> {
  const row = await target(db, actor, rawId, 'reset_password');
  await db.transaction(async (trx) => {
    await trx('users')
      .where({ id: row.id })
      .update({ totp_secret: null, totp_pending_secret: null, totp_enabled: false, totp_reenrol_until: null, updated_at: nowIso() });
    await endSessionsOf(trx, Number(row.id));
    await forgetDevicesOf(trx, Number(row.id));
    await appendAudit(trx, actor, { action: 'reset_totp', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
  });
  return { id: Number(row.id), totpEnabled: false };
}
