import crypto from 'node:crypto';
import type { TranscriptContent } from '../../domain/transcript/types';
import { AppError } from '../core/errors';
import { signToBeSigned } from '../signing/key-holder';
import { verifyPdfSignatures } from '../signing/verify-pdf';
import { checkSignaturesIntact } from '../signing/intact-xml';
import { verifyXmlSignatures } from '../signing/verify-xml';
import { assembleXmlSignatures, prepareXmlSignatures } from '../signing/xades';
import { sealedPdf } from './seal-pdf';
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
  /** The document so far: text, or its UTF-8 bytes (read so on SQLite, store.ts loadVersions). */
  xml: string | Uint8Array;
  slots: Array<{ signatureId: string; references: string[] }>;
}

/** The signed document, in the form it came in (text or UTF-8 bytes). */
export type SignOutcome = { ok: true; xml: string | Uint8Array } | { ok: false; error: string };

/** Every slot of a document in one prepare call (a teacher of two subjects of a class signs both at once). */
export function signDocuments(key: KeyInHand, signingTime: string, docs: SignDoc[]): SignOutcome[] {
  return docs.map((d): SignOutcome => {
    try {
      const xml = signOne(key, signingTime, { ...d, xml: textOf(d.xml) });
      return { ok: true, xml: typeof d.xml === 'string' ? xml : Buffer.from(xml, 'utf8') };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

const textOf = (xml: string | Uint8Array): string => (typeof xml === 'string' ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString('utf8'));

function signOne(key: KeyInHand, signingTime: string, d: SignDoc & { xml: string }): string {
  const { preparedXml, items } = prepareXmlSignatures(
    d.xml,
    d.slots.map((s) => ({ ...s, certificatePem: key.certificatePem, chainPems: key.chainPems, signingTime, containerLocalName: SIGNATURE_CONTAINER })),
  );
  const values = items.map((it) => ({ signatureId: it.signatureId, signatureValue: signToBeSigned(key.privateKey, it.toBeSigned) }));
  // Each value must check out against the certificate before it is written (a wrong key, a damaged keystore):
  // assembling checks every value against the certificate in the prepared signature, which is this key's.
  try {
    return assembleXmlSignatures(preparedXml, values);
  } catch (err) {
    if (err instanceof AppError && err.key === 'signing.badSignatureValue') throw new Error('signingBadSignature');
    throw err;
  }
}

export interface SealDoc {
  /** As SignDoc's: text, or UTF-8 bytes (then the sealed XML comes back as bytes too). */
  xml: string | Uint8Array;
  content: TranscriptContent;
  verifyUrl: string;
}

export type SealOutcome = { ok: true; xml: string | Uint8Array; pdf: Uint8Array; sha256: string } | { ok: false; error: string; detail?: string };

/**
 * The seal of many documents: the enveloped XML signature, then the whole document checked once more (every
 * signature intact and chained to the anchors), its SHA-256, the PDF drawn with the signed XML attached and
 * PAdES-signed with the same key (hoc-ba-so.md: XML and PDF, the same legal value).
 */
export async function sealDocuments(key: KeyInHand, anchors: string[], signingTime: string, signatureId: string, docs: SealDoc[]): Promise<SealOutcome[]> {
  const out: SealOutcome[] = [];
  const seal = { certificatePem: key.certificatePem, chainPems: key.chainPems, signingTime: new Date(signingTime) };
  for (const d of docs) {
    try {
      const unsealed = textOf(d.xml);
      // Every earlier signature checked once more before the seal goes on (the scanner's check; the DOM verifier only
      // when something is off or unusual). They are checked on the document as it is: each covers only its own parts
      // and survives the signatures added after it, so the result is the same as on the sealed document — without
      // canonicalising the whole document again for the seal, whose value assembling checks.
      const broken = checkSignaturesIntact(unsealed, anchors).filter((r) => !r.intact);
      if (broken.length > 0) {
        out.push({ ok: false, error: 'transcriptInvalidXml', detail: broken.flatMap((r) => r.problems).join('; ') || 'signature' });
        continue;
      }
      const xml = signOne(key, signingTime, { xml: unsealed, slots: [{ signatureId, references: [''] }] });
      const signedPdf = await sealedPdf(d.content, xml, d.verifyUrl, seal, (tbs) => signToBeSigned(key.privateKey, tbs));
      const bytes = Buffer.from(xml, 'utf8');
      out.push({ ok: true, xml: typeof d.xml === 'string' ? xml : bytes, pdf: signedPdf, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
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
