import type { Knex } from 'knex';
import { checkPassword } from '../../domain/password-policy';
import { canGrantRole, type Principal, type Role } from '../../domain/permissions';
import { searchKey } from '../../domain/text';
import { assertNotLastAdmin } from './account-guard';
import { endSessionsOf } from '../auth/sessions';
import { hashPassword } from '../auth/passwords';
import { nowIso, parseJsonArray, toBool } from '../db/knex';
import type { ResourceDef, WriteContext } from '../core/resource';
import { CreateUser, UpdateUser, type RoleInput } from './schemas';
import { AppError, type FieldError } from '../core/errors';
import { assertInSchool, insertReturningId } from '../core/records';

/** A user account (tài khoản) with its roles and scopes. One person, one account (seed 002, Điều 7). */
export interface Account {
  id: number;
  schoolId: number;
  username: string;
  fullName: string;
  email: string | null;
  staffId: number | null;
  studentId: number | null;
  disabled: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  failedLoginCount: number;
  lastLoginAt: string | null;
  createdAt: string;
  roles: RoleInput[];
}

function toAccount(r: Record<string, unknown>): Account {
  const locked = r.locked_until as string | null;
  return {
    id: Number(r.id),
    schoolId: Number(r.school_id),
    username: String(r.username),
    fullName: String(r.full_name),
    email: (r.email as string | null) ?? null,
    staffId: r.staff_id === null ? null : Number(r.staff_id),
    studentId: r.student_id === null ? null : Number(r.student_id),
    disabled: toBool(r.disabled),
    mustChangePassword: toBool(r.must_change_password),
    totpEnabled: toBool(r.totp_enabled),
    // A lock that has run out is no lock.
    lockedUntil: locked && Date.parse(locked) > Date.now() ? locked : null,
    failedLoginCount: Number(r.failed_login_count),
    lastLoginAt: (r.last_login_at as string | null) ?? null,
    createdAt: String(r.created_at),
    roles: [],
  };
}

async function withRoles(recs: Account[], conn: Knex | Knex.Transaction): Promise<Account[]> {
  if (recs.length === 0) return recs;
  const rows = (await conn('user_roles')
    .whereIn(
      'user_id',
      recs.map((r) => r.id),
    )
    .orderBy('id')) as Array<Record<string, unknown>>;
  const byUser = new Map<number, RoleInput[]>();
  for (const r of rows) {
    const list = byUser.get(Number(r.user_id)) ?? [];
    list.push({
      role: r.role as Role,
      departmentIds: parseJsonArray<number>(r.department_ids),
      grades: parseJsonArray<number>(r.grades),
      manageAccounts: toBool(r.manage_accounts),
      departmentId: r.department_id === null ? null : Number(r.department_id),
      studentId: r.student_id === null ? null : Number(r.student_id),
    });
    byUser.set(Number(r.user_id), list);
  }
  return recs.map((r) => ({ ...r, roles: byUser.get(r.id) ?? [] }));
}

/** Checks that the acting user may grant these roles and that each carries the scope it needs. */
async function checkRoles(trx: Knex.Transaction, principal: Principal, schoolId: number, roles: RoleInput[]): Promise<void> {
  for (const [i, r] of roles.entries()) {
    if (!canGrantRole(principal, schoolId, r.role)) throw new AppError('forbidden', 'roleNotGrantable', { role: r.role });
    const missing = (scope: string): FieldError => ({ key: 'roleScopeMissing', params: { role: r.role, scope } });
    if (r.role === 'vice_principal' && r.departmentIds.length === 0 && r.grades.length === 0) {
      throw new AppError('invalid', 'validation', {}, { [`roles.${i}.grades`]: missing('departmentIds / grades') });
    }
    if (r.role === 'department_head' && !r.departmentId) throw new AppError('invalid', 'validation', {}, { [`roles.${i}.departmentId`]: missing('departmentId') });
    if (r.role === 'student' && !r.studentId) throw new AppError('invalid', 'validation', {}, { [`roles.${i}.studentId`]: missing('studentId') });
    for (const d of r.departmentIds) await assertInSchool(trx, 'departments', d, schoolId, `roles.${i}.departmentIds`);
    await assertInSchool(trx, 'departments', r.departmentId, schoolId, `roles.${i}.departmentId`);
    await assertInSchool(trx, 'students', r.studentId, schoolId, `roles.${i}.studentId`);
  }
}

async function writeRoles(trx: Knex.Transaction, userId: number, schoolId: number, roles: RoleInput[]): Promise<void> {
  await trx('user_roles').where({ user_id: userId, school_id: schoolId }).delete();
  if (roles.length === 0) return;
  await trx('user_roles').insert(
    roles.map((r) => ({
      user_id: userId,
      school_id: schoolId,
      role: r.role,
      department_ids: r.departmentIds.length ? JSON.stringify(r.departmentIds) : null,
      grades: r.grades.length ? JSON.stringify(r.grades) : null,
      manage_accounts: r.manageAccounts,
      department_id: r.departmentId,
      student_id: r.studentId,
    })),
  );
}

