/**
 * Writing a school year's timeline: start one from a seed profile, or change it (principal or admin). Every change
 * is audited with the configuration before and after, checked against concurrent edits (version), and reaches the
 * running engine at once through TimelineControl.
 */
import { canEditTimeline } from '../../domain/permissions';
import { timelineProfile, type ProfileKey, type TimelineConfig } from '../../domain/timeline';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, invalidField, notFound } from '../core/errors';
import { parse } from '../core/validate';
import { nowIso, type Db } from '../db/knex';
import type { TimelineControl } from './control';
import { TimelineCreate, TimelineUpdate } from './schema';
import { loadTimeline, schoolCalendar, type StoredTimeline } from './store';

async function yearOf(db: Db, schoolYearId: number): Promise<{ schoolId: number; name: string }> {
  const y = (await db('school_years').where({ id: schoolYearId }).first('school_id', 'name')) as { school_id: number; name: string } | undefined;
  if (!y) throw notFound('school-years', schoolYearId);
  return { schoolId: Number(y.school_id), name: String(y.name) };
}

/** Checks what zod cannot: unique keys, dues inside the school year. */
async function checkConfig(db: Db, schoolYearId: number, config: TimelineConfig): Promise<void> {
  const keys = new Set<string>();
  for (const [i, m] of config.milestones.entries()) {
    if (keys.has(m.key) || m.key === 'weekly' || m.key === 'inspection') throw invalidField(`config.milestones.${i}.key`, { key: 'timelineDuplicateKey', params: { key: m.key } });
    keys.add(m.key);
  }
  const cal = await schoolCalendar(db, schoolYearId);
  for (const [i, m] of config.milestones.entries()) {
    const day = new Date(Date.parse(m.due) + 7 * 3_600_000).toISOString().slice(0, 10);
    if (day < cal.yearStart || day > cal.yearEnd) throw invalidField(`config.milestones.${i}.due`, { key: 'timelineBadDue', params: { from: cal.yearStart, to: cal.yearEnd } });
  }
}

export async function createTimeline(db: Db, actor: Actor, input: unknown, control: TimelineControl, now = nowIso()): Promise<StoredTimeline> {
  const { schoolYearId, profile } = parse(TimelineCreate, input);
  const year = await yearOf(db, schoolYearId);
  if (!canEditTimeline(principalOf(actor), year.schoolId)) throw forbidden();
  const config = timelineProfile(profile as ProfileKey, Number(year.name.slice(0, 4)));
  await db.transaction(async (trx) => {
    if (await loadTimeline(trx, schoolYearId)) throw new AppError('conflict', 'timelineExists');
    await trx('timelines').insert({
      school_id: year.schoolId,
      school_year_id: schoolYearId,
      profile,
      config: JSON.stringify(config),
      activated_at: now,
      version: 1,
      updated_at: now,
      updated_by: actor.userId,
    });
    await appendAudit(trx, actor, { action: 'create', entity: 'timelines', entityId: schoolYearId, after: { profile, config }, schoolId: year.schoolId });
  });
  await control.changed(schoolYearId);
  return (await loadTimeline(db, schoolYearId))!;
}

export async function updateTimeline(db: Db, actor: Actor, schoolYearId: number, input: unknown, control: TimelineControl, now = nowIso()): Promise<StoredTimeline> {
  const { version, config } = parse(TimelineUpdate, input);
  const year = await yearOf(db, schoolYearId);
  if (!canEditTimeline(principalOf(actor), year.schoolId)) throw forbidden();
  await checkConfig(db, schoolYearId, config);
  await db.transaction(async (trx) => {
    const before = await loadTimeline(trx, schoolYearId);
    if (!before) throw new AppError('not_found', 'timelineMissing');
    const n = await trx('timelines')
      .where({ school_year_id: schoolYearId, version })
      .update({ config: JSON.stringify(config), profile: config.profile, version: version + 1, updated_at: now, updated_by: actor.userId });
    if (n !== 1) throw new AppError('conflict', 'timelineStale', {}, {}, { current: before });
    await appendAudit(trx, actor, { action: 'update', entity: 'timelines', entityId: schoolYearId, before: before.config, after: config, schoolId: year.schoolId });
  });
  await control.changed(schoolYearId);
  return (await loadTimeline(db, schoolYearId))!;
}
