import type { Knex } from 'knex';
import { STAFF_ROLES, witnessRefusal, type WitnessAccount } from '../../domain/permissions';
import { grantFromRow, type RoleRow } from '../auth/principal';
import { toBool } from '../db/knex';
import type { Gradebook } from '../gradebook/target';
import { AppError } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/** The staff accounts of the grade book's school with their roles there, as witnessRefusal reads them. */
async function witnessAccounts(conn: Conn, gb: Gradebook, userIds?: number[]): Promise<Array<WitnessAccount & { fullName: string; post: string | null }>> {
  const schoolId = gb.target.schoolId;
  const q = conn('users as u')
    .leftJoin('staff as s', 's.id', 'u.staff_id')
    .whereIn('u.id', conn('user_roles').where({ school_id: schoolId }).whereIn('role', [...STAFF_ROLES]).select('user_id'))
    .select('u.id', 'u.full_name', 'u.disabled', 's.post', 's.status');
  if (userIds) q.whereIn('u.id', userIds);
  const users = (await q) as Array<{ id: number; full_name: string; disabled: unknown; post: string | null; status: string | null }>;
  if (users.length === 0) return [];
  const roles = (await conn('user_roles')
    .where({ school_id: schoolId })
    .whereIn(
      'user_id',
      users.map((u) => u.id),
    )
    .orderBy('id')) as Array<RoleRow & { user_id: number }>;
  return users.map((u) => ({
    userId: Number(u.id),
    fullName: String(u.full_name),
    post: u.post ?? null,
    disabled: toBool(u.disabled),
    staffLeft: u.status === 'left',
    grants: roles.filter((r) => Number(r.user_id) === Number(u.id)).map(grantFromRow),
  }));
}

export async function checkWitness(conn: Conn, gb: Gradebook, witnessUserId: number, requesterId: number, vpUserId: number | null, decidedBy: number | null = null): Promise<void> {
  const account = (await witnessAccounts(conn, gb, [witnessUserId]))[0] ?? { userId: witnessUserId, disabled: true, staffLeft: false, grants: [] };
  const refusal = witnessRefusal(account, gb.target, requesterId, vpUserId, decidedBy);
  if (refusal) throw new AppError('invalid', 'validation', {}, { witnessUserId: { key: refusal } });
}

export interface WitnessCandidate {
  id: number;
  fullName: string;
  /** staff.post (teacher, academic_staff, records_clerk, …); null for an account without a staff record. */
  post: string | null;
}

/** Everyone checkWitness would accept for this grade book, by name. */
export async function witnessCandidates(conn: Conn, gb: Gradebook, requesterId: number, vpUserId: number | null, decidedBy: number | null = null): Promise<WitnessCandidate[]> {
  return (await witnessAccounts(conn, gb))
    .filter((a) => witnessRefusal(a, gb.target, requesterId, vpUserId, decidedBy) === null)
    .map((a) => ({ id: a.userId, fullName: a.fullName, post: a.post }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi') || a.id - b.id);
}
