import type { Completion } from '../timeline/shared';

/** GET /api/office/schools and /api/office/schools/:id (server/office/dashboard.ts). */
export type SyncStatus = 'not_ready' | 'ready' | 'sent' | 'accepted' | 'rejected' | 'none';

export interface UnitFigures {
  students: number;
  milestones: Array<{ key: string; title: string; due: string | null; provider: string; completion: Completion }>;
  signing: { sealed: number; students: number; percent: number | null };
  sync: { counts: Record<SyncStatus, number>; accepted: number; students: number; percent: number | null };
  transcriptsAccepted: number;
}

export interface OfficeSchool {
  id: number;
  code: string;
  name: string;
  schoolYear: { id: number; name: string } | null;
  hasTimeline: boolean;
  figures: UnitFigures | null;
  lag: number | null;
}

export interface OfficeList {
  now: string;
  schoolYear: string | null;
  years: string[];
  schools: OfficeSchool[];
}

export interface OfficeClass {
  id: number;
  name: string;
  grade: number;
  figures: UnitFigures;
}

export interface OfficeSchoolDetail {
  now: string;
  school: OfficeSchool;
  classes: OfficeClass[];
}

/** The milestone columns of a table: every key any row has, in the order they first appear (profiles may differ). */
export function milestoneColumns(rows: Array<UnitFigures | null>): Array<{ key: string; title: string; due: string | null }> {
  const seen = new Map<string, { key: string; title: string; due: string | null }>();
  for (const f of rows) for (const m of f?.milestones ?? []) if (!seen.has(m.key)) seen.set(m.key, { key: m.key, title: m.title, due: m.due });
  return [...seen.values()];
}
