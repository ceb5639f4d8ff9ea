import type { Knex } from 'knex';
import { z } from 'zod';
import { formatVn, vnMidnight } from '../../domain/cutoffs';
import { DELEGATE_ROLES, canListOwnDelegations } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden, invalidField } from '../core/errors';
import { id as entityId, isoDate, name } from '../core/fields';
import { insertReturningId } from '../core/records';
import type { ResourceDef, WriteContext } from '../core/resource';
import { nowIso, toBool, type Db } from '../db/knex';
import { loadClass, loadYear, vnDate } from '../school/common';
import { numOrNull, strOrNull } from './shared';

/**
 * Ủy quyền nhập điểm: only the assigned subject teacher writes their cells — or someone the principal delegated,
 * recorded (issue 3; roles.md: nobody works under another's account, so a stand-in gets a right of their own).
 * The grade book reads delegations at each write (gradebook/guards.ts activeDelegations): one stops counting at
 * valid_until or when revoked, without any timer.
 */
export interface EntryDelegation {
  id: number;
  schoolId: number;
  classId: number;
  subjectId: number;
  delegateUserId: number;
  delegateName: string;
  reason: string;
  grantedBy: number;
  grantedByName: string | null;
  validUntil: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: number | null;
  /** Not revoked and not yet expired: the delegate may write the grid now. */
  active: boolean;
}

const DelegationInput = z.strictObject({
  classId: entityId,
  subjectId: entityId,
  delegateUserId: entityId,
  reason: name(500),
  // A day means through the end of that day, Vietnam time; an instant must carry its offset.
  validUntil: z.union([isoDate, z.iso.datetime({ offset: true })]),
});
type Input = z.output<typeof DelegationInput>;
const RevokeBody = z.strictObject({ reason: name(500).optional() });

export const delegationsResource: ResourceDef<EntryDelegation> = {
  name: 'entry-delegations',
  table: 'entry_delegations',
  baseQuery: (conn) =>
    conn('entry_delegations')
      .join('users as delegate', 'delegate.id', 'entry_delegations.delegate_user_id')
      .leftJoin('users as granter', 'granter.id', 'entry_delegations.granted_by')
      .select('entry_delegations.*', 'delegate.full_name as delegate_name', 'granter.full_name as granted_by_name'),
  fields: {
    id: { column: 'entry_delegations.id', type: 'number' },
    classId: { column: 'entry_delegations.class_id', type: 'number' },
    subjectId: { column: 'entry_delegations.subject_id', type: 'number' },
    delegateUserId: { column: 'entry_delegations.delegate_user_id', type: 'number' },
    validUntil: { column: 'entry_delegations.valid_until', type: 'string' },
    createdAt: { column: 'entry_delegations.created_at', type: 'string' },
    revokedAt: { column: 'entry_delegations.revoked_at', type: 'string' },
    active: {
      column: 'entry_delegations.valid_until',
      type: 'boolean',
      where: (qb, values) => {
        const now = nowIso();
        if (values[0] === true) qb.whereNull('entry_delegations.revoked_at').where('entry_delegations.valid_until', '>', now);
        else qb.where((w) => w.whereNotNull('entry_delegations.revoked_at').orWhere('entry_delegations.valid_until', '<=', now));
      },
    },
  },
  searchColumns: ['delegate.search_text'],
  defaultSort: 'createdAt',
  toApi: (r) => {
    const revokedAt = strOrNull(r.revoked_at);
    const validUntil = String(r.valid_until);
    return {
      id: Number(r.id),
      schoolId: Number(r.school_id),
      classId: Number(r.class_id),
      subjectId: Number(r.subject_id),
      delegateUserId: Number(r.delegate_user_id),
      delegateName: String(r.delegate_name),
      reason: String(r.reason),
      grantedBy: Number(r.granted_by),
      grantedByName: (r.granted_by_name as string | null) ?? null,
      validUntil,
      createdAt: String(r.created_at),
      revokedAt,
      revokedBy: numOrNull(r.revoked_by),
      active: revokedAt === null && validUntil > nowIso(),
    };
  },
  create: { schema: DelegationInput as never, schoolOf: schoolOfDelegation, insert: insertDelegation },
  // DELETE revokes (ra-data-simple-rest delete) and answers with the revoked delegation.
  softDelete: { action: 'revoke', schema: RevokeBody, apply: revokeDelegation },
};

/** A grade book someone may write because it was delegated to them (GET /api/entry-delegations/mine). */
export interface MyDelegation {
  id: number;
  schoolId: number;
  classId: number;
  className: string;
  grade: number;
  subjectId: number;
  subjectName: string;
  validUntil: string;
}

