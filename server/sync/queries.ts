/** Reading sync batches (the portal's "Đồng bộ CSDL" page) and downloading a batch's ZIP. */
import { z } from 'zod';
import { canSyncTranscripts } from '../../domain/permissions';
import { batchProgress, type SyncRecordStatus } from '../../domain/sync/rules';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { forbidden, notFound } from '../core/errors';
import { parse } from '../core/validate';
import { t, type Lang, type MessageKey } from '../core/i18n';
import { nowIso, type Db } from '../db/knex';
import { packetOf } from './delivery';
import { batchRow } from './operations';
import { studentsForSync, syncStatusOf, type StudentSync, type StudentSyncStatus } from './readiness';

export async function listBatches(db: Db, actor: Actor, query: Record<string, unknown>) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canSyncTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const q = db('sync_batches as b')
    .join('school_years as y', 'y.id', 'b.school_year_id')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .where('b.school_id', schoolId)
    .orderBy('b.id', 'desc')
    .limit(200)
    .select('b.*', 'y.name as school_year', 'u.full_name as created_by_name');
  const yearId = Number(query.schoolYearId);
  if (Number.isInteger(yearId) && yearId > 0) q.where('b.school_year_id', yearId);
  const rows = (await q) as Array<Record<string, any>>;
  const counts = await countsOf(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => summary(r, counts.get(Number(r.id)) ?? {}));
}

export async function getBatch(db: Db, actor: Actor, batchId: number, lang: Lang) {
  const batch = await batchRow(db, actor, batchId);
  const year = (await db('school_years').where({ id: batch.school_year_id }).first('name')) as { name: string };
  const creator = (await db('users').where({ id: batch.created_by }).first('full_name')) as { full_name: string } | undefined;
  const records = (await db('sync_records as r')
    .join('students as s', 's.id', 'r.student_id')
    .leftJoin('transcript_versions as v', 'v.id', 'r.version_id')
    .where('r.batch_id', batchId)
    .orderBy('s.full_name')
    .orderBy('r.id')
    .select('r.*', 's.full_name', 's.student_code', 'v.version')) as Array<Record<string, any>>;
  const counts = await countsOf(db, [batchId]);
  return {
    ...summary({ ...batch, school_year: year.name, created_by_name: creator?.full_name ?? null }, counts.get(batchId) ?? {}),
    records: records.map((r) => ({
      id: Number(r.id),
      studentId: Number(r.student_id),
      studentName: r.full_name,
      studentCode: r.student_code,
      idbanghi: r.idbanghi,
      sukien: r.sukien,
      phienban: r.phienban === null ? null : Number(r.phienban),
      transcriptVersion: r.version === null ? null : Number(r.version),
      status: r.status as SyncRecordStatus,
      reason: reasonText(r.reason, lang),
      updatedAt: r.updated_at,
    })),
  };
}

const id = z.coerce.number().int().positive();
const StudentsQuery = z.object({ schoolYearId: id, classId: id.optional() });

/**
 * Every student of a school year (or one class) with where they stand now — before any batch, too: not ready and
 * who still has to sign, ready, sent and waiting, accepted, rejected with the receiver's reason — and the counts.
 */
export async function listSyncStudents(db: Db, actor: Actor, query: Record<string, unknown>, lang: Lang) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !canSyncTranscripts(principalOf(actor), schoolId)) throw forbidden();
  const { schoolYearId: yearId, classId } = parse(StudentsQuery, query);
  const year = (await db('school_years').where({ id: yearId }).first('school_id')) as { school_id: number } | undefined;
  if (!year) throw notFound('school-years', yearId);
  if (Number(year.school_id) !== schoolId) throw forbidden();
  const students = (await studentsForSync(db, schoolId, yearId, { classId })).map((s) => studentLine(s, lang));
  const counts: Record<StudentSyncStatus, number> = { not_ready: 0, ready: 0, sent: 0, accepted: 0, rejected: 0, nothing: 0 };
  for (const s of students) counts[s.status]++;
  return { counts, students };
}

