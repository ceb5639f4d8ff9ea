/**
 * Who stands above a teacher for a grade book (seed 000's chase: department head → supervising vice principal →
 * principal), read once per step from the school's role grants, and the user account behind each teacher.
 */
import type { Knex } from 'knex';
import type { ChainRole } from '../../domain/timeline';

type Conn = Knex | Knex.Transaction;

interface Grant {
  userId: number;
  role: string;
  departmentId: number | null;
  departmentIds: number[];
  grades: number[];
}

export interface ChainIndex {
  /** The users above a grade book of this grade and department, per chain role. */
  above(grade: number, departmentId: number | null): Record<ChainRole, number[]>;
  /** The user account of a staff member (null when they have none or it is disabled). */
  userOfStaff(staffId: number): number | null;
  principals: number[];
}

const parseIds = (v: unknown): number[] => (typeof v === 'string' && v ? (JSON.parse(v) as number[]).map(Number) : []);

export async function loadChain(conn: Conn, schoolId: number): Promise<ChainIndex> {
  const rows = (await conn('user_roles as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.school_id', schoolId)
    .where('u.disabled', false)
    .whereIn('r.role', ['principal', 'vice_principal', 'department_head'])
    .select('r.user_id', 'r.role', 'r.department_id', 'r.department_ids', 'r.grades')) as Array<Record<string, unknown>>;
  const grants: Grant[] = rows.map((r) => ({
    userId: Number(r.user_id),
    role: String(r.role),
    departmentId: r.department_id === null ? null : Number(r.department_id),
    departmentIds: parseIds(r.department_ids),
    grades: parseIds(r.grades),
  }));
  const staffUsers = (await conn('users').where({ school_id: schoolId, disabled: false }).whereNotNull('staff_id').select('id', 'staff_id')) as Array<Record<string, unknown>>;
  const byStaff = new Map(staffUsers.map((u) => [Number(u.staff_id), Number(u.id)]));
  const ids = (pred: (g: Grant) => boolean) => [...new Set(grants.filter(pred).map((g) => g.userId))].sort((a, b) => a - b);
  const principals = ids((g) => g.role === 'principal');
  return {
    principals,
    userOfStaff: (staffId) => byStaff.get(staffId) ?? null,
    above: (grade, departmentId) => ({
      departmentHead: ids((g) => g.role === 'department_head' && departmentId !== null && g.departmentId === departmentId),
      vicePrincipal: ids((g) => g.role === 'vice_principal' && (g.grades.includes(grade) || (departmentId !== null && g.departmentIds.includes(departmentId)))),
      principal: principals,
    }),
  };
}
