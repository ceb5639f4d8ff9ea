import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { inPlaceNote } from '../../domain/transcript/digitisation';
import { canSign, type ChainSlot } from '../../domain/transcript/chain';
import type { Actor } from '../core/actor';
import { appendAudit } from '../core/audit';
import { AppError } from '../core/errors';
import type { Db } from '../db/knex';
import { nowIso } from '../db/knex';
import * as signing from './toolkit';
import type { ToBeSigned } from '../signing/types';
import { missingNames, type Signers } from './chain';
import { signatureMatches, signWith, type OpenKey } from './keystore';
import { assertOpen, chainStateOf, contentOf, loadVersion, signaturesOf, trustAnchors, type CertificateRow, type Conn, type VersionRow } from './store';
import { sealedPdf } from './seal-pdf';
import { SIGNATURE_CONTAINER } from './xml-mapping';

/**
 * Adding one signature to one version, two-phase everywhere (server/signing/types.ts): prepare (the document with
 * the new ds:Signature and what the key holder signs), sign (software keystore here, a token elsewhere), complete
 * (check the value against the certificate, assemble, write). Preparation and signing happen outside any
 * transaction; the write is short and checks the row version it was prepared from, so two signers of the same
 * student never overwrite each other: the later one prepares again (software batch) or is told to (two-phase).
 */

export interface Prepared {
  preparedXml: string;
  toBeSigned: ToBeSigned;
}

export async function prepareSlot(v: VersionRow, target: ChainSlot, certificatePem: string, chainPems: string[], at: string): Promise<Prepared> {
  const { preparedXml, items } = await signing.prepareXmlSignatures(v.xml, [
    { signatureId: target.signatureId, references: target.references, certificatePem, chainPems, signingTime: at, containerLocalName: SIGNATURE_CONTAINER },
  ]);
  return { preparedXml, toBeSigned: items[0].toBeSigned };
}

/** The chain still allows `target` on `v` (re-checked at write time: the state may have moved since the task was read). */
export async function assertSignable(conn: Conn, v: VersionRow, target: ChainSlot, signers?: Signers): Promise<void> {
  assertOpen(v);
  const sigs = (await signaturesOf(conn, [v.id])).get(v.id) ?? [];
  const state = chainStateOf(v, sigs);
  const refusal = canSign(target, state);
  if (refusal?.reason === 'alreadySigned') throw new AppError('conflict', 'signingAlreadySigned');
  if (refusal?.reason === 'waiting') {
    throw new AppError('conflict', 'signingWaiting', { missing: signers ? missingNames(signers, v, state, refusal.missing) : refusal.missing });
  }
}

export interface Completion {
  actor: Actor;
  version: VersionRow;
  target: ChainSlot;
  certificate: CertificateRow;
  prepared: Prepared;
  signatureValue: Buffer;
  /** The seal's key signs the PDF too (PAdES), so sealing needs it in hand: software keystore only. */
  sealKey?: OpenKey;
  verifyUrl?: string;
  /** A digitised slot of a departed teacher, signed by the principal in their place. */
  inPlaceOf?: { staffId: number; name: string } | null;
}

const STALE = 'stale-version';
export const isStale = (err: unknown) => err instanceof Error && err.message === STALE;

