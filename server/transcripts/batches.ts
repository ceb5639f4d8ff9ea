import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { requiresTotp } from '../../domain/permissions';
import { chainSlots } from '../../domain/transcript/chain';
import { principalOf, type Actor } from '../core/actor';
import { appendAudit, recordAudit } from '../core/audit';
import { AppError, forbidden, invalidField, notFound } from '../core/errors';
import type { MessageKey } from '../core/i18n';
import { parse } from '../core/validate';
import { findUser, verifyTotp } from '../auth/service';
import type { SecretBox } from '../auth/secret-box';
import { nowIso, type Db } from '../db/knex';
import { insertReturningId } from '../core/records';
import { resolveTask, signingTaskSchema, type ResolvedTask, type TaskItem } from './chain';
import { assertCertificateUsable, openStoredKey, signWith, type OpenKey } from './keystore';
import { assertSignable, auditSignedInPlace, completeSlot, isStale, prepareSlot } from './sign';
import { inPlaceOfSlot } from './paper-signers';
import { runWork, workParallelism } from './pool';
import type { SealOutcome, SignOutcome } from './work';
import { contentsOf, currentCertificate, loadVersion, loadVersions, OPEN_STATUSES, toCertificate, trustAnchors, type CertificateRow, type VersionRow } from './store';

/** What the signing operations need from the running server besides the database. */
export interface SigningDeps {
  box: SecretBox;
  /** The portal's public address: the QR code and the PDF point to `<publicUrl>/#/tra-cuu/<code>`. */
  publicUrl: string;
}

export const verifyUrlOf = (publicUrl: string, code: string) => `${publicUrl.replace(/\/$/, '')}/#/tra-cuu/${code}`;

const batchSchema = z
  .object({
    task: signingTaskSchema,
    pin: z.string().min(4).max(64),
    totp: z.string().regex(/^\d{6}$/).optional(),
  })
  .strict();

/** A prepared item lives this long: the key holder signs at once (a USB token, a remote signing service). */
const PREPARED_TTL_MS = 10 * 60_000;
const MAX_ATTEMPTS = 4;
/** How often a running batch writes its progress (the portal's bar). */
const PROGRESS_EVERY_MS = 400;

const running = new Set<Promise<unknown>>();
/** Resolves when every background batch started so far has finished (tests, shutdown). */
export async function whenBatchesSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

/**
 * The software keystore's batch (POST /signing/batches): everything is checked before anything is signed — the
 * chain (the task has ready items), a principal's second factor, the certificate (dates, key usage, chain to the
 * school's anchors, owner), the PIN (it opens the keystore) — then the batch runs in the background, one small
 * transaction per item, its progress in `signing_batches` for the portal's bar.
 */
export async function signBatch(db: Db, actor: Actor, input: unknown, deps: SigningDeps, opts: { wait?: boolean; /** Code only (the demo seed): never reachable from a route. */ skipSecondFactor?: boolean } = {}): Promise<{ batchId: number; total: number; waiting: ResolvedTask['waiting'] }> {
  const { task, pin, totp } = parse(batchSchema, input);
  const resolved = await resolveTask(db, actor, task);
  if (resolved.items.length === 0) throw nothingToSign(resolved);
  if (!opts.skipSecondFactor) await assertSecondFactor(db, actor, deps.box, totp);
  const { cert, key } = await unlockKey(db, actor, task.step === 'seal', deps.box, pin);
  const batchId = await db.transaction(async (trx) => {
    const id = await insertReturningId(trx, 'signing_batches', {
      school_id: actor.schoolId,
      user_id: actor.userId,
      task: JSON.stringify(task),
      total: resolved.items.length,
      done: 0,
      failed: 0,
      status: 'running',
      errors: '[]',
      created_at: nowIso(),
    });
    await appendAudit(trx, actor, { action: 'sign_batch', entity: 'signing_batches', entityId: id, after: { task, total: resolved.items.length, certificate: cert.sha256 } });
    return id;
  });
  const run = runBatch(db, actor, batchId, resolved, cert, key, deps);
  running.add(run);
  void run.finally(() => running.delete(run));
  if (opts.wait) await run;
  return { batchId, total: resolved.items.length, waiting: resolved.waiting };
}

