import type { Knex } from 'knex';
import type { Grant, Principal, Role } from '../../domain/permissions';
import { parseComment, parseScore } from '../../domain/scoring';
import { grantFromRow, type RoleRow } from '../auth/principal';
import { toBool } from '../db/knex';
import { HttpError, type FieldError } from '../http/errors';
import { loadTestDates, type ClosureContext } from '../gradebook/cells';
import { activeLocks, activeOpenings, loadSettings } from '../gradebook/guards';
import type { Gradebook } from '../gradebook/target';

type Conn = Knex | Knex.Transaction;

/** The cell as it is now, for the closure rules (the same inputs the grid save uses). */
export async function closureContext(conn: Conn, gb: Gradebook, now: string): Promise<ClosureContext> {
  // One query after another: inside a transaction they share one connection.
  const settings = await loadSettings(conn, gb.target.schoolId);
  const locks = await activeLocks(conn, gb.target.schoolId, gb.schoolYearId);
  const openings = await activeOpenings(conn, gb.klass.id, gb.subject.id, gb.semester.id, now);
  return { settings, locks, openings, testDates: await loadTestDates(conn, gb), now };
}

/**
 * The new value in canonical form, parsed by the subject's assessment type (TT22 Điều 5: a score 0–10 with at
 * most one decimal, or Đ/CĐ for comment subjects); null or "" clears the cell.
 */
export function parseNewValue(gb: Gradebook, raw: string | number | null): { value: string | null } | { error: FieldError } {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  const text = String(raw);
  if (gb.subject.assessmentType === 'comment') {
    const c = parseComment(text);
    if (c.ok) return { value: c.value };
    return { error: { key: parseScore(text).ok ? 'numberInCommentSubject' : 'commentFormat' } };
  }
  const s = parseScore(text);
  if (s.ok) return { value: s.value };
  if (parseComment(text).ok || /\p{L}/u.test(text)) return { error: { key: 'letterInScoredSubject' } };
  return { error: { key: s.error === 'range' ? 'scoreRange' : s.error === 'precision' ? 'scorePrecision' : 'scoreFormat' } };
}

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

/**
 * The second named witness (seed 000): an active staff account of the school, neither the requesting teacher
 * (nobody witnesses their own correction) nor a VP supervising the grade book (the VP is already a party).
 */
export async function checkWitness(conn: Conn, gb: Gradebook, witnessUserId: number, requesterId: number, vpUserId: number | null): Promise<void> {
  const refuse = (key: FieldError) => new HttpError(400, 'validation', {}, { witnessUserId: key });
  if (witnessUserId === requesterId) throw refuse({ key: 'correctionSelfWitness' });
  const user = (await conn('users').where({ id: witnessUserId }).first('id', 'disabled')) as { id: number; disabled: unknown } | undefined;
  const rows = user && !toBool(user.disabled) ? ((await conn('user_roles').where({ user_id: witnessUserId })) as RoleRow[]) : [];
  const grants = rows.map(grantFromRow).filter((g) => g.schoolId === gb.target.schoolId);
  if (!grants.some((g) => STAFF_ROLES.includes(g.role))) throw refuse({ key: 'correctionWitnessNotStaff' });
  if (witnessUserId === vpUserId || grants.some((g) => supervisesGrant(g, gb))) throw refuse({ key: 'correctionWitnessIsVp' });
}
