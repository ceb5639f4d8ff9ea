import type { Knex } from 'knex';
import type { AssignmentRef, ClassRef, Grant, Principal, Role } from '../../domain/permissions';
import type { Actor } from '../core/actor';
import { notFound } from '../core/errors';
import { parseJsonArray, selectRows, toBool } from '../db/knex';

export interface RoleRow {
  school_id: number;
  role: string;
  department_ids: string | null;
  grades: string | null;
  manage_accounts: unknown;
  department_id: number | null;
  student_id: number | null;
}

export function grantFromRow(r: RoleRow): Grant {
  const g: Grant = { schoolId: Number(r.school_id), role: r.role as Role };
  if (r.role === 'vice_principal') {
    g.departmentIds = parseJsonArray<number>(r.department_ids);
    g.grades = parseJsonArray<number>(r.grades);
    g.manageAccounts = toBool(r.manage_accounts);
  }
  if (r.role === 'department_head' && r.department_id !== null) g.departmentId = Number(r.department_id);
  if (r.role === 'student' && r.student_id !== null) g.studentId = Number(r.student_id);
  return g;
}

export async function loadGrants(db: Knex | Knex.Transaction, userId: number): Promise<Grant[]> {
  const rows = await selectRows<RoleRow>(db, 'select school_id, role, department_ids, grades, manage_accounts, department_id, student_id from user_roles where user_id = ? order by id', [userId]);
  return rows.map(grantFromRow);
}

const SCOPES_SQL = `
  select 'teaches' as what, a.class_id, a.subject_id, a.school_id, c.grade
  from teaching_assignments a join classes c on c.id = a.class_id join school_years y on y.id = a.school_year_id
  where a.staff_id = ? and y.is_current = true
  union all
  select 'homeroom', c.id, null, c.school_id, c.grade
  from classes c join school_years y on y.id = c.school_year_id
  where c.homeroom_staff_id = ? and y.is_current = true`;

/**
 * Builds what the permission rules need. Teaching scopes come from the current school year's assignments, so a
 * change of homeroom or teaching assignment takes effect on the very next request.
 */
export async function loadPrincipal(db: Knex | Knex.Transaction, userId: number, staffId: number | null, roles?: RoleRow[]): Promise<Principal> {
  const grants = roles ? roles.map(grantFromRow) : await loadGrants(db, userId);
  const homeroomClasses: ClassRef[] = [];
  const assignments: AssignmentRef[] = [];
  if (staffId !== null) {
    // Homeroom classes and teaching assignments of the current year, in one round trip (every request needs both).
    const rows = await selectRows<{ what: string; class_id: number; subject_id: number | null; school_id: number; grade: number }>(db, SCOPES_SQL, [staffId, staffId]);
    for (const r of rows) {
      const ref = { schoolId: Number(r.school_id), classId: Number(r.class_id), grade: Number(r.grade) };
      if (r.what === 'homeroom') homeroomClasses.push(ref);
      else assignments.push({ ...ref, subjectId: Number(r.subject_id) });
    }
  }
  return { userId, staffId, grants, homeroomClasses, assignments };
}

/** A user as an actor outside any request (the timeline acting for a named person, tests): no IP. */
export async function actorOfUser(db: Knex | Knex.Transaction, userId: number): Promise<Actor> {
  const u = (await db('users').where({ id: userId }).first('id', 'username', 'full_name', 'school_id', 'staff_id')) as
    | { id: number; username: string; full_name: string; school_id: number | null; staff_id: number | null }
    | undefined;
  if (!u) throw notFound('users', userId);
  const principal = await loadPrincipal(db, Number(u.id), u.staff_id === null ? null : Number(u.staff_id));
  return {
    userId: Number(u.id),
    username: u.username,
    fullName: u.full_name,
    roles: [...new Set(principal.grants.map((g) => g.role))],
    ip: null,
    schoolId: u.school_id === null ? null : Number(u.school_id),
    principal,
  };
}
