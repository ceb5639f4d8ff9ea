import type { Knex } from 'knex';
import { selectRows } from '../db/knex';
import { AppError } from '../core/errors';
import { canWriteGradebook, type DelegationRef, type GradebookTarget, type Principal } from '../../domain/permissions';
import type { Lock, LockScope } from '../../domain/locks';
import { DEFAULT_CUTOFFS, type CutoffSettings } from '../../domain/cutoffs';

type Conn = Knex | Knex.Transaction;

export interface SchoolSettings extends CutoffSettings {
  unlockHours: number;
  correctionProcedure: 'witnessed' | 'admin';
  /** Số hóa học bạ giấy: two people enter each paper year and the differences are reconciled (docs/digitisation.md). */
  digitisationDoubleEntry: boolean;
}

export const DEFAULT_SETTINGS: SchoolSettings = { ...DEFAULT_CUTOFFS, unlockHours: 48, correctionProcedure: 'witnessed', digitisationDoubleEntry: false };

/** The school's cutoff settings (defaults until the principal changes them). */
export async function loadSettings(conn: Conn, schoolId: number): Promise<SchoolSettings> {
  const row = (await conn('school_settings').where({ school_id: schoolId }).first()) as Record<string, unknown> | undefined;
  return settingsFromRow(row);
}

/** A school_settings row (or none: the defaults) as the rules read it. */
export function settingsFromRow(row: Record<string, unknown> | undefined): SchoolSettings {
  if (!row) return DEFAULT_SETTINGS;
  return {
    regularCutoffWeekday: Number(row.regular_cutoff_weekday),
    regularCutoffTime: String(row.regular_cutoff_time),
    periodicWindowDays: Number(row.periodic_window_days),
    unlockHours: Number(row.unlock_hours),
    correctionProcedure: row.correction_procedure === 'admin' ? 'admin' : 'witnessed',
    digitisationDoubleEntry: row.digitisation_double_entry === true || row.digitisation_double_entry === 1,
  };
}

/** Locks in force for a school year (lifted ones are history). */
export async function activeLocks(conn: Conn, schoolId: number, schoolYearId: number): Promise<Lock[]> {
  const rows = await selectRows(conn, 'select id, scope, school_year_id, semester_id, grade, class_id, subject_id, student_id, kind, seq, created_at, reason from locks where school_id = ? and school_year_id = ? and lifted_at is null', [schoolId, schoolYearId]);
  return rows.map(lockFromRow);
}

/** A `locks` row as the lock rules read it (the locks API adds who ordered, set and lifted it). */
export function lockFromRow(r: Record<string, unknown>): Required<Lock> {
  return {
    id: Number(r.id),
    scope: r.scope as LockScope,
    schoolYearId: Number(r.school_year_id),
    semesterId: numOrNull(r.semester_id),
    grade: numOrNull(r.grade),
    classId: numOrNull(r.class_id),
    subjectId: numOrNull(r.subject_id),
    studentId: numOrNull(r.student_id),
    kind: (r.kind as string | null) ?? null,
    seq: numOrNull(r.seq),
    createdAt: String(r.created_at),
    reason: String(r.reason),
  };
}

export interface Opening {
  studentId: number;
  kind: string;
  seq: number;
  until: string;
}

/**
 * The school year's locks in force and the cells of this grade book that an approved unlock request keeps open right
 * now, in one statement: every grid read and save needs both, and each statement is a round trip (a save sends about
 * fourteen; each costs the server about a millisecond of a busy core in a storm).
 */
export async function locksAndOpenings(
  conn: Conn,
  at: { schoolId: number; schoolYearId: number; classId: number; subjectId: number; semesterId: number },
  now: string,
): Promise<{ locks: Lock[]; openings: Opening[] }> {
  const rows = await selectRows(
    conn,
    `select 'lock' as what, id, scope, school_year_id, semester_id, grade, class_id, subject_id, student_id, kind, seq, created_at, reason, null as opens_until
     from locks where school_id = ? and school_year_id = ? and lifted_at is null
     union all
     select 'opening', null, null, null, null, null, null, null, c.student_id, c.kind, c.seq, null, null, r.opens_until
     from unlock_request_cells c join unlock_requests r on r.id = c.unlock_request_id
     where c.class_id = ? and c.subject_id = ? and c.semester_id = ? and r.status = 'approved' and r.opens_until > ?`,
    [at.schoolId, at.schoolYearId, at.classId, at.subjectId, at.semesterId, now],
  );
  const locks = rows.filter((r) => r.what === 'lock').map(lockFromRow);
  const openings = rows.filter((r) => r.what !== 'lock').map((r) => ({ studentId: Number(r.student_id), kind: String(r.kind), seq: Number(r.seq), until: String(r.opens_until) }));
  return { locks, openings };
}

/**
 * The delegations a grade-book check needs: none when the actor's own assignment already lets them write it
 * (a delegation only adds rights), so a teacher's own grid costs no query for them.
 */
export async function delegationsFor(conn: Conn, principal: Principal, target: GradebookTarget, now: string): Promise<DelegationRef[]> {
  return canWriteGradebook(principal, target) ? [] : activeDelegations(conn, principal.userId, now);
}

/** Whether the actor writes this grade book now: their own teaching assignment, or a delegation still valid. */
export async function mayWriteGradebook(conn: Conn, principal: Principal, target: GradebookTarget, now: string): Promise<boolean> {
  return canWriteGradebook(principal, target, await delegationsFor(conn, principal, target, now));
}

/** Class × subject entry rights the principal delegated to this user, still valid now. */
export async function activeDelegations(conn: Conn, userId: number, now: string): Promise<DelegationRef[]> {
  const rows = (await conn('entry_delegations')
    .where({ delegate_user_id: userId })
    .whereNull('revoked_at')
    .where('valid_until', '>', now)
    .select('school_id', 'class_id', 'subject_id')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ schoolId: Number(r.school_id), classId: Number(r.class_id), subjectId: Number(r.subject_id) }));
}

function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/**
 * A student who transferred out (student-transfers, or a transfer package issued) is read-only history here: a write
 * naming them is refused with why, not with "not in this class". Only the ids outside the roster are looked up.
 */
export async function refuseTransferredOut(conn: Conn, studentIds: number[], roster: Set<number>): Promise<void> {
  const outside = [...new Set(studentIds)].filter((id) => !roster.has(id));
  if (outside.length === 0) return;
  const gone = (await conn('students').whereIn('id', outside).where({ status: 'transferred_out' }).first('full_name')) as { full_name: string } | undefined;
  if (gone) throw new AppError('locked', 'studentTransferredOut', { name: String(gone.full_name) });
}
