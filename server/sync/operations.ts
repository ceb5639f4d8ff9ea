/**
 * Đồng bộ CSDL (issue 13, docs/sync.md): the admin or a vice principal builds a batch of a school year — every
 * sealed transcript not yet accepted goes in (NEW, UPDATE, CANCEL), every student not ready is recorded with why —
 * signs its manifest with the school seal, and sends it (HTTP) or downloads it (ZIP). Each student's line then
 * follows what the receiver said: sent, accepted, rejected with the reason.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { canSyncTranscripts } from '../../domain/permissions';
import { documentName, type Manifest, type ManifestEntry } from '../../domain/sync/packet';
import { SYNC_TRANSPORTS } from '../../domain/sync/rules';
import { createSecretBox, type SecretBox } from '../auth/secret-box';
import type { Config } from '../config';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError, forbidden, notFound } from '../core/errors';
import { insertReturningId } from '../core/records';
import { parse } from '../core/validate';
import { dialect, nowIso, type Db } from '../db/knex';
import type { Knex } from 'knex';
import { assertSecondFactor, unlockKey } from '../transcripts/batches';
import { signWith } from '../transcripts/keystore';
import type { OpenKey } from '../transcripts/keystore';
import { manifestToXml, signManifest } from './manifest';
import { studentsForSync, type StudentSync } from './readiness';
import { deliverBatch, fixPacketBytes, packetOf, startDelivery } from './delivery';

export { whenSyncSettled } from './delivery';

export interface SyncDeps {
  box: SecretBox;
  endpoint?: string;
  apiKey?: string;
  retryBaseMs?: number;
}

/** The sync settings of a configuration, for any entry point (the API, the embedded engine, the Temporal worker). */
export function syncDepsOf(config: Pick<Config, 'sessionSecret' | 'syncEndpoint' | 'syncApiKey' | 'syncRetryBaseMs'>, box: SecretBox = createSecretBox(config.sessionSecret)): SyncDeps {
  return { box, endpoint: config.syncEndpoint, apiKey: config.syncApiKey, retryBaseMs: config.syncRetryBaseMs };
}

const id = z.coerce.number().int().positive();
const BuildBody = z.strictObject({
  schoolYearId: id,
  classId: id.optional(),
  transport: z.enum(SYNC_TRANSPORTS),
  pin: z.string().min(4).max(64),
  totp: z.string().regex(/^\d{6}$/).optional(),
});

export async function buildBatch(db: Db, actor: Actor, input: unknown, deps: SyncDeps, opts: { wait?: boolean } = {}) {
  if (actor.schoolId === null || !canSyncTranscripts(principalOf(actor), actor.schoolId)) throw forbidden();
  const body = parse(BuildBody, input);
  const year = (await db('school_years').where({ id: body.schoolYearId }).first('id', 'school_id', 'name')) as { id: number; school_id: number; name: string } | undefined;
  if (!year) throw notFound('school-years', body.schoolYearId);
  const schoolId = Number(year.school_id);
  if (!canSyncTranscripts(principalOf(actor), schoolId)) throw forbidden();
  if (actor.schoolId !== schoolId) throw new AppError('forbidden', 'syncNotSameSchool');
  if (body.transport === 'http' && !deps.endpoint) throw new AppError('conflict', 'syncNoEndpoint');
  const students = await studentsForSync(db, schoolId, Number(year.id), { classId: body.classId });
  const entries = students.filter((s) => s.decision.kind === 'entry');
  const notReady = students.filter((s) => s.decision.kind === 'not_ready');
  if (entries.length === 0) throw new AppError('conflict', 'syncNothingToSend', { notReady: notReady.length, upToDate: students.length - notReady.length });
  await assertSecondFactor(db, actor, deps.box, body.totp);
  const { cert, key } = await unlockKey(db, actor, true, deps.box, body.pin);
  return writeBatch(db, actor, { schoolId, year: { id: Number(year.id), name: year.name }, students, transport: body.transport, cert, key, createdBy: actor.userId! }, deps, opts);
}

export interface BatchSpec {
  schoolId: number;
  year: { id: number; name: string };
  /** The students read for this batch: its entries and its not-ready lines. */
  students: StudentSync[];
  transport: 'file' | 'http';
  cert: { sha256: string };
  key: OpenKey;
  /** The person the batch is by: who built it, or who consented to automatic batches. */
  createdBy: number;
  /** An automatic batch: the timeline step that built it (unique: a step never builds two). */
  autoKey?: string;
}

/**
 * Seals the manifest and writes the batch with its lines in one transaction, then sends it (HTTP) — shared by the
 * batch a person builds and the one a sync milestone builds (auto.ts).
 */
