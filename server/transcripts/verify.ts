import { stepOfSignatureId } from '../../domain/transcript/chain';
import { principalOf, type Actor } from '../core/actor';
import { AppError, forbidden } from '../core/errors';
import type { Db } from '../db/knex';
import * as signing from './toolkit';
import type { SignatureReport } from '../signing/types';
import { trustAnchors } from './store';
import { transcriptReadScope } from '../../domain/permissions';

/** Uploads bigger than this are refused before any parsing (a sealed transcript is a few hundred kilobytes). */
export const MAX_VERIFY_BYTES = 10 * 1024 * 1024;

const ROLE_NAMES = { subject: 'Giáo viên bộ môn', homeroom: 'Giáo viên chủ nhiệm', approver: 'Hiệu trưởng / Phó hiệu trưởng duyệt', seal: 'Con dấu số của trường' } as const;

/**
 * Checks an uploaded XML or PDF transcript (a school receiving a transferred student, an office checking a copy):
 * every signature's digests, value and chain to our trust anchors, each mapped to its role in the chain (by the
 * signature Id) and to our certificates registry. Hostile XML (DTDs, entities, oversize) is refused with a 4xx.
 */
export async function verifyUpload(db: Db, actor: Actor, input: { bytes: Buffer; filename?: string | null }) {
  const schoolId = actor.schoolId;
  if (schoolId === null || !transcriptReadScope(principalOf(actor), schoolId)) throw forbidden();
  const { bytes } = input;
  if (bytes.length === 0) throw new AppError('unsupported', 'verifyUnsupported');
  if (bytes.length > MAX_VERIFY_BYTES) throw new AppError('too_large', 'verifyTooLarge', { max: '10 MB' });
  const anchors = await trustAnchors(db);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const result = signing.verifyPdfSignatures(bytes, anchors);
    const attached = result.attachedXml ? await verifyXml(db, result.attachedXml, anchors) : null;
    return {
      kind: 'pdf' as const,
      coversWholeFile: result.coversWholeFile,
      signatures: await annotate(db, result.signatures),
      attachedXml: attached,
      valid: result.coversWholeFile && result.signatures.length > 0 && result.signatures.every((s: { valid: boolean }) => s.valid) && (attached?.valid ?? false),
    };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) throw new AppError('unsupported', 'verifyUnsupported');
  return { kind: 'xml' as const, ...(await verifyXml(db, text, anchors)) };
}

async function verifyXml(db: Db, xml: string, anchors: string[]) {
  try {
    signing.parseUntrustedXml(xml, MAX_VERIFY_BYTES);
  } catch (err) {
    throw new AppError('invalid', 'verifyHostile', { detail: err instanceof Error ? err.message.slice(0, 200) : 'XML' });
  }
  const reports = await signing.verifyXmlSignatures(xml, anchors);
  const signatures = await annotate(db, reports);
  let header: unknown = null;
  try {
    const { readTranscriptHeader } = await import('./xml-mapping');
    header = readTranscriptHeader(xml);
  } catch {
    header = null;
  }
  return { header, signatures, valid: signatures.length > 0 && signatures.every((s) => s.valid) && signatures.some((s) => s.role === 'seal') };
}

/** Each report with its role in the chain and, when we know the certificate, whose it is in our registry. */
async function annotate(db: Db, reports: SignatureReport[]) {
  const shas = reports.map((r) => r.signer?.sha256).filter((x): x is string => Boolean(x));
  const known = shas.length
    ? ((await db('certificates as c').leftJoin('staff as s', 's.id', 'c.staff_id').whereIn('c.sha256', shas).select('c.sha256', 'c.kind', 's.full_name', 'c.revoked_at')) as Array<Record<string, unknown>>)
    : [];
  return reports.map((r) => {
    const step = stepOfSignatureId(r.signatureId)?.step ?? null;
    const reg = known.find((k) => k.sha256 === r.signer?.sha256);
    return {
      ...r,
      role: step,
      roleName: step ? ROLE_NAMES[step] : null,
      registered: reg ? { kind: reg.kind, staffName: reg.full_name ?? null, revoked: reg.revoked_at !== null } : null,
    };
  });
}