function nothingToSign(resolved: ResolvedTask): AppError {
  if (resolved.waiting.length === 0) return new AppError('conflict', 'signingNothingToSign');
  const missing = [...new Set(resolved.waiting.flatMap((w) => w.missing))];
  return new AppError('conflict', 'signingWaiting', { missing: missing.slice(0, 12) }, {}, { waiting: resolved.waiting });
}

/** Admin and principal accounts sign with a fresh TOTP code too (replays refused, as at sign-in). */
export async function assertSecondFactor(db: Db, actor: Actor, box: SecretBox, totp: string | undefined): Promise<void> {
  const grants = principalOf(actor).grants.filter((g) => g.schoolId === actor.schoolId);
  if (!requiresTotp(grants)) return;
  if (!totp) throw invalidField('totp', { key: 'signingTotpRequired' });
  const user = await findUser(db, { id: actor.userId! });
  if (!user) throw forbidden();
  try {
    await verifyTotp(db, box, user, totp, actor.ip);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'unauthenticated') throw invalidField('totp', { key: err.key });
    throw err;
  }
}

/** The certificate the actor signs with now, checked before use; the seal is the school's. */
async function signingCertificate(db: Db, actor: Actor, seal: boolean): Promise<CertificateRow> {
  const schoolId = actor.schoolId!;
  const anchors = await trustAnchors(db, schoolId);
  if (seal) {
    const cert = await currentCertificate(db, schoolId, 'seal');
    if (!cert) throw new AppError('conflict', 'signingNoSeal');
    const school = (await db('schools').where({ id: schoolId }).first('code')) as { code: string };
    assertCertificateUsable(cert, anchors, { kind: 'school', schoolCode: school.code });
    return cert;
  }
  const staffId = principalOf(actor).staffId ?? null;
  if (staffId === null) throw new AppError('conflict', 'signingNoCertificate');
  const cert = await currentCertificate(db, schoolId, { staffId });
  if (!cert) throw new AppError('conflict', 'signingNoCertificate');
  const staff = (await db('staff').where({ id: staffId }).first('national_id', 'full_name')) as { national_id: string | null; full_name: string } | undefined;
  assertCertificateUsable(cert, anchors, { kind: 'person', fullName: staff?.full_name ?? '', nationalId: staff?.national_id ?? null });
  return cert;
}

export async function unlockKey(db: Db, actor: Actor, seal: boolean, box: SecretBox, pin: string): Promise<{ cert: CertificateRow; key: OpenKey }> {
  const cert = await signingCertificate(db, actor, seal);
  const key = openStoredKey(box, cert, pin);
  if (new crypto.X509Certificate(key.certificatePem).fingerprint256.replace(/:/g, '').toLowerCase() !== cert.sha256) {
    throw new AppError('conflict', 'signingCertificateRefused', { why: { key: 'certNotOwner' } });
  }
  return { cert, key };
}

/**
 * Versions per group: one read, one worker job, one transaction, one audit entry. At most 25; a small batch (a
 * homeroom teacher's class) is cut finer, so that every worker of the pool has a share of it.
 */
const GROUP = 25;
const MIN_GROUP = 5;
const groupSize = (versions: number) => Math.min(GROUP, Math.max(MIN_GROUP, Math.ceil(versions / (2 * workParallelism()))));

type Outcome = { item: TaskItem; error: unknown };

async function runBatch(db: Db, actor: Actor, batchId: number, resolved: ResolvedTask, cert: CertificateRow, key: OpenKey, deps: SigningDeps): Promise<void> {
  let done = 0;
  let failed = 0;
  let progressAt = Date.now();
  const errors: Array<{ versionId: number; studentId: number; key: string; params?: unknown }> = [];
  const record = (outcomes: Outcome[]) => {
    for (const { item, error } of outcomes) {
      if (error === null) {
        done++;
        continue;
      }
      failed++;
      const e = error instanceof AppError ? error : null;
      errors.push({ versionId: item.version.id, studentId: item.version.studentId, key: e?.key ?? 'internal', ...(e ? { params: e.params } : {}) });
      if (!e) console.error('signing batch item failed', batchId, error);
    }
  };
  try {
    const queue = groupsOf(resolved.items);
    // Groups side by side, as many as the pool has workers (+1 so a worker never waits for the database): the
    // cryptography runs in the workers, the reads and the short writes here.
    const lane = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        // Let requests in between groups: on SQLite every query resolves without real I/O.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          record(await signGroup(db, actor, g, cert, key, resolved, deps));
        } catch (err) {
          // A group that could not be read or written (a database error): its items fail, the batch goes on.
          record(g.flat().map((item) => ({ item, error: err })));
        }
        // The progress bar polls about once a second: a write per group would cost a commit (an fsync) each.
        if (Date.now() - progressAt >= PROGRESS_EVERY_MS) {
          progressAt = Date.now();
          await db('signing_batches').where({ id: batchId }).update({ done, failed, errors: JSON.stringify(errors.slice(0, 200)) });
        }
      }
    };
    const lanes = workParallelism() > 1 ? workParallelism() + 1 : 1;
    await Promise.all(Array.from({ length: lanes }, lane));
    await db('signing_batches')
      .where({ id: batchId })
      .update({ done, failed, errors: JSON.stringify(errors.slice(0, 200)), status: failed > 0 && done === 0 ? 'failed' : 'done', finished_at: nowIso() });
  } catch (err) {
    console.error('signing batch failed', batchId, err);
    await db('signing_batches').where({ id: batchId }).update({ status: 'failed', finished_at: nowIso() });
  }
}