/**
 * A staff member's own active delegations (not revoked, not expired, classes of the current year), so the
 * grade-book page offers them beside their assignments.
 */
export async function myDelegations(db: Db, actor: Actor): Promise<MyDelegation[]> {
  if (!canListOwnDelegations(principalOf(actor))) throw forbidden();
  const rows = (await db('entry_delegations as d')
    .join('classes as c', 'c.id', 'd.class_id')
    .join('school_years as y', 'y.id', 'c.school_year_id')
    .join('subjects as s', 's.id', 'd.subject_id')
    .where({ 'd.delegate_user_id': actor.userId, 'y.is_current': true })
    .whereNull('d.revoked_at')
    .where('d.valid_until', '>', nowIso())
    .orderBy([{ column: 'c.grade' }, { column: 'c.name' }, { column: 's.name' }, { column: 'd.valid_until', order: 'desc' }])
    .select('d.id', 'd.school_id', 'd.class_id', 'c.name as class_name', 'c.grade', 'd.subject_id', 's.name as subject_name', 'd.valid_until')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    schoolId: Number(r.school_id),
    classId: Number(r.class_id),
    className: String(r.class_name),
    grade: Number(r.grade),
    subjectId: Number(r.subject_id),
    subjectName: String(r.subject_name),
    validUntil: String(r.valid_until),
  }));
}

const invalid = invalidField;

async function schoolOfDelegation(raw: Record<string, unknown>, trx: Knex.Transaction): Promise<number> {
  const cls = await loadClass(trx, (raw as Input).classId);
  if (!cls) throw invalid('classId', { key: 'badReference' });
  return cls.school_id;
}

async function insertDelegation(raw: Record<string, unknown>, { trx, actor, schoolId }: WriteContext): Promise<number> {
  const input = raw as Input;
  const now = nowIso();
  const cls = (await loadClass(trx, input.classId))!;
  const year = (await loadYear(trx, cls.school_year_id))!;
  if (!year.is_current) throw invalid('classId', { key: 'classNotCurrentYear' });
  const subject = (await trx('subjects').where({ id: input.subjectId }).first('school_id', 'periods_per_year')) as { school_id: number; periods_per_year: string | null } | undefined;
  if (!subject) throw invalid('subjectId', { key: 'badReference' });
  if (Number(subject.school_id) !== schoolId) throw invalid('subjectId', { key: 'schoolMismatch' });
  const periods = JSON.parse(String(subject.periods_per_year ?? '{}')) as Record<string, number>;
  if (periods[String(cls.grade)] === undefined) throw invalid('subjectId', { key: 'subjectNotInGrade', params: { grade: cls.grade } });

  const delegate = (await trx('users').where({ id: input.delegateUserId }).first('id', 'disabled', 'staff_id')) as { disabled: unknown; staff_id: number | null } | undefined;
  const roles = delegate ? ((await trx('user_roles').where({ user_id: input.delegateUserId, school_id: schoolId }).whereIn('role', DELEGATE_ROLES).first('id')) as unknown) : undefined;
  if (!delegate || toBool(delegate.disabled) || delegate.staff_id === null || !roles) throw invalid('delegateUserId', { key: 'delegateNotStaff' });

  const validUntil = /^\d{4}-\d{2}-\d{2}$/.test(input.validUntil) ? vnMidnight(input.validUntil, 1) : new Date(input.validUntil).toISOString();
  if (validUntil <= now) throw invalid('validUntil', { key: 'validUntilPast' });
  // A delegation does not outlive the school year it was given in.
  if (validUntil > vnMidnight(year.end_date, 1)) throw invalid('validUntil', { key: 'dateUntil', params: { max: vnDate(year.end_date) } });

  return insertReturningId(trx, 'entry_delegations', {
    school_id: schoolId,
    class_id: input.classId,
    subject_id: input.subjectId,
    delegate_user_id: input.delegateUserId,
    reason: input.reason,
    granted_by: actor.userId,
    valid_until: validUntil,
    created_at: now,
  });
}

/** Revoking keeps the record, with when and by whom. */
async function revokeDelegation(existing: EntryDelegation, _input: { reason?: string | null }, { trx, actor }: WriteContext): Promise<void> {
  if (existing.revokedAt) throw new AppError('conflict', 'delegationAlreadyRevoked', { since: formatVn(existing.revokedAt) });
  const n = await trx('entry_delegations').where({ id: existing.id }).whereNull('revoked_at').update({ revoked_at: nowIso(), revoked_by: actor.userId });
  if (n !== 1) throw new AppError('conflict', 'delegationAlreadyRevoked', { since: '' });
}