export async function writeBatch(db: Db, actor: Actor, b: BatchSpec, deps: SyncDeps, opts: { wait?: boolean } = {}) {
  const entries = b.students.filter((s) => s.decision.kind === 'entry');
  const notReady = b.students.filter((s) => s.decision.kind === 'not_ready');
  const school = (await db('schools').where({ id: b.schoolId }).first('code', 'name')) as { code: string; name: string };
  const createdAt = nowIso();
  const manifest: Manifest = { packetId: crypto.randomUUID(), schoolCode: school.code, schoolName: school.name, schoolYear: b.year.name, createdAt, entries: entries.map(entryOf) };
  const signed = signManifest(manifestToXml(manifest), b.key, createdAt, (tbs) => signWith(b.key, tbs));
  const batchId = await db.transaction(async (trx) => {
    await assertNoNewerEntries(trx, b.year.id, entries);
    const newId = await insertReturningId(trx, 'sync_batches', {
      school_id: b.schoolId,
      school_year_id: b.year.id,
      packet_id: manifest.packetId,
      transport: b.transport,
      status: 'built',
      manifest: signed,
      manifest_sha256: crypto.createHash('sha256').update(signed, 'utf8').digest('hex'),
      entries: entries.length,
      not_ready: notReady.length,
      created_by: b.createdBy,
      created_at: createdAt,
      auto_key: b.autoKey ?? null,
    });
    await insertRecords(trx, newId, b.students, createdAt);
    await appendAudit(trx, actor, {
      action: 'create',
      entity: 'sync-batches',
      entityId: newId,
      after: { schoolYear: b.year.name, packetId: manifest.packetId, transport: b.transport, entries: entries.length, notReady: notReady.length, certificate: b.cert.sha256, ...(b.autoKey ? { auto: b.autoKey } : {}) },
      schoolId: b.schoolId,
    });
    return newId;
  });
  await fixPacketBytes(db, batchId);
  if (b.transport === 'http') await startDelivery(db, batchId, deps, opts);
  return { id: batchId, packetId: manifest.packetId, entries: entries.length, notReady: notReady.length };
}

/** The advisory lock's first key ('SY'): with the school year's id, one batch of a year is written at a time on PostgreSQL. */
const SYNC_LOCK_SPACE = 0x5359;

/**
 * Two batches of one year built at the same moment would give a record the same phienban twice (the receiver would
 * refuse the second as stale). Inside the write, after the year's lock (SQLite: the IMMEDIATE transaction itself),
 * no entry may have been put in a batch with its phienban or a higher one since the students were read.
 */
export async function assertNoNewerEntries(trx: Knex.Transaction, schoolYearId: number, entries: StudentSync[]): Promise<void> {
  if (dialect(trx) === 'pg') await trx.raw('select pg_advisory_xact_lock(?, ?)', [SYNC_LOCK_SPACE, schoolYearId]);
  const wanted = new Map(entries.flatMap((s) => (s.decision.kind === 'entry' && s.transcriptId !== null ? [[s.transcriptId, s.decision.phienban] as const] : [])));
  const ids = [...wanted.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await trx('sync_records').whereIn('transcript_id', ids.slice(i, i + 500)).whereNotNull('phienban').groupBy('transcript_id').select('transcript_id').max({ top: 'phienban' })) as Array<{ transcript_id: number; top: number | string }>;
    if (rows.some((r) => Number(r.top) >= wanted.get(Number(r.transcript_id))!)) throw new AppError('conflict', 'syncConcurrentBatch');
  }
}

function entryOf(s: StudentSync): ManifestEntry {
  if (s.decision.kind !== 'entry' || !s.version || !s.transcriptUid) throw new Error('not an entry');
  const cancel = s.decision.sukien === 'CANCEL';
  return {
    idbanghi: s.transcriptUid,
    sukien: s.decision.sukien,
    phienban: s.decision.phienban,
    phienbanhocba: s.version.version,
    mahocsinh: s.studentCode,
    tentep: cancel ? null : documentName(s.transcriptUid, s.version.version),
    sha256: cancel ? null : s.version.sha256,
    lydo: cancel ? (s.version.reason ?? 'Thu hồi học bạ') : null,
  };
}

async function insertRecords(trx: Parameters<Parameters<Db['transaction']>[0]>[0], batchId: number, students: StudentSync[], at: string): Promise<void> {
  const rows = students.flatMap((s): Array<Record<string, unknown>> => {
    const d = s.decision;
    if (d.kind === 'skip') return [];
    const base = { batch_id: batchId, student_id: s.studentId, transcript_id: s.transcriptId, updated_at: at };
    if (d.kind === 'not_ready') return [{ ...base, status: 'not_ready', reason: JSON.stringify({ key: d.why.key, params: 'missing' in d.why ? { missing: d.why.missing } : {} }) }];
    return [{ ...base, version_id: d.versionId, idbanghi: s.transcriptUid, sukien: d.sukien, phienban: d.phienban, sha256: d.sukien === 'CANCEL' ? null : s.version!.sha256, status: 'ready' }];
  });
  for (let i = 0; i < rows.length; i += 200) await trx('sync_records').insert(rows.slice(i, i + 200));
}

/** Sends (again) an HTTP batch: the same packet, the same id — the receiver answers a repeat without storing twice. */
export async function sendBatch(db: Db, actor: Actor, batchId: number, deps: SyncDeps, opts: { wait?: boolean } = {}) {
  const batch = await batchRow(db, actor, batchId);
  if (batch.transport !== 'http') throw new AppError('conflict', 'syncNotHttp');
  if (!deps.endpoint) throw new AppError('conflict', 'syncNoEndpoint');
  if (batch.status === 'sending') throw new AppError('conflict', 'syncSending');
  await packetOf(db, batchId); // refuses (409) before anything if the batch's documents changed since it was built
  await db.transaction(async (trx) => {
    await appendAudit(trx, actor, { action: 'sync_send', entity: 'sync-batches', entityId: batchId, before: { status: batch.status }, after: { packetId: batch.packet_id }, schoolId: Number(batch.school_id) });
  });
  await startDelivery(db, batchId, deps, opts);
  return { id: batchId };
}

export async function batchRow(db: Db, actor: Actor, batchId: number): Promise<Record<string, any>> {
  const batch = (await db('sync_batches').where({ id: batchId }).first()) as Record<string, any> | undefined;
  if (!batch) throw notFound('sync-batches', batchId);
  if (!canSyncTranscripts(principalOf(actor), Number(batch.school_id))) throw forbidden();
  return batch;
}

export { deliverBatch };