/** The items by version (a teacher of two subjects of a class signs both in one go), in groups of versions. */
function groupsOf(items: TaskItem[]): TaskItem[][][] {
  const byVersion = new Map<number, TaskItem[]>();
  for (const it of items) byVersion.set(it.version.id, [...(byVersion.get(it.version.id) ?? []), it]);
  const all = [...byVersion.values()];
  const size = groupSize(all.length);
  const out: TaskItem[][][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/**
 * One group: the versions read with their XML in one query (those that moved since the task was read are checked
 * against the chain again), prepared, signed, checked and assembled in a worker, then written in one transaction —
 * each version only if its row version is still the one it was prepared from (a concurrent signer won: that
 * version is prepared again on its own, signItem) — with the signatures in bulk and one audit entry listing them.
 */
async function signGroup(db: Db, actor: Actor, group: TaskItem[][], cert: CertificateRow, key: OpenKey, resolved: ResolvedTask, deps: SigningDeps): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const seal = group[0][0].slot.step === 'seal';
  const ids = group.map((items) => items[0].version.id);
  const versions = await loadVersions(db, ids);
  const ready: Array<{ v: VersionRow & { xmlBytes?: Uint8Array }; items: TaskItem[] }> = [];
  for (const items of group) {
    const v = versions.get(items[0].version.id);
    try {
      if (!v) throw notFound('transcripts', items[0].version.id);
      if (v.rowVersion !== items[0].version.rowVersion) for (const it of items) await assertSignable(db, v, it.slot, resolved.signers);
      ready.push({ v, items });
    } catch (err) {
      for (const it of items) outcomes.push({ item: it, error: err });
    }
  }
  if (ready.length === 0) return outcomes;
  const at = nowIso();
  const inHand = { privateKey: key.privateKey, certificatePem: key.certificatePem, chainPems: key.chainPems };
  const results: Array<SignOutcome | SealOutcome> = seal
    ? await (async () => {
        const anchors = await trustAnchors(db, ready[0].v.schoolId);
        const contents = await contentsOf(
          db,
          ready.map((r) => r.v.id),
        );
        const docs = ready.map((r) => ({ xml: r.v.xmlBytes ?? r.v.xml, content: contents.get(r.v.id)!, verifyUrl: verifyUrlOf(deps.publicUrl, r.v.verificationCode) }));
        return runWork('sealDocuments', inHand, anchors, at, ready[0].items[0].slot.signatureId, docs);
      })()
    : await runWork(
        'signDocuments',
        inHand,
        at,
        ready.map((r) => ({ xml: r.v.xmlBytes ?? r.v.xml, slots: r.items.map((it) => ({ signatureId: it.slot.signatureId, references: it.slot.references })) })),
      );
  const stale: TaskItem[] = [];
  const signed: Outcome[] = [];
  await db.transaction(async (trx) => {
    const signatures: Record<string, unknown>[] = [];
    const audited: Array<Record<string, unknown>> = [];
    // Steps before the seal write the whole group's documents in one statement (the seal also writes its PDF).
    const written = seal ? null : await writeSigned(trx, ready.map((r, i) => ({ v: r.v, xml: results[i].ok ? (results[i] as { xml: string | Uint8Array }).xml : null })), at);
    for (let i = 0; i < ready.length; i++) {
      const { v, items } = ready[i];
      const r = results[i];
      if (!r.ok) {
        const error = workError(r);
        for (const it of items) outcomes.push({ item: it, error });
        continue;
      }
      const sealed = seal ? (r as Extract<SealOutcome, { ok: true }>) : null;
      const n = sealed ? await writeSealed(trx, v, sealed, at) : Number(written!.has(v.id));
      if (n !== 1) {
        stale.push(...items);
        continue;
      }
      for (const it of items) {
        signatures.push({
          version_id: v.id,
          step: it.slot.step,
          part: it.slot.part,
          subject_id: it.slot.subjectCode ? (v.subjects.find((s) => s.code === it.slot.subjectCode)?.subjectId ?? null) : null,
          signature_id: it.slot.signatureId,
          signer_user_id: it.slot.step === 'seal' ? null : actor.userId,
          certificate_id: cert.id,
          signed_at: at,
          in_place_of_staff_id: it.inPlaceOf?.staffId ?? null,
        });
        signed.push({ item: it, error: null });
      }
      if (sealed) {
        // The previous sealed version stays in force until this one is sealed (a correction), then is superseded.
        await trx('transcript_versions').where({ transcript_id: v.transcriptId, status: 'sealed' }).whereNot({ id: v.id }).update({ status: 'superseded', updated_at: at });
      }
      const inPlace = items.filter((it) => it.inPlaceOf).map((it) => ({ signatureId: it.slot.signatureId, inPlaceOf: it.inPlaceOf! }));
      if (inPlace.length > 0) await auditSignedInPlace(trx, actor, v, inPlace);
      audited.push({ versionId: v.id, signatureIds: items.map((it) => it.slot.signatureId), ...(sealed ? { sha256: sealed.sha256 } : {}) });
    }
    for (let i = 0; i < signatures.length; i += 100) await trx('transcript_signatures').insert(signatures.slice(i, i + 100));
    if (audited.length > 0) {
      await appendAudit(trx, actor, {
        action: seal ? 'seal' : 'sign',
        entity: 'transcript_versions',
        entityId: audited.length === 1 ? Number(audited[0].versionId) : null,
        after: { step: ready[0].items[0].slot.step, certificate: cert.sha256, versions: audited },
        schoolId: ready[0].v.schoolId,
      });
    }
  });
  outcomes.push(...signed);
  // Lost races: each prepared again from the version as it is now.
  for (const it of stale) {
    try {
      await signItem(db, actor, it, cert, key, resolved, deps);
      outcomes.push({ item: it, error: null });
    } catch (err) {
      outcomes.push({ item: it, error: err });
    }
  }
  return outcomes;
}

/**
 * The signed documents of a group in one UPDATE (a statement per row cost more on the main thread than the write
 * itself): each row only if it is still at the row version it was prepared from and still open. Returns the ids
 * written; the others lost a race with another signer. `WITH … UPDATE … FROM … RETURNING` runs on SQLite (3.35+)
 * and PostgreSQL alike.
 */
async function writeSigned(trx: Knex.Transaction, docs: Array<{ v: VersionRow; xml: string | Uint8Array | null }>, at: string): Promise<Set<number>> {
  const rows = docs.filter((d): d is { v: VersionRow; xml: string | Uint8Array } => d.xml !== null);
  const ids = new Set<number>();
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100);
    // CAST(… AS TEXT): on SQLite the UTF-8 bytes become the text value as they are (no transcoding).
    const values = chunk.map(() => '(CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS TEXT))').join(', ');
    const bindings = chunk.flatMap((d): Knex.RawBinding[] => [d.v.id, d.v.rowVersion, bindable(d.xml)]);
    const result = (await trx.raw(
      `WITH n(id, rv, xml) AS (VALUES ${values})
       UPDATE transcript_versions SET xml = n.xml, status = 'signing', row_version = n.rv + 1, updated_at = ?
       FROM n WHERE transcript_versions.id = n.id AND transcript_versions.row_version = n.rv
         AND transcript_versions.status IN (${OPEN_STATUSES.map(() => '?').join(', ')})
       RETURNING transcript_versions.id`,
      [...bindings, at, ...OPEN_STATUSES],
    )) as Array<{ id: number }> | { rows: Array<{ id: number }> };
    for (const r of Array.isArray(result) ? result : result.rows) ids.add(Number(r.id));
  }
  return ids;
}

