import type { Knex } from 'knex';
import { can, scopeCovers, type Principal, type RecordAttributes, type Role } from '../../domain/permissions';
import { AppError, forbidden } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/** The attributes the account rules check (as `users` records are checked by the resource operations). */
export async function accountAttributes(conn: Conn, userId: number): Promise<RecordAttributes | null> {
  const row = (await conn('users').where({ id: userId }).first('id', 'school_id')) as { id: number; school_id: number | null } | undefined;
  if (!row) return null;
  const roles = (await conn('user_roles').where({ user_id: userId }).pluck('role')) as Role[];
  return { schoolId: Number(row.school_id), id: Number(row.id), roles };
}

/**
 * A change to a staff record that carries the person's account with it (leaving the school disables it) must not
 * reach an account the actor could not manage directly. Whoever may edit the account (`users` edit rule) may; a
 * role that keeps staff records but manages no accounts (văn thư) carries only unprivileged accounts of the same
 * school with it — the reach of an account-managing vice principal (the `unprivileged_accounts` scope), never an
 * admin, principal, vice principal or education office account.
 */
export async function assertMayActOnAccountOf(conn: Conn, principal: Principal, userId: number, schoolId: number): Promise<void> {
  const attrs = await accountAttributes(conn, userId);
  if (!attrs) return;
  if (can(principal, 'edit', 'users', attrs)) return;
  if (attrs.schoolId === schoolId && scopeCovers({ kind: 'unprivileged_accounts' }, attrs)) return;
  throw forbidden();
}

/**
 * The last active admin of a school can never be disabled or lose the admin role, by any path (account edit, staff
 * record, post change). Call before the change, in its transaction; on PostgreSQL the school's admin rows are
 * locked (in id order), so two admins disabling each other at once cannot both succeed.
 * `schoolIds`: only these schools (a role change in one school); default every school where the user is admin.
 */
export async function assertNotLastAdmin(trx: Knex.Transaction, userId: number, schoolIds?: number[]): Promise<void> {
  const adminOf = ((await trx('user_roles').where({ user_id: userId, role: 'admin' }).pluck('school_id')) as number[]).map(Number);
  for (const schoolId of adminOf) {
    if (schoolIds && !schoolIds.includes(schoolId)) continue;
    const q = trx('users')
      .join('user_roles', 'user_roles.user_id', 'users.id')
      .where({ 'user_roles.role': 'admin', 'user_roles.school_id': schoolId, 'users.disabled': false })
      .orderBy('users.id')
      .select('users.id');
    const active = ((await (trx.client.config.client === 'pg' ? q.forUpdate('users') : q)) as Array<{ id: number }>).map((r) => Number(r.id));
    if (active.includes(userId) && active.every((id) => id === userId)) throw new AppError('conflict', 'lastAdmin');
  }
}
