import { stepOfSignatureId as chainStepOf } from '../../../domain/transcript/chain';
import type { SigningStep, StepCount, VerifyResult } from './types';

/**
 * Reading signature and part Ids (domain/transcript/types.ts `partId`, docs/transcripts.md "The chain") for the
 * screens: which step a signature is, and what it covers in words. Pure, so the unit tests and every page share it.
 */

const YEAR = '(\\d{4}-\\d{4})';

/** sig-gvbm-… → subject, sig-gvcn-… → homeroom, sig-duyet-… → approver, sig-condau → seal. */
export function stepOfSignatureId(id: string | null | undefined): SigningStep | null {
  // The naming rule lives in the domain (the server maps signatures with the same function).
  return chainStepOf(id ?? null)?.step ?? null;
}

/** A part the screen can name: a subject of a year, the identity and summary, a whole year, the whole document. */
export type PartWords =
  | { key: 'subject'; year: string; subject: string }
  | { key: 'identity_summary'; year: string | null }
  | { key: 'identity' }
  | { key: 'summary'; year: string }
  | { key: 'year'; year: string }
  | { key: 'whole' }
  | { key: 'unknown'; id: string };

/** One covered Id → what it is (`bd-2025-2026-TOAN` → subject TOAN of 2025-2026). */
export function partOfId(id: string): PartWords {
  const ref = id.replace(/^#/, '');
  if (ref === '') return { key: 'whole' };
  if (ref === 'hocsinh') return { key: 'identity' };
  let m = new RegExp(`^bd-${YEAR}-(.+)$`).exec(ref);
  if (m) return { key: 'subject', year: m[1], subject: m[2] };
  m = new RegExp(`^th-${YEAR}$`).exec(ref);
  if (m) return { key: 'summary', year: m[1] };
  m = new RegExp(`^nh-${YEAR}$`).exec(ref);
  if (m) return { key: 'year', year: m[1] };
  return { key: 'unknown', id: ref };
}

/**
 * What a signature covers, as one phrase: the subject teacher's subject of a year, the homeroom teacher's identity
 * and summary, the approver's whole year, the seal's whole transcript. Falls back to the signature Id when the
 * covered Ids are not known.
 */
export function coveredPart(signatureId: string | null | undefined, covers: string[] = []): PartWords {
  const parts = covers.map(partOfId);
  if (parts.some((p) => p.key === 'whole')) return { key: 'whole' };
  const year = parts.find((p) => p.key === 'year');
  if (year) return year;
  const summary = parts.find((p) => p.key === 'summary');
  if (summary && summary.key === 'summary') return { key: 'identity_summary', year: summary.year };
  const subject = parts.find((p) => p.key === 'subject');
  if (subject) return subject;
  if (parts.length > 0) return parts[0];
  return partOfSignatureId(signatureId);
}

/** The part from the signature Id alone (sig-gvbm-2025-2026-TOAN, sig-gvcn-2025-2026, sig-duyet-…, sig-condau). */
export function partOfSignatureId(id: string | null | undefined): PartWords {
  if (!id) return { key: 'unknown', id: '' };
  let m = new RegExp(`^sig-gvbm-${YEAR}-(.+)$`).exec(id);
  if (m) return { key: 'subject', year: m[1], subject: m[2] };
  m = new RegExp(`^sig-gvcn-${YEAR}$`).exec(id);
  if (m) return { key: 'identity_summary', year: m[1] };
  m = new RegExp(`^sig-duyet-${YEAR}$`).exec(id);
  if (m) return { key: 'year', year: m[1] };
  if (id.startsWith('sig-condau')) return { key: 'whole' };
  return { key: 'unknown', id };
}

/** A step count in whichever form the server sends it → {done, total} (total 0 when unknown). */
export function stepCount(v: StepCount): { done: number; total: number } | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return { done: v ? 1 : 0, total: 1 };
  if (typeof v === 'number') return { done: v, total: 0 };
  if (typeof v === 'string') {
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(v.trim());
    return m ? { done: Number(m[1]), total: Number(m[2]) } : null;
  }
  return { done: Number(v.done) || 0, total: Number(v.total) || 0 };
}

/** Overall verdict: the server's own when it gives one, else every signature valid (and, for a PDF, the file and its XML). */
export function overallValid(r: VerifyResult): boolean {
  if (typeof r.valid === 'boolean') return r.valid;
  if (r.signatures.length === 0) return false;
  if (!r.signatures.every((s) => s.valid)) return false;
  if (r.kind === 'pdf') {
    if (r.coversWholeFile === false) return false;
    if (attachedXmlValid(r) === false) return false;
  }
  return true;
}

/** The attached XML's verdict for a PDF: true/false, or null when nothing is attached or the server did not say. */
export function attachedXmlValid(r: VerifyResult): boolean | null {
  if (typeof r.attachedXmlValid === 'boolean') return r.attachedXmlValid;
  const a = r.attachedXml;
  if (!a || typeof a === 'string') return null;
  if (typeof a.valid === 'boolean') return a.valid;
  if (a.signatures && a.signatures.length > 0) return a.signatures.every((s) => s.valid);
  return null;
}

/** Public lookup status → the three phrases of the QR page. */
export function publicStatusKey(status: string): 'in_force' | 'revoked' | 'superseded' {
  if (/revok|thu.?hoi|^2$/i.test(status)) return 'revoked';
  if (/supersed|replace|thay/i.test(status)) return 'superseded';
  return 'in_force';
}