/** The sealed document and its PDF, if the row is still at the version it was prepared from and still open. */
function writeSealed(trx: Knex.Transaction, v: VersionRow, r: Extract<SealOutcome, { ok: true }>, at: string): Promise<number> {
  return trx('transcript_versions')
    .where({ id: v.id, row_version: v.rowVersion })
    .whereIn('status', OPEN_STATUSES)
    .update({ xml: trx.raw('CAST(? AS TEXT)', [bindable(r.xml)]), status: 'sealed', row_version: v.rowVersion + 1, updated_at: at, pdf: Buffer.from(r.pdf), sha256: r.sha256, sealed_at: at });
}

/** A document as a query parameter: text, or its UTF-8 bytes (SQLite), which CAST(… AS TEXT) takes as they are. */
const bindable = (xml: string | Uint8Array): string | Buffer => (typeof xml === 'string' ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength));

function workError(r: { error: string; detail?: string }): unknown {
  if (r.error === 'signingBadSignature') return new AppError('invalid', 'signingBadSignature');
  if (r.error === 'transcriptInvalidXml') return new AppError('conflict', 'transcriptInvalidXml', { detail: r.detail ?? '' });
  return new Error(r.error);
}

/** One item with the software key: prepare, sign, complete; a lost race with another signer prepares again. */
async function signItem(db: Db, actor: Actor, item: TaskItem, cert: CertificateRow, key: OpenKey, resolved: ResolvedTask, deps: SigningDeps): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // The chain was checked when the task was read; if the version moved since (its row version did), check again.
    const v = await loadVersion(db, item.version.id);
    if (attempt > 1 || v.rowVersion !== item.version.rowVersion) await assertSignable(db, v, item.slot, resolved.signers);
    const prepared = await prepareSlot(v, item.slot, key.certificatePem, key.chainPems, nowIso());
    const signatureValue = signWith(key, prepared.toBeSigned);
    try {
      await completeSlot(db, {
        actor,
        version: v,
        target: item.slot,
        certificate: cert,
        prepared,
        signatureValue,
        inPlaceOf: item.inPlaceOf ?? null,
        ...(item.slot.step === 'seal' ? { sealKey: key, verifyUrl: verifyUrlOf(deps.publicUrl, v.verificationCode) } : {}),
      });
      return;
    } catch (err) {
      if (!isStale(err) || attempt >= MAX_ATTEMPTS) throw isStale(err) ? new AppError('conflict', 'signingConcurrent') : err;
    }
  }
}

