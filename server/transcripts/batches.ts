import crypto from 'node:crypto';
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
import { assertSignable, completeSlot, isStale, prepareSlot } from './sign';
import { currentCertificate, loadVersion, toCertificate, trustAnchors, type CertificateRow } from './store';

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
async function assertSecondFactor(db: Db, actor: Actor, box: SecretBox, totp: string | undefined): Promise<void> {
  const grants = principalOf(actor).grants.filter((g) => g.schoolId === actor.schoolId);
  if (!requiresTotp(grants)) return;
  if (!totp) throw invalidField('totp', { key: 'signingTotpRequired' });
  const user = await findUser(db, { id: actor.userId! });
  if (!user) throw forbidden();
  try {
    await verifyTotp(db, box, user, totp, actor.ip);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'unauthenticated') throw invalidField('totp', { key: 'totpWrong' });
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

async function unlockKey(db: Db, actor: Actor, seal: boolean, box: SecretBox, pin: string): Promise<{ cert: CertificateRow; key: OpenKey }> {
  const cert = await signingCertificate(db, actor, seal);
  const key = openStoredKey(box, cert, pin);
  if (new crypto.X509Certificate(key.certificatePem).fingerprint256.replace(/:/g, '').toLowerCase() !== cert.sha256) {
    throw new AppError('conflict', 'signingCertificateRefused', { why: { key: 'certNotOwner' } });
  }
  return { cert, key };
}

async function runBatch(db: Db, actor: Actor, batchId: number, resolved: ResolvedTask, cert: CertificateRow, key: OpenKey, deps: SigningDeps): Promise<void> {
  let done = 0;
  let failed = 0;
  const errors: Array<{ versionId: number; studentId: number; key: string; params?: unknown }> = [];
  try {
    for (const item of resolved.items) {
      try {
        await signItem(db, actor, item, cert, key, resolved, deps);
        done++;
      } catch (err) {
        failed++;
        const e = err instanceof AppError ? err : null;
        errors.push({ versionId: item.version.id, studentId: item.version.studentId, key: e?.key ?? 'internal', ...(e ? { params: e.params } : {}) });
        if (!e) console.error('signing batch item failed', batchId, err);
      }
      if ((done + failed) % 5 === 0 || done + failed === resolved.items.length) {
        await db('signing_batches').where({ id: batchId }).update({ done, failed, errors: JSON.stringify(errors.slice(0, 200)) });
      }
    }
    await db('signing_batches')
      .where({ id: batchId })
      .update({ done, failed, errors: JSON.stringify(errors.slice(0, 200)), status: failed > 0 && done === 0 ? 'failed' : 'done', finished_at: nowIso() });
  } catch (err) {
    console.error('signing batch failed', batchId, err);
    await db('signing_batches').where({ id: batchId }).update({ status: 'failed', finished_at: nowIso() });
  }
}

/** One item with the software key: prepare, sign, complete; a lost race with another signer prepares again. */
async function signItem(db: Db, actor: Actor, item: TaskItem, cert: CertificateRow, key: OpenKey, resolved: ResolvedTask, deps: SigningDeps): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // First attempt: the version as the task read it — if anything changed since, its row version did too, and the
    // write refuses; later attempts read it again and re-check the chain.
    const v = attempt === 1 ? item.version : await loadVersion(db, item.version.id);
    if (attempt > 1) await assertSignable(db, v, item.slot, resolved.signers);
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
  for (const item of resolved.items) {
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
    });
  } catch (err) {
    if (isStale(err)) throw new AppError('conflict', 'signingConcurrent');
    throw err;
  }
  await db('signing_prepared').where({ id: itemId }).delete();
}
