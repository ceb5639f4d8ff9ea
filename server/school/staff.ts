import { z } from 'zod';
import { searchKey } from '../../domain/text';
import { assertMayActOnAccountOf, assertNotLastAdmin } from '../accounts/account-guard';
import { endSessionsOf } from '../auth/sessions';
import { nowIso, toBool } from '../db/knex';
import type { ResourceDef, WriteContext } from '../core/resource';
import { assertUnreferenced, entityId, invalid, num, numOrNull, strOrNull, stripUndefined } from './common';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import { birthDate, name, nationalId, optionalText, sex } from '../core/fields';
import { assertInSchool, insertReturningId } from '../core/records';

export const POSTS = ['teacher', 'principal', 'vice_principal', 'academic_staff', 'records_clerk', 'accountant', 'it'] as const;
export type Post = (typeof POSTS)[number];

/** Cán bộ, giáo viên, nhân viên: the people of a school, whether or not they have an account. */
export interface Staff {
  id: number;
  schoolId: number;
  fullName: string;
  nationalId: string;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  phone: string | null;
  email: string | null;
  post: Post;
  departmentId: number | null;
  status: 'active' | 'left';
  /** Read only: whether a user account is linked to this person. */
  hasAccount: boolean;
}

/** An emptied form field ('') means "no value". */
export const optionalEmail = z.preprocess((v) => (v === '' ? null : v), z.email().max(200).nullish());

const StaffInput = z.strictObject({
  fullName: name(200),
  nationalId,
  birthDate: birthDate.nullish(),
  sex: sex.nullish(),
  phone: optionalText(32),
  email: optionalEmail,
  post: z.enum(POSTS),
  departmentId: entityId.nullish(),
  status: z.enum(['active', 'left']).optional(),
});
type Input = z.output<typeof StaffInput>;
type Fields = Omit<Staff, 'id' | 'schoolId' | 'hasAccount'>;

/** One person, one account: a national ID appears once among a school's staff (checked before writing). */
async function check(s: Fields, ctx: WriteContext, selfId?: number): Promise<void> {
  const today = nowIso().slice(0, 10);
  if (s.birthDate && s.birthDate > today) throw invalid('birthDate', 'tooBig', { max: today });
  await assertInSchool(ctx.trx, 'departments', s.departmentId, ctx.schoolId, 'departmentId');
  const same = ctx.trx('staff').where({ school_id: ctx.schoolId, national_id: s.nationalId });
  if (selfId) same.whereNot({ id: selfId });
  if (await same.first('id')) {
    const params = { nationalId: s.nationalId };
    throw new AppError('conflict', 'duplicateNationalId', params, { nationalId: { key: 'duplicateNationalId', params } });
  }
}

function toRow(s: Fields): Record<string, unknown> {
  return {
    full_name: s.fullName,
    search_text: searchKey(s.fullName),
    national_id: s.nationalId,
    birth_date: s.birthDate,
    sex: s.sex,
    phone: s.phone,
    email: s.email,
    post: s.post,
    department_id: s.departmentId,
    status: s.status,
  };
}

/**
 * A person who leaves the school loses their account at once (Quy chế Học bạ số, seed 002 Điều 7.4): the account
 * is disabled and every live session ends, in the caller's transaction, with its own audit row beside the change
 * that caused it.
 */
export async function revokeAccountOfStaff(ctx: WriteContext, staffId: number, reason: string | null): Promise<void> {
  const user = (await ctx.trx('users').where({ staff_id: staffId }).first('id', 'disabled')) as { id: number; disabled: unknown } | undefined;
  if (!user) return;
  const userId = Number(user.id);
  // Only as far as the actor could manage the account directly; never the school's last active admin.
  await assertMayActOnAccountOf(ctx.trx, ctx.principal, userId, ctx.schoolId);
  if (!toBool(user.disabled)) await assertNotLastAdmin(ctx.trx, userId);
  const sessions = await endSessionsOf(ctx.trx, userId);
  if (toBool(user.disabled)) return;
  await ctx.trx('users').where({ id: userId }).update({ disabled: true, updated_at: nowIso() });
  await appendAudit(ctx.trx, ctx.actor, {
    action: 'update',
    entity: 'users',
    entityId: userId,
    before: { disabled: false },
    after: { disabled: true, endedSessions: sessions },
    reason,
    schoolId: ctx.schoolId,
  });
}

export const staffResource: ResourceDef<Staff> = {
  name: 'staff',
  table: 'staff',
  baseQuery: (conn) =>
    conn('staff').select(
      'staff.*',
      conn.raw('(case when exists (select 1 from users u where u.staff_id = staff.id) then 1 else 0 end) as has_account'),
    ),
  fields: {
    id: { column: 'staff.id', type: 'number' },
    fullName: { column: 'staff.full_name', type: 'string' },
    nationalId: { column: 'staff.national_id', type: 'string' },
    birthDate: { column: 'staff.birth_date', type: 'string' },
    sex: { column: 'staff.sex', type: 'string' },
    post: { column: 'staff.post', type: 'string' },
    departmentId: { column: 'staff.department_id', type: 'number' },
    status: { column: 'staff.status', type: 'string' },
  },
  searchColumns: ['staff.search_text'],
  defaultSort: 'fullName',
  readOnly: ['hasAccount'],
  toApi: (r) => ({
    id: num(r.id),
    schoolId: num(r.school_id),
    fullName: String(r.full_name),
    nationalId: String(r.national_id),
    birthDate: strOrNull(r.birth_date),
    sex: strOrNull(r.sex) as Staff['sex'],
    phone: strOrNull(r.phone),
    email: strOrNull(r.email),
    post: r.post as Post,
    departmentId: numOrNull(r.department_id),
    status: r.status as Staff['status'],
    hasAccount: Number(r.has_account) === 1,
  }),
  // A department head sees the staff of their department.
  applyScope: (qb, scope) => {
    if (scope.kind === 'department') qb.whereIn('staff.department_id', scope.departmentIds);
    else qb.whereRaw('1 = 0');
  },
  attributes: (rec) => ({ schoolId: rec.schoolId, departmentId: rec.departmentId }),
  create: {
    schema: StaffInput,
    insert: async (raw, ctx) => {
      const input = raw as Input;
      const s: Fields = {
        ...input,
        birthDate: input.birthDate ?? null,
        sex: input.sex ?? null,
        email: input.email ?? null,
        departmentId: input.departmentId ?? null,
        status: input.status ?? 'active',
      };
      await check(s, ctx);
      const now = nowIso();
      return insertReturningId(ctx.trx, 'staff', { ...toRow(s), school_id: ctx.schoolId, created_at: now, updated_at: now });
    },
  },
  update: {
    schema: StaffInput.partial(),
    apply: async (existing, raw, ctx) => {
      const { id: _id, schoolId: _school, hasAccount: _account, ...current } = existing;
      const s: Fields = { ...current, ...stripUndefined(raw as Partial<Input>) };
      await check(s, ctx, existing.id);
      await ctx.trx('staff').where({ id: existing.id }).update({ ...toRow(s), updated_at: nowIso() });
      if (s.status === 'left' && existing.status !== 'left') await revokeAccountOfStaff(ctx, existing.id, null);
    },
  },
  remove: async (existing, { trx }) => {
    await assertUnreferenced(trx, existing.id, [
      ['users', 'staff_id'],
      ['classes', 'homeroom_staff_id'],
      ['teaching_assignments', 'staff_id'],
      ['staff_post_changes', 'staff_id'],
    ]);
    await trx('staff').where({ id: existing.id }).delete();
  },
};
