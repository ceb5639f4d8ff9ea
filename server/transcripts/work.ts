import crypto from 'node:crypto';
import { parsedCertificate } from '../signing/certificates';
import type { TranscriptContent } from '../../domain/transcript/types';
import { signToBeSigned, verifyToBeSigned } from '../signing/key-holder';
import { assemblePdfSignature, preparePdfSignature } from '../signing/pades';
import { verifyPdfSignatures } from '../signing/verify-pdf';
import { checkSignaturesIntact } from '../signing/intact-xml';
import { verifyXmlSignatures } from '../signing/verify-xml';
import { assembleXmlSignatures, prepareXmlSignatures } from '../signing/xades';
import { SIGNATURE_CONTAINER } from './xml-mapping';

/**
 * The CPU-bound part of a signing batch, for many documents at once: prepare (canonicalise, digest), sign with the
 * software key, check the value against the certificate, assemble; for the seal also the whole-document check, the
 * PDF and its PAdES signature. No database, no I/O: it runs in a worker thread (pool.ts) or, without workers, here.
 * The private key arrives as a KeyObject (cloned by postMessage into the worker), never as PEM text.
 */

export interface KeyInHand {
  privateKey: crypto.KeyObject;
  certificatePem: string;
  chainPems: string[];
}

export interface SignDoc {
  /** The document so far: text, or its UTF-8 bytes (read so on SQLite, store.ts loadVersionsForSigning). */
  xml: string | Uint8Array;
  slots: Array<{ signatureId: string; references: string[] }>;
}

/** The signed document, in the form it came in (text or UTF-8 bytes). */
export type SignOutcome = { ok: true; xml: string | Uint8Array } | { ok: false; error: string };

/** Every slot of a document in one prepare call (a teacher of two subjects of a class signs both at once). */
export function signDocuments(key: KeyInHand, signingTime: string, docs: SignDoc[]): SignOutcome[] {
  const publicKey = parsedCertificate(key.certificatePem).publicKey;
  return docs.map((d): SignOutcome => {
    try {
      if (typeof d.xml === 'string') return { ok: true, xml: signOne(key, publicKey, signingTime, { ...d, xml: d.xml }) };
      const text = Buffer.from(d.xml.buffer, d.xml.byteOffset, d.xml.byteLength).toString('utf8');
      return { ok: true, xml: Buffer.from(signOne(key, publicKey, signingTime, { ...d, xml: text }), 'utf8') };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

function signOne(key: KeyInHand, publicKey: crypto.KeyObject, signingTime: string, d: SignDoc & { xml: string }): string {
  const { preparedXml, items } = prepareXmlSignatures(
    d.xml,
    d.slots.map((s) => ({ ...s, certificatePem: key.certificatePem, chainPems: key.chainPems, signingTime, containerLocalName: SIGNATURE_CONTAINER })),
  );
  const values = items.map((it) => {
    const value = signToBeSigned(key.privateKey, it.toBeSigned);
    // The value must check out against the certificate before it is written (a wrong key, a damaged keystore).
    if (!verifyToBeSigned(publicKey, it.toBeSigned, value)) throw new Error('signingBadSignature');
    return { signatureId: it.signatureId, signatureValue: value };
  });
  return assembleXmlSignatures(preparedXml, values);
}

export interface SealDoc {
  xml: string;
  content: TranscriptContent;
  verifyUrl: string;
}

export type SealOutcome = { ok: true; xml: string; pdf: Uint8Array; sha256: string } | { ok: false; error: string; detail?: string };

/**
 * The seal of many documents: the enveloped XML signature, then the whole document checked once more (every
 * signature intact and chained to the anchors), its SHA-256, the PDF drawn with the signed XML attached and
 * PAdES-signed with the same key (hoc-ba-so.md: XML and PDF, the same legal value).
 */
export async function sealDocuments(key: KeyInHand, anchors: string[], signingTime: string, signatureId: string, docs: SealDoc[]): Promise<SealOutcome[]> {
  const publicKey = parsedCertificate(key.certificatePem).publicKey;
  const { renderTranscriptPdf } = await import('./pdf');
  const out: SealOutcome[] = [];
  for (const d of docs) {
    try {
      const xml = signOne(key, publicKey, signingTime, { xml: d.xml, slots: [{ signatureId, references: [''] }] });
      // The scanner's check (the DOM verifier only when something is off or unusual): ≈ 12 ms → a few ms a document.
      const broken = checkSignaturesIntact(xml, anchors).filter((r) => !r.intact);
      if (broken.length > 0) {
        out.push({ ok: false, error: 'transcriptInvalidXml', detail: broken.flatMap((r) => r.problems).join('; ') || 'signature' });
        continue;
      }
      const pdf = await renderTranscriptPdf(d.content, { signedXml: xml, verifyUrl: d.verifyUrl });
      const prepared = preparePdfSignature(pdf, {
        certificatePem: key.certificatePem,
        chainPems: key.chainPems,
        signerName: d.content.school.name,
        reason: `Đóng dấu học bạ số ${d.content.transcriptUid} phiên bản ${d.content.version}`,
        location: d.content.placeOfIssue ?? d.content.school.name,
        signingTime: new Date(signingTime),
      });
      const signedPdf = assemblePdfSignature(prepared.state, signToBeSigned(key.privateKey, prepared.toBeSigned));
      out.push({ ok: true, xml, pdf: signedPdf, sha256: crypto.createHash('sha256').update(xml, 'utf8').digest('hex') });
    } catch (err) {
      out.push({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** Sealed documents checked as a verifier would (bench/transcripts.ts): every XML signature and the PDF's. */
export function verifyDocuments(anchors: string[], docs: Array<{ xml: string; pdf: Uint8Array }>): { signatures: number; invalid: number } {
  let signatures = 0;
  let invalid = 0;
  for (const d of docs) {
    const reports = verifyXmlSignatures(d.xml, anchors);
    signatures += reports.length;
    const pdf = verifyPdfSignatures(Buffer.from(d.pdf), anchors);
    if (reports.some((r) => !r.valid) || pdf.signatures.length === 0 || !pdf.signatures.every((r) => r.valid) || !pdf.coversWholeFile) invalid++;
  }
  return { signatures, invalid };
}

/** What the pool runs by name. */
export const WORK = { signDocuments, sealDocuments, verifyDocuments } as const;
export type WorkName = keyof typeof WORK;
