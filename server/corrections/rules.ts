import type { Knex } from 'knex';
import type { Grant, Principal, Role } from '../../domain/permissions';
import { grantFromRow, type RoleRow } from '../auth/principal';
import { toBool } from '../db/knex';
import type { Gradebook } from '../gradebook/target';
import { AppError, type FieldError } from '../core/errors';

type Conn = Knex | Knex.Transaction;

/** The cell as it is now, for the closure rules (the same inputs the grid save uses). */
/** A VP supervises a grade book through its grade or its subject's department (roles.md). */
export function supervisesGrant(g: Grant, gb: Gradebook): boolean {
  return (
    g.schoolId === gb.target.schoolId &&
    g.role === 'vice_principal' &&
    ((g.grades ?? []).includes(gb.target.grade) || (gb.target.departmentId !== null && (g.departmentIds ?? []).includes(gb.target.departmentId)))
  );
}

export const isSupervisingVp = (p: Principal, gb: Gradebook) => p.grants.some((g) => supervisesGrant(g, gb));

export const holdsRole = (p: Principal, schoolId: number, role: Role) => p.grants.some((g) => g.schoolId === schoolId && g.role === role);

/** Roles of the school's staff (roles.md): anyone of them may be named as the second witness. */
const STAFF_ROLES: Role[] = ['admin', 'principal', 'vice_principal', 'department_head', 'homeroom_teacher', 'subject_teacher', 'academic_staff', 'records_clerk'];

/** What the witness rule needs to know about one account (loaded by checkWitness and witnessCandidates). */
export interface WitnessAccount {
  userId: number;
  disabled: boolean;
  /** The linked staff record is marked as having left the school (Quy chế seed 002 Điều 7.4). */
  staffLeft: boolean;
  grants: Grant[];
}

/**
 * The second named witness (seed 000): an active staff account of the school, neither the requesting teacher
 * (nobody witnesses their own correction) nor a VP supervising the grade book (the VP is already a party).
 * Pure: the one place this rule lives — checked when a witness is named, and used to list the candidates.
 */
export function witnessRefusal(a: WitnessAccount, gb: Gradebook, requesterId: number, vpUserId: number | null): FieldError | null {
  if (a.userId === requesterId) return { key: 'correctionSelfWitness' };
  const grants = a.disabled || a.staffLeft ? [] : a.grants.filter((g) => g.schoolId === gb.target.schoolId);
  if (!grants.some((g) => STAFF_ROLES.includes(g.role))) return { key: 'correctionWitnessNotStaff' };
  if (a.userId === vpUserId || grants.some((g) => supervisesGrant(g, gb))) return { key: 'correctionWitnessIsVp' };
  return null;
}

/** The staff accounts of the grade book's school with their roles there, as witnessRefusal reads them. */
async function witnessAccounts(conn: Conn, gb: Gradebook, userIds?: number[]): Promise<Array<WitnessAccount & { fullName: string; post: string | null }>> {
  const schoolId = gb.target.schoolId;
  const q = conn('users as u')
    .leftJoin('staff as s', 's.id', 'u.staff_id')
    .whereIn('u.id', conn('user_roles').where({ school_id: schoolId }).whereIn('role', STAFF_ROLES).select('user_id'))
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

export async function checkWitness(conn: Conn, gb: Gradebook, witnessUserId: number, requesterId: number, vpUserId: number | null): Promise<void> {
  const account = (await witnessAccounts(conn, gb, [witnessUserId]))[0] ?? { userId: witnessUserId, disabled: true, staffLeft: false, grants: [] };
  const refusal = witnessRefusal(account, gb, requesterId, vpUserId);
  if (refusal) throw new AppError('invalid', 'validation', {}, { witnessUserId: refusal });
}

export interface WitnessCandidate {
  id: number;
  fullName: string;
  /** staff.post (teacher, academic_staff, records_clerk, …); null for an account without a staff record. */
  post: string | null;
}

/** Everyone checkWitness would accept for this grade book, by name. */
export async function witnessCandidates(conn: Conn, gb: Gradebook, requesterId: number, vpUserId: number | null): Promise<WitnessCandidate[]> {
  return (await witnessAccounts(conn, gb))
    .filter((a) => witnessRefusal(a, gb, requesterId, vpUserId) === null)
    .map((a) => ({ id: a.userId, fullName: a.fullName, post: a.post }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi') || a.id - b.id);
}
