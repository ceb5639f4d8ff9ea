import { Router, type Request } from 'express';
import { can, type Action } from '../../domain/permissions';
import { hashPassword, temporaryPassword } from '../auth/passwords';
import { forgetDevicesOf } from '../auth/devices';
import { endSessionsOf } from '../auth/sessions';
import { nowIso, type Db } from '../db/knex';
import { actorOf, userOf } from '../http/context';
import { usersResource } from './users';
import { resourceRouter } from '../http/resource';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';

/** Accounts: CRUD through the resource router, plus password reset and unlock. */
export function accountRoutes(db: Db): Router {
  const router = Router();

  /** Loads the target account and checks the action against its school and roles. */
  async function target(req: Request, action: Action) {
    const user = userOf(req);
    const id = Number(req.params.id);
    const row = Number.isInteger(id) && id > 0 ? ((await db('users').where({ id }).first()) as { id: number; school_id: number } | undefined) : undefined;
    if (!row) throw notFound('users', String(req.params.id));
    const roles = (await db('user_roles').where({ user_id: id }).pluck('role')) as never[];
    if (!can(user.principal, action, 'users', { schoolId: Number(row.school_id), id, roles })) throw forbidden();
    return row;
  }

  // Đặt lại mật khẩu: a one-time password shown once to the admin; the owner must change it at next login.
  router.post('/users/:id/reset-password', async (req, res) => {
    const row = await target(req, 'reset_password');
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    await db.transaction(async (trx) => {
      await trx('users')
        .where({ id: row.id })
        .update({ password_hash: hash, must_change_password: true, failed_login_count: 0, locked_until: null, updated_at: nowIso() });
      await endSessionsOf(trx, Number(row.id));
      await forgetDevicesOf(trx, Number(row.id));
      await appendAudit(trx, actorOf(req), { action: 'reset_password', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
    });
    res.json({ id: Number(row.id), temporaryPassword: password });
  });

  // Đặt lại xác thực hai bước: the owner lost the device; the factor is removed and enrolled again at next sign-in
  // (required roles cannot finish signing in before). Same rule as a password reset; sessions and devices end.
  router.post('/users/:id/reset-totp', async (req, res) => {
    const row = await target(req, 'reset_password');
    await db.transaction(async (trx) => {
      await trx('users')
        .where({ id: row.id })
        .update({ totp_secret: null, totp_pending_secret: null, totp_enabled: false, totp_reenrol_until: null, updated_at: nowIso() });
      await endSessionsOf(trx, Number(row.id));
      await forgetDevicesOf(trx, Number(row.id));
      await appendAudit(trx, actorOf(req), { action: 'reset_totp', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
    });
    res.json({ id: Number(row.id), totpEnabled: false });
  });

  // Mở khóa: ends a lockout before its 15 minutes are up (after the admin has checked who was trying).
  router.post('/users/:id/unlock', async (req, res) => {
    const row = await target(req, 'edit');
    await db.transaction(async (trx) => {
      await trx('users').where({ id: row.id }).update({ failed_login_count: 0, failed_login_window_at: null, locked_until: null, updated_at: nowIso() });
      await appendAudit(trx, actorOf(req), { action: 'unlock', entity: 'users', entityId: row.id, schoolId: Number(row.school_id) });
    });
    res.json({ id: Number(row.id), lockedUntil: null });
  });

  router.use('/users', resourceRouter(db, usersResource));
  return router;
}
