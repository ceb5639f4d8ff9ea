/**
 * The demo school's timeline: the Khánh Phú / Đồ Sơn profile (seed 000) for its current year, with the Tết
 * holiday, switched on from the start of the year (so the steps already past run once at the first start, like
 * a server catching up after downtime).
 */
import { timelineProfile, vnAt, type Holiday } from '../../domain/timeline';
import { systemActor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { nowIso, type Db } from '../db/knex';

/** Tết Nguyên đán holidays by the year a school year ends in (the lunar new year moves). */
const TET: Record<number, Holiday> = {
  2027: { name: 'Nghỉ Tết Nguyên đán', from: '2027-02-01', to: '2027-02-12' },
  2028: { name: 'Nghỉ Tết Nguyên đán', from: '2028-01-21', to: '2028-02-02' },
  2029: { name: 'Nghỉ Tết Nguyên đán', from: '2029-02-07', to: '2029-02-18' },
};

/** The first school's current year, or (`schoolId`) another school's (the office's demo schools, demo/office.ts). */
export async function seedDemoTimeline(db: Db, opts: { activatedAt?: string; schoolId?: number } = {}): Promise<number | undefined> {
  const year = (await db('school_years').where({ is_current: true, ...(opts.schoolId ? { school_id: opts.schoolId } : {}) }).orderBy('id').first('id', 'school_id', 'name')) as { id: number; school_id: number; name: string } | undefined;
  if (!year || (await db('timelines').where({ school_year_id: year.id }).first('id'))) return undefined;
  const startYear = Number(String(year.name).slice(0, 4));
  const config = { ...timelineProfile('khanh-phu', startYear), holidays: TET[startYear + 1] ? [TET[startYear + 1]] : [] };
  const now = nowIso();
  await db.transaction(async (trx) => {
    await trx('timelines').insert({
      school_id: year.school_id,
      school_year_id: year.id,
      profile: config.profile,
      config: JSON.stringify(config),
      activated_at: opts.activatedAt ?? vnAt(`${startYear}-09-01`, '00:00'),
      version: 1,
      updated_at: now,
    });
    await appendAudit(trx, systemActor(Number(year.school_id)), { action: 'create', entity: 'timelines', entityId: year.id, after: { profile: config.profile }, schoolId: Number(year.school_id) });
  });
  return Number(year.id);
}
