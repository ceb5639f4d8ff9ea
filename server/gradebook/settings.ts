import { z } from 'zod';
import { can, schoolIdsOf, scopesFor } from '../../domain/permissions';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import { loadSettings } from './guards';

const SettingsBody = z
  .strictObject({
    regularCutoffWeekday: z.number().int().min(1).max(7),
    regularCutoffTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    periodicWindowDays: z.number().int().min(1).max(60),
    unlockHours: z.number().int().min(1).max(24 * 14),
    correctionProcedure: z.enum(['witnessed', 'admin']),
    digitisationDoubleEntry: z.boolean(),
  })
  .partial();

/** Query: the cutoff settings of every school the actor may list (id = the school's id). */
export async function listSettings(db: Db, actor: Actor) {
  const principal = principalOf(actor);
  if (!can(principal, 'list', 'school-settings')) throw forbidden();
  const ids = [...new Set(scopesFor(principal, 'list', 'school-settings').map((s) => s.schoolId))];
  const list = await Promise.all(ids.map(async (schoolId) => ({ id: schoolId, schoolId, ...(await loadSettings(db, schoolId)) })));
  return list;
}

/** Query: one school's cutoff settings. */
export async function showSettings(db: Db, actor: Actor, rawId: string) {
  const principal = principalOf(actor);
  const schoolId = Number(rawId);
  if (!can(principal, 'show', 'school-settings', { schoolId })) throw forbidden();
  return { id: schoolId, schoolId, ...(await loadSettings(db, schoolId)) };
}

/** Operation: the principal (or the admin) sets the school's cutoffs. */
export async function updateSettings(db: Db, actor: Actor, rawId: string, input: unknown) {
  const schoolId = Number(rawId);
  const principal = principalOf(actor);
  if (!schoolIdsOf(principal).includes(schoolId) || !can(principal, 'edit', 'school-settings', { schoolId })) throw forbidden();
  const body = parse(SettingsBody, stripIds(input));
  const updated = await db.transaction(async (trx) => {
    const before = await loadSettings(trx, schoolId);
    const next = { ...before, ...body };
    const row = {
      regular_cutoff_weekday: next.regularCutoffWeekday,
      regular_cutoff_time: next.regularCutoffTime,
      periodic_window_days: next.periodicWindowDays,
      unlock_hours: next.unlockHours,
      correction_procedure: next.correctionProcedure,
      digitisation_double_entry: next.digitisationDoubleEntry,
      updated_at: nowIso(),
    };
    if (await trx('school_settings').where({ school_id: schoolId }).first()) await trx('school_settings').where({ school_id: schoolId }).update(row);
    else await trx('school_settings').insert({ school_id: schoolId, ...row });
    await appendAudit(trx, actor, { action: 'update', entity: 'school-settings', entityId: schoolId, schoolId, before, after: next, reason: reasonOf(input) });
    return next;
  });
  return { id: schoolId, schoolId, ...updated };
}

/** Why the change was made, if the client said. */
function reasonOf(input: unknown): string | null {
  const r = (input as { reason?: unknown } | null)?.reason;
  return typeof r === 'string' ? r : null;
}

function stripIds(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { id: _i, schoolId: _s, reason: _r, ...rest } = body as Record<string, unknown>;
  return rest;
}