async function checkPeople(trx: Knex.Transaction, schoolId: number, staffId: number | null | undefined, studentId: number | null | undefined, selfId?: number) {
  await assertInSchool(trx, 'staff', staffId, schoolId, 'staffId');
  await assertInSchool(trx, 'students', studentId, schoolId, 'studentId');
  if (staffId) {
    const other = (await trx('users').where({ staff_id: staffId }).whereNot({ id: selfId ?? 0 }).first('id')) as unknown;
    if (other) throw new AppError('conflict', 'staffHasAccount', {}, { staffId: { key: 'staffHasAccount' } });
  }
}

async function createAccount(input: Record<string, unknown>, { trx, principal, schoolId }: WriteContext): Promise<number> {
  const i = input as CreateUser;
  const problem = checkPassword(i.password, i.username);
  if (problem) throw new AppError('invalid', 'validation', {}, { password: problem });
  if (await trx('users').where({ username: i.username }).first('id')) {
    throw new AppError('conflict', 'duplicateUsername', { username: i.username }, { username: { key: 'duplicateUsername', params: { username: i.username } } });
  }
  await checkPeople(trx, schoolId, i.staffId, i.studentId);
  await checkRoles(trx, principal, schoolId, i.roles);
  const now = nowIso();
  const id = await insertReturningId(trx, 'users', {
    school_id: schoolId,
    username: i.username,
    full_name: i.fullName,
    search_text: searchKey(i.username, i.fullName),
    email: i.email ?? null,
    password_hash: await hashPassword(i.password),
    staff_id: i.staffId ?? null,
    student_id: i.studentId ?? null,
    disabled: false,
    // The admin chose this password: the owner must replace it at first login.
    must_change_password: true,
    created_at: now,
    updated_at: now,
  });
  await writeRoles(trx, id, schoolId, i.roles);
  return id;
}

async function updateAccount(existing: Account, input: Record<string, unknown>, { trx, actor, principal }: WriteContext): Promise<void> {
  const i = input as UpdateUser;
  const isSelf = existing.id === actor.userId;
  if (isSelf && i.disabled === true) throw new AppError('invalid', 'cannotDisableSelf');
  if (isSelf && i.roles && existing.roles.some((r) => r.role === 'admin') && !i.roles.some((r) => r.role === 'admin')) {
    throw new AppError('invalid', 'cannotDisableSelf');
  }
  await checkPeople(trx, existing.schoolId, i.staffId, i.studentId, existing.id);
  // The school's last active admin keeps the account and the role, whoever asks.
  if (i.disabled === true && !existing.disabled) await assertNotLastAdmin(trx, existing.id);
  if (i.roles && !i.roles.some((r) => r.role === 'admin')) await assertNotLastAdmin(trx, existing.id, [existing.schoolId]);
  if (i.roles) {
    // Taking a role away is granting in reverse: the same rule applies to the roles being removed.
    await checkRoles(trx, principal, existing.schoolId, [...i.roles, ...existing.roles]);
    await writeRoles(trx, existing.id, existing.schoolId, i.roles);
  }
  const merged = { ...existing, ...i };
  await trx('users')
    .where({ id: existing.id })
    .update({
      full_name: merged.fullName,
      search_text: searchKey(existing.username, merged.fullName),
      email: merged.email ?? null,
      staff_id: merged.staffId ?? null,
      student_id: merged.studentId ?? null,
      disabled: merged.disabled,
      must_change_password: merged.mustChangePassword,
      updated_at: nowIso(),
    });
  const rolesChanged = i.roles !== undefined && JSON.stringify(i.roles) !== JSON.stringify(existing.roles);
  // Disabling an account or changing its role ends its live sessions at once (seed 002, Điều 7.4).
  if ((i.disabled === true && !existing.disabled) || rolesChanged) await endSessionsOf(trx, existing.id);
}

export const usersResource: ResourceDef<Account> = {
  name: 'users',
  table: 'users',
  baseQuery: (conn) => conn('users').select('users.*'),
  fields: {
    id: { column: 'users.id', type: 'number' },
    username: { column: 'users.username', type: 'string' },
    fullName: { column: 'users.full_name', type: 'string' },
    disabled: { column: 'users.disabled', type: 'boolean' },
    staffId: { column: 'users.staff_id', type: 'number' },
    studentId: { column: 'users.student_id', type: 'number' },
    lastLoginAt: { column: 'users.last_login_at', type: 'string' },
    lockedUntil: { column: 'users.locked_until', type: 'string' },
    createdAt: { column: 'users.created_at', type: 'string' },
    role: {
      column: 'users.id',
      type: 'string',
      where: (qb, values) => {
        qb.whereIn('users.id', (sub) => sub.select('user_id').from('user_roles').whereIn('role', values as string[]));
      },
    },
  },
  searchColumns: ['users.search_text'],
  defaultSort: 'username',
  readOnly: ['username', 'totpEnabled', 'lockedUntil', 'failedLoginCount', 'lastLoginAt', 'createdAt'],
  toApi: toAccount,
  enrich: withRoles,
  applyScope: (qb, scope) => {
    if (scope.kind === 'unprivileged_accounts') {
      qb.whereNotIn('users.id', (sub) =>
        sub.select('user_id').from('user_roles').whereIn('role', ['admin', 'principal', 'vice_principal', 'education_office']),
      );
    } else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, id: rec.id, roles: rec.roles.map((r) => r.role) }),
  create: { schema: CreateUser as never, insert: createAccount },
  update: { schema: UpdateUser as never, apply: updateAccount },
};