export async function batchProgress(db: Db, actor: Actor, id: string | number) {
  const row = (await db('signing_batches').where({ id: Number(id) || 0 }).first()) as Record<string, unknown> | undefined;
  if (!row || Number(row.user_id) !== actor.userId) throw notFound('signing_batches', String(id));
  return {
    id: Number(row.id),
    task: JSON.parse(String(row.task)),
    total: Number(row.total),
    done: Number(row.done),
    failed: Number(row.failed),
    status: String(row.status),
    errors: JSON.parse(String(row.errors)),
    createdAt: row.created_at,
    finishedAt: row.finished_at ?? null,
  };
}

/* ------------------------------------------------------------------------------------------------------------
 * Two-phase for external key holders (a USB token plugin, a remote signing service): prepare hands out what to
 * sign, complete takes the values back. Steps 1–3 only: the seal signs the PDF too and stays with the keystore.
 * ------------------------------------------------------------------------------------------------------------ */

export async function prepareSigning(db: Db, actor: Actor, input: unknown) {
  const { task } = parse(z.object({ task: signingTaskSchema }).strict(), input);
  if (task.step === 'seal') throw new AppError('unsupported', 'signingNoSeal');
  const resolved = await resolveTask(db, actor, task);
  if (resolved.items.length === 0) throw nothingToSign(resolved);
  const cert = await signingCertificate(db, actor, false);
  await db('signing_prepared').where('expires_at', '<', nowIso()).delete();
  const expiresAt = new Date(Date.now() + PREPARED_TTL_MS).toISOString();
  const items = [];
  for (const listed of resolved.items) {
    const item = { ...listed, version: await loadVersion(db, listed.version.id) };
    if (item.version.rowVersion !== listed.version.rowVersion) await assertSignable(db, item.version, item.slot, resolved.signers);
    const prepared = await prepareSlot(item.version, item.slot, cert.pem, [], nowIso());
    const itemId = crypto.randomUUID();
    const tbs = prepared.toBeSigned;
    await db('signing_prepared').insert({
      id: itemId,
      user_id: actor.userId,
      version_id: item.version.id,
      row_version: item.version.rowVersion,
      signature_id: item.slot.signatureId,
      certificate_id: cert.id,
      prepared_xml: prepared.preparedXml,
      to_be_signed: JSON.stringify({ algorithm: tbs.algorithm, bytes: tbs.bytes.toString('base64'), digestSha256: tbs.digestSha256.toString('base64'), ecdsaEncoding: tbs.ecdsaEncoding ?? null }),
      expires_at: expiresAt,
    });
    items.push({ itemId, versionId: item.version.id, studentId: item.version.studentId, signatureId: item.slot.signatureId, algorithm: tbs.algorithm, digestSha256: tbs.digestSha256.toString('base64'), bytes: tbs.bytes.toString('base64') });
  }
  await recordAudit(db, actor, { action: 'sign_prepare', entity: 'transcript_versions', after: { task, items: items.length, certificate: cert.sha256 } });
  return { items, waiting: resolved.waiting, expiresAt };
}