/** Checks the value, assembles, and writes the signature (and for the seal the sealed document and PDF). */
export async function completeSlot(db: Db, c: Completion): Promise<void> {
  if (!signatureMatches(c.certificate.pem, c.prepared.toBeSigned, c.signatureValue)) throw new AppError('invalid', 'signingBadSignature');
  const xml = await signing.assembleXmlSignatures(c.prepared.preparedXml, [{ signatureId: c.target.signatureId, signatureValue: c.signatureValue }]);
  const at = nowIso();
  const sealed = c.target.step === 'seal' ? await sealDocument(db, c, xml, at) : null;
  await db.transaction(async (trx) => {
    const fresh = await loadVersion(trx, c.version.id, true);
    if (fresh.rowVersion !== c.version.rowVersion) throw new Error(STALE);
    assertOpen(fresh);
    const patch: Record<string, unknown> = { xml, status: 'signing', row_version: fresh.rowVersion + 1, updated_at: at };
    if (sealed) Object.assign(patch, { status: 'sealed', pdf: sealed.pdf, sha256: sealed.sha256, sealed_at: at });
    const n = await trx('transcript_versions').where({ id: fresh.id, row_version: fresh.rowVersion }).update(patch);
    if (n !== 1) throw new Error(STALE);
    await trx('transcript_signatures').insert({
      version_id: fresh.id,
      step: c.target.step,
      part: c.target.part,
      subject_id: c.target.subjectCode ? (fresh.subjects.find((s) => s.code === c.target.subjectCode)?.subjectId ?? null) : null,
      signature_id: c.target.signatureId,
      signer_user_id: c.target.step === 'seal' ? null : c.actor.userId,
      certificate_id: c.certificate.id,
      signed_at: at,
      in_place_of_staff_id: c.inPlaceOf?.staffId ?? null,
    });
    if (c.inPlaceOf) await auditSignedInPlace(trx, c.actor, fresh, [{ signatureId: c.target.signatureId, inPlaceOf: c.inPlaceOf }]);
    if (sealed) {
      // The previous sealed version stays in force until this one is sealed (a correction), then is superseded.
      await trx('transcript_versions').where({ transcript_id: fresh.transcriptId, status: 'sealed' }).whereNot({ id: fresh.id }).update({ status: 'superseded', updated_at: at });
    }
    await appendAudit(trx, c.actor, {
      action: sealed ? 'seal' : 'sign',
      entity: 'transcript_versions',
      entityId: fresh.id,
      after: { step: c.target.step, signatureId: c.target.signatureId, certificate: c.certificate.sha256, ...(sealed ? { sha256: sealed.sha256 } : {}) },
      schoolId: fresh.schoolId,
    });
  });
}

/**
 * One audit entry per version for the signatures a principal put in place of departed teachers (seed 003 V.4):
 * "Hiệu trưởng ký thay cho GV … đã nghỉ việc", with the slot and the teacher.
 */
export async function auditSignedInPlace(trx: Knex.Transaction, actor: Actor, v: Pick<VersionRow, 'id' | 'schoolId'>, items: Array<{ signatureId: string; inPlaceOf: { staffId: number; name: string } }>): Promise<void> {
  await appendAudit(trx, actor, {
    action: 'sign_in_place',
    entity: 'transcript_versions',
    entityId: v.id,
    after: { signatures: items.map((it) => ({ signatureId: it.signatureId, inPlaceOfStaffId: it.inPlaceOf.staffId, note: inPlaceNote(it.inPlaceOf.name) })) },
    reason: items.map((it) => inPlaceNote(it.inPlaceOf.name)).join('; '),
    schoolId: v.schoolId,
  });
}

/**
 * Sealing: the XML with every signature is checked once more as a whole, its SHA-256 recorded, the PDF drawn with
 * the signed XML attached and PAdES-signed with the seal (hoc-ba-so.md: XML and PDF, the same legal value).
 */
async function sealDocument(db: Db, c: Completion, xml: string, at: string): Promise<{ pdf: Buffer; sha256: string }> {
  if (!c.sealKey) throw new AppError('unsupported', 'signingNoSeal');
  const anchors = await trustAnchors(db, c.version.schoolId);
  const reports = await signing.verifyXmlSignatures(xml, anchors);
  const broken = reports.filter((r) => !r.intact);
  if (broken.length > 0) throw new AppError('conflict', 'transcriptInvalidXml', { detail: broken.flatMap((r) => r.problems).join('; ') || 'signature' });
  const content = await contentOf(db, c.version.id);
  const sealKey = c.sealKey;
  const seal = { certificatePem: sealKey.certificatePem, chainPems: sealKey.chainPems, signingTime: new Date(at) };
  const signedPdf = await sealedPdf(content, xml, c.verifyUrl ?? '', seal, (tbs) => signWith(sealKey, tbs));
  return { pdf: Buffer.from(signedPdf), sha256: crypto.createHash('sha256').update(xml, 'utf8').digest('hex') };
}
