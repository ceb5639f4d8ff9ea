/** Reading and writing a school year's timeline: its configuration and the steps that already ran. */
import type { Knex } from 'knex';
import { stepId, type SchoolCalendar, type Step, type TimelineConfig } from '../../domain/timeline';
import { loadSettings } from '../gradebook/guards';

type Conn = Knex | Knex.Transaction;

export interface StoredTimeline {
  id: number;
  schoolId: number;
  schoolYearId: number;
  profile: string;
  config: TimelineConfig;
  activatedAt: string;
  version: number;
  updatedAt: string;
  updatedBy: number | null;
}

export function timelineFromRow(r: Record<string, unknown>): StoredTimeline {
  return {
    id: Number(r.id),
    schoolId: Number(r.school_id),
    schoolYearId: Number(r.school_year_id),
    profile: String(r.profile),
    config: JSON.parse(String(r.config)) as TimelineConfig,
    activatedAt: String(r.activated_at),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: r.updated_by === null || r.updated_by === undefined ? null : Number(r.updated_by),
  };
}

export async function loadTimeline(conn: Conn, schoolYearId: number): Promise<StoredTimeline | undefined> {
  const row = (await conn('timelines').where({ school_year_id: schoolYearId }).first()) as Record<string, unknown> | undefined;
  return row ? timelineFromRow(row) : undefined;
}

/** The school years whose timeline runs: the current year of each school that has one. */
export async function activeTimelineYears(conn: Conn): Promise<number[]> {
  const rows = (await conn('timelines as t')
    .join('school_years as y', 'y.id', 't.school_year_id')
    .where('y.is_current', true)
    .orderBy('t.school_year_id')
    .select('t.school_year_id')) as Array<{ school_year_id: number }>;
  return rows.map((r) => Number(r.school_year_id));
}

/** The calendar a year's plan is made in: its dates, its semesters and the school's weekly cutoff. */
export async function schoolCalendar(conn: Conn, schoolYearId: number): Promise<SchoolCalendar & { schoolId: number }> {
  const year = (await conn('school_years').where({ id: schoolYearId }).first()) as Record<string, unknown>;
  const sems = (await conn('semesters').where({ school_year_id: schoolYearId }).orderBy('number')) as Array<Record<string, unknown>>;
  const settings = await loadSettings(conn, Number(year.school_id));
  const startYear = Number(String(year.name).slice(0, 4));
  return {
    schoolId: Number(year.school_id),
    yearStart: `${startYear}-09-01`,
    yearEnd: `${startYear + 1}-08-31`,
    semesters: sems.map((s) => ({ startDate: String(s.start_date), endDate: String(s.end_date) })),
    cutoffs: {
      regularCutoffWeekday: settings.regularCutoffWeekday,
      regularCutoffTime: settings.regularCutoffTime,
      periodicWindowDays: settings.periodicWindowDays,
    },
  };
}

export async function doneStepIds(conn: Conn, schoolYearId: number): Promise<Set<string>> {
  const rows = (await conn('timeline_steps').where({ school_year_id: schoolYearId }).select('step_id')) as Array<{ step_id: string }>;
  return new Set(rows.map((r) => r.step_id));
}

/**
 * Records a step as run (or skipped); false when it was already recorded — by another engine instance, or by an
 * earlier attempt whose transaction committed. Callers run the step's actions in the same transaction.
 */
export async function recordStep(trx: Knex.Transaction, schoolYearId: number, step: Step, status: 'done' | 'skipped', actions: number, now: string): Promise<boolean> {
  const inserted = (await trx('timeline_steps')
    .insert({
      school_year_id: schoolYearId,
      step_id: stepId(step),
      milestone: step.milestone,
      step: step.step,
      period: step.period,
      at: step.at,
      status,
      actions,
      ran_at: now,
    })
    .onConflict(['school_year_id', 'step_id'])
    .ignore()
    .returning('id')) as unknown[];
  return inserted.length > 0;
}

