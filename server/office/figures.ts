/**
 * The figures of one school year as the education office sees them, for the whole school or one class: each
 * timeline milestone's completion (the very counting of the school's own timeline page: timeline/queries.ts
 * milestoneCounter), the share of students whose transcript is sealed, and where each student stands for sync.
 * Everything is read once per school (a handful of set-based queries); a class's figures are counted from it.
 */
import type { Knex } from 'knex';
import { OFFICE_SYNC_STATUSES, studentSyncStatus, type OfficeSyncStatus } from '../../domain/office';
import { percent } from '../../domain/progress';
import type { SyncRecordStatus } from '../../domain/sync/rules';
import type { Milestone, MilestoneScope } from '../../domain/timeline';
import { studentsForSync } from '../sync/readiness';
import { completionCounter, milestoneCounter, type Completion } from '../timeline/queries';
import { loadTimeline } from '../timeline/store';
import { inScope } from '../timeline/entry-progress';

type Conn = Knex | Knex.Transaction;

export interface MilestoneFigure {
  key: string;
  title: string;
  due: string | null;
  provider: Milestone['provider'];
  completion: Completion;
}

export interface UnitFigures {
  students: number;
  milestones: MilestoneFigure[];
  /** Students whose transcript of the year is sealed (a version in force). */
  signing: { sealed: number; students: number; percent: number | null };
  /** Students by sync status; `percent` is the share accepted (the sync milestones' figure). */
  sync: { counts: Record<OfficeSyncStatus, number>; accepted: number; students: number; percent: number | null };
  /** Transcripts the receiver holds (accepted), the "number of transcripts accepted". */
  transcriptsAccepted: number;
}

export interface YearCounter {
  hasTimeline: boolean;
  classes: Array<{ id: number; name: string; grade: number }>;
  figures: (narrow?: MilestoneScope) => Promise<UnitFigures>;
}

/** Reads what school `schoolId`'s year `schoolYearId` needs, and returns a counter for the school or any class of it. */
export async function yearCounter(conn: Conn, schoolId: number, schoolYearId: number): Promise<YearCounter> {
  const [tl, students, last, sealed, classes] = await Promise.all([
    loadTimeline(conn, schoolYearId),
    studentsForSync(conn, schoolId, schoolYearId),
    lastSyncLines(conn, schoolYearId),
    sealedStudents(conn, schoolYearId),
    conn('classes').where({ school_year_id: schoolYearId }).orderBy('grade').orderBy('name').select('id', 'name', 'grade') as Promise<Array<{ id: number; name: string; grade: number }>>,
  ]);
  const milestones = tl?.config.milestones ?? [];
  const countEntry = milestones.some((m) => m.provider === 'entry') ? await completionCounter(conn, schoolYearId, schoolId, { kind: 'all' }) : null;
  const completionOf = milestoneCounter(conn, schoolYearId, schoolId, countEntry ?? (async () => ({ available: true })), students);
  const statuses = new Map(students.map((s) => [s.studentId, studentSyncStatus(s.decision, last.get(s.studentId) ?? null)]));
  return {
    hasTimeline: Boolean(tl),
    classes: classes.map((c) => ({ id: Number(c.id), name: c.name, grade: Number(c.grade) })),
    figures: async (narrow = {}) => {
      const mine = students.filter((s) => inScope(narrow, s));
      const counts = Object.fromEntries(OFFICE_SYNC_STATUSES.map((k) => [k, 0])) as Record<OfficeSyncStatus, number>;
      for (const s of mine) counts[statuses.get(s.studentId)!]++;
      const nSealed = mine.filter((s) => sealed.has(s.studentId)).length;
      return {
        students: mine.length,
        milestones: await Promise.all(milestones.map(async (m) => ({ key: m.key, title: m.title, due: m.due, provider: m.provider, completion: await completionOf(m, narrow) }))),
        signing: { sealed: nSealed, students: mine.length, percent: percent(nSealed, mine.length) },
        sync: { counts, accepted: counts.accepted, students: mine.length, percent: percent(counts.accepted, mine.length) },
        transcriptsAccepted: counts.accepted,
      };
    },
  };
}

/** Per student, the last sync line of the year's batches (its status and the version it carried), one query. */
async function lastSyncLines(conn: Conn, schoolYearId: number): Promise<Map<number, { status: SyncRecordStatus; versionId: number | null }>> {
  const latest = conn('sync_records as r2')
    .join('sync_batches as b2', 'b2.id', 'r2.batch_id')
    .where('b2.school_year_id', schoolYearId)
    .groupBy('r2.student_id')
    .max('r2.id');
  const rows = (await conn('sync_records').whereIn('id', latest).select('student_id', 'status', 'version_id')) as Array<{ student_id: number; status: SyncRecordStatus; version_id: number | null }>;
  return new Map(rows.map((r) => [Number(r.student_id), { status: r.status, versionId: r.version_id === null ? null : Number(r.version_id) }]));
}

/** The students whose transcript has a sealed version of the year (counted in SQL, not per version in JS). */
async function sealedStudents(conn: Conn, schoolYearId: number): Promise<Set<number>> {
  const rows = (await conn('transcript_versions as v')
    .join('transcripts as t', 't.id', 'v.transcript_id')
    .where({ 'v.school_year_id': schoolYearId, 'v.status': 'sealed' })
    .distinct('t.student_id')) as Array<{ student_id: number }>;
  return new Set(rows.map((r) => Number(r.student_id)));
}

