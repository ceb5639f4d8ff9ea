/** Small tools for timeline scenarios on the demo year: a hand-made timeline, and reading back who got what. */
import { timelineProfile, type Milestone, type TimelineConfig } from '../../domain/timeline';
import type { Db } from '../../server/db/knex';

type Conn = Db;

/** The demo profile with the weekly rule and the monthly inspection off, and the given milestones only. */
export function scenarioConfig(milestones: Milestone[]): TimelineConfig {
  const base = timelineProfile('khanh-phu', 2027);
  return { ...base, milestones, weekly: { ...base.weekly, enabled: false }, inspection: { ...base.inspection, enabled: false } };
}

export function entryMilestone(m: Partial<Milestone> & Pick<Milestone, 'key' | 'title' | 'due'>): Milestone {
  return {
    scope: {},
    responsible: 'subjectTeacher',
    provider: 'entry',
    reminderDays: [],
    escalation: [],
    lockAtDue: false,
    ...m,
  };
}

/** Writes a timeline's configuration straight to the database (the engines re-read it at every round). */
export async function writeConfig(db: Conn, yearId: number, config: TimelineConfig, activatedAt?: string): Promise<void> {
  await db('timelines')
    .where({ school_year_id: yearId })
    .update({ config: JSON.stringify(config), profile: config.profile, ...(activatedAt ? { activated_at: activatedAt } : {}) });
}

export async function userId(db: Conn, username: string): Promise<number> {
  const u = (await db('users').where({ username }).first('id')) as { id: number } | undefined;
  if (!u) throw new Error(`no user ${username}`);
  return Number(u.id);
}

export async function emailOf(db: Conn, username: string): Promise<string> {
  return String(((await db('users').where({ username }).first('email')) as { email: string }).email);
}

/** Notifications as `username|milestone|step` strings, sorted (a key per recipient and step). */
export async function sentKeys(db: Conn, where: Record<string, unknown> = {}): Promise<string[]> {
  const rows = (await db('notifications as n').join('users as u', 'u.id', 'n.user_id').where(where).select('u.username', 'n.key')) as Array<{ username: string; key: string }>;
  return rows.map((r) => `${r.username}|${r.key.split('|')[0]}|${r.key.split('|')[1]}`).sort();
}
