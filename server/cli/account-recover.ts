import { parseArgs } from 'node:util';
import { hashPassword, temporaryPassword } from '../auth/passwords';
import { endSessionsOf } from '../auth/sessions';
import { ConfigError, loadConfig } from '../config';
import { systemActor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { configureAuditCheckpoints } from '../core/audit-checkpoints';
import { createDb, migrateLatest, nowIso, toBool } from '../db/knex';

/**
 * npm run account:recover -- --username admin [--reset-totp] [--grant-admin]
 *
 * The way back when nobody in the portal can re-enable an admin (disabled, locked, password or second factor lost).
 * Run by an operator with access to the database and the server's configuration. The account is re-enabled and
 * unlocked, gets a one-time password (changed at next sign-in) and loses its live sessions and known devices;
 * --reset-totp removes its second factor (enrolled again at next sign-in); --grant-admin gives it the admin role in
 * its school if it lost it. Audited as the system actor ("Hệ thống"), reason `account:recover`.
 */
const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    'reset-totp': { type: 'boolean', default: false },
    'grant-admin': { type: 'boolean', default: false },
  },
});

try {
  const username = (values.username ?? '').trim().toLowerCase();
  if (!username) {
    console.error('Usage: npm run account:recover -- --username <admin username> [--reset-totp] [--grant-admin]');
    process.exit(1);
  }
  const config = loadConfig();
  configureAuditCheckpoints(config);
  const db = createDb(config.databaseUrl);
  await migrateLatest(db);
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  try {
    await db.transaction(async (trx) => {
      const user = (await trx('users').where({ username }).first()) as Record<string, unknown> | undefined;
      if (!user) throw new Error(`No account named ${username}; nothing was changed.`);
      const userId = Number(user.id);
      if (user.school_id === null) throw new Error(`${username} belongs to no school (not a school admin account); nothing was changed.`);
      const schoolId = Number(user.school_id);
      const isAdmin = await trx('user_roles').where({ user_id: userId, school_id: schoolId, role: 'admin' }).first('id');
      if (!isAdmin && !values['grant-admin']) throw new Error(`${username} is not an admin of its school; pass --grant-admin to make it one. Nothing was changed.`);
      const now = nowIso();
      const changes: Record<string, unknown> = {
        disabled: false,
        failed_login_count: 0,
        failed_login_window_at: null,
        locked_until: null,
        password_hash: hash,
        must_change_password: true,
        updated_at: now,
      };
      if (values['reset-totp']) Object.assign(changes, { totp_secret: null, totp_pending_secret: null, totp_enabled: false, totp_last_step: null, totp_reenrol_until: null });
      await trx('users').where({ id: userId }).update(changes);
      if (!isAdmin) await trx('user_roles').insert({ user_id: userId, school_id: schoolId, role: 'admin', manage_accounts: false });
      const sessions = await endSessionsOf(trx, userId);
      await trx('known_devices').where({ user_id: userId }).delete();
      await appendAudit(trx, systemActor(schoolId), {
        action: 'recover',
        entity: 'users',
        entityId: userId,
        before: { disabled: toBool(user.disabled), lockedUntil: user.locked_until ?? null, totpEnabled: toBool(user.totp_enabled), admin: Boolean(isAdmin) },
        after: { disabled: false, lockedUntil: null, mustChangePassword: true, totpReset: values['reset-totp'], admin: true, endedSessions: sessions },
        reason: 'account:recover',
        schoolId,
      });
    });
  } finally {
    await db.destroy();
  }
  console.log(`Account ${username} recovered: enabled, unlocked, sessions ended. One-time password: ${password}`);
  console.log(values['reset-totp'] ? 'Two-factor authentication was removed: it is enrolled again at the next sign-in.' : 'The existing two-factor authentication is kept.');
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