const completeSchema = z
  .object({
    items: z
      .array(z.object({ itemId: z.string().min(1).max(40), signatureValue: z.string().min(1).max(4096) }).strict())
      .min(1)
      .max(2000),
  })
  .strict();

export async function completeSigning(db: Db, actor: Actor, input: unknown, deps: SigningDeps) {
  const { items } = parse(completeSchema, input);
  const results: Array<{ itemId: string; ok: boolean; key?: MessageKey; params?: unknown }> = [];
  for (const item of items) {
    try {
      await completeOne(db, actor, item.itemId, Buffer.from(item.signatureValue, 'base64'), deps);
      results.push({ itemId: item.itemId, ok: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ itemId: item.itemId, ok: false, key: err.key, params: err.params });
    }
  }
  const failed = results.filter((r) => !r.ok);
  // One item that failed is an error of the request itself (the portal shows its message).
  if (items.length === 1 && failed.length === 1) {
    const f = failed[0];
    throw new AppError(f.key === 'signingBadSignature' ? 'invalid' : f.key === 'signingPreparedExpired' ? 'not_found' : 'conflict', f.key!, (f.params ?? {}) as never);
  }
  return { completed: results.length - failed.length, failed: failed.length, results };
}

async function completeOne(db: Db, actor: Actor, itemId: string, signatureValue: Buffer, _deps: SigningDeps): Promise<void> {
  const row = (await db('signing_prepared').where({ id: itemId, user_id: actor.userId }).first()) as Record<string, unknown> | undefined;
  if (!row || String(row.expires_at) < nowIso()) throw new AppError('not_found', 'signingPreparedExpired');
  const v = await loadVersion(db, Number(row.version_id));
  if (v.rowVersion !== Number(row.row_version)) {
    await db('signing_prepared').where({ id: itemId }).delete();
    throw new AppError('conflict', 'signingConcurrent');
  }
  const target = chainSlots(v.schoolYear, v.subjects.map((s) => s.code)).find((s) => s.signatureId === row.signature_id)!;
  await assertSignable(db, v, target);
  const cert = toCertificate((await db('certificates').where({ id: row.certificate_id }).first()) as Record<string, unknown>);
  const tbs = JSON.parse(String(row.to_be_signed)) as { algorithm: 'RSA-2048' | 'ECDSA-P256'; bytes: string; digestSha256: string; ecdsaEncoding: 'ieee-p1363' | 'der' | null };
  try {
    await completeSlot(db, {
      actor,
      version: v,
      target,
      certificate: cert,
      prepared: { preparedXml: String(row.prepared_xml), toBeSigned: { algorithm: tbs.algorithm, bytes: Buffer.from(tbs.bytes, 'base64'), digestSha256: Buffer.from(tbs.digestSha256, 'base64'), ...(tbs.ecdsaEncoding ? { ecdsaEncoding: tbs.ecdsaEncoding } : {}) } },
      signatureValue,
      inPlaceOf: await inPlaceOfSlot(db, v.id, target.signatureId),
    });
  } catch (err) {
    if (isStale(err)) throw new AppError('conflict', 'signingConcurrent');
    throw err;
  }
  await db('signing_prepared').where({ id: itemId }).delete();
}