function studentLine(s: StudentSync, lang: Lang) {
  const d = s.decision;
  const status = syncStatusOf(s);
  const reason = d.kind === 'not_ready' ? t(lang, d.why.key, 'missing' in d.why ? { missing: d.why.missing } : {}) : status === 'rejected' ? reasonText(s.lastReason, lang) : null;
  return {
    studentId: s.studentId,
    studentCode: s.studentCode,
    fullName: s.fullName,
    classId: s.classId,
    className: s.className,
    status,
    next: d.kind === 'entry' ? { sukien: d.sukien, phienban: d.phienban } : null,
    transcriptVersion: s.version?.version ?? null,
    reason,
  };
}

/** The batch's ZIP; a file batch's first download hands it over, so its students become "sent". */
export async function downloadBatchZip(db: Db, actor: Actor, batchId: number): Promise<{ zip: Buffer; filename: string }> {
  const batch = await batchRow(db, actor, batchId);
  const packet = await packetOf(db, batchId);
  const year = (await db('school_years').where({ id: batch.school_year_id }).first('name')) as { name: string };
  const school = (await db('schools').where({ id: batch.school_id }).first('code')) as { code: string };
  await db.transaction(async (trx) => {
    if (batch.transport === 'file' && batch.status === 'built') {
      const at = nowIso();
      await trx('sync_batches').where({ id: batchId, status: 'built' }).update({ status: 'sent', sent_at: at });
      await trx('sync_records').where({ batch_id: batchId, status: 'ready' }).update({ status: 'sent', updated_at: at });
    }
    await appendAudit(trx, actor, { action: 'download', entity: 'sync-batches', entityId: batchId, after: { packetId: batch.packet_id, bytes: packet.zip.length }, schoolId: Number(batch.school_id) });
  });
  return { zip: packet.zip, filename: `dongbo-${school.code}-${year.name}-${batch.packet_id.slice(0, 8)}.zip` };
}

async function countsOf(db: Db, batchIds: number[]): Promise<Map<number, Partial<Record<SyncRecordStatus, number>>>> {
  const out = new Map<number, Partial<Record<SyncRecordStatus, number>>>();
  if (batchIds.length === 0) return out;
  const rows = (await db('sync_records').whereIn('batch_id', batchIds).groupBy('batch_id', 'status').select('batch_id', 'status').count({ n: '*' })) as Array<{ batch_id: number; status: SyncRecordStatus; n: number | string }>;
  for (const r of rows) {
    const c = out.get(Number(r.batch_id)) ?? {};
    c[r.status] = Number(r.n);
    out.set(Number(r.batch_id), c);
  }
  return out;
}

function summary(r: Record<string, any>, counts: Partial<Record<SyncRecordStatus, number>>) {
  return {
    id: Number(r.id),
    packetId: r.packet_id as string,
    schoolYearId: Number(r.school_year_id),
    schoolYear: r.school_year as string,
    transport: r.transport as 'file' | 'http',
    status: r.status as string,
    createdAt: r.created_at as string,
    createdByName: (r.created_by_name ?? null) as string | null,
    sentAt: (r.sent_at ?? null) as string | null,
    finishedAt: (r.finished_at ?? null) as string | null,
    attempts: Number(r.attempts ?? 0),
    error: (r.error ?? null) as string | null,
    counts: { not_ready: 0, ready: 0, sent: 0, accepted: 0, rejected: 0, ...counts },
    progress: batchProgress(counts),
  };
}

/** A not-ready reason is one of our messages; a rejection is the receiver's own words (Vietnamese). */
function reasonText(raw: string | null, lang: Lang): string | null {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as { key?: MessageKey; params?: Record<string, never>; code?: string; message?: string };
    if (r.key) return t(lang, r.key, r.params ?? {});
    return r.message ?? null;
  } catch {
    return raw;
  }
}
