/**
 * The signing chain of one transcript version (hoc-ba-so.md "Who signs", seeds 002/003, docs/transcripts.md):
 *   1 subject   — each subject teacher signs their subject's rows        sig-gvbm-<year>-<mamonhoc>  → #bd-…
 *   2 homeroom  — the homeroom teacher signs identity and summary          sig-gvcn-<year>            → #hocsinh #th-…
 *   3 approver  — the principal, or the VP delegated for the grade        sig-duyet-<year>           → #hocsinh #nh-…
 *                 only once every step-1 and step-2 signature is present
 *   4 seal      — the school's organisation certificate, whole document   sig-condau                 → ''
 * Pure: no I/O. The server decides who a person is; this module decides what may be signed when.
 */
import { partId } from './types';

export const CHAIN_STEPS = ['subject', 'homeroom', 'approver', 'seal'] as const;
export type ChainStep = (typeof CHAIN_STEPS)[number];

export const signatureIdOf = {
  subject: (schoolYear: string, subjectCode: string) => `sig-gvbm-${schoolYear}-${subjectCode}`,
  homeroom: (schoolYear: string) => `sig-gvcn-${schoolYear}`,
  approver: (schoolYear: string) => `sig-duyet-${schoolYear}`,
  seal: () => 'sig-condau',
};

/** One signature slot of a version: its step, its Id and the parts (element Ids) it covers. */
export interface ChainSlot {
  step: ChainStep;
  signatureId: string;
  /** The part the slot stands for in `transcript_signatures.part` ('' for the whole document). */
  part: string;
  references: string[];
  subjectCode: string | null;
}

/** Every signature slot of a version whose year section is `schoolYear`, in chain order. */
export function chainSlots(schoolYear: string, subjectCodes: string[]): ChainSlot[] {
  return [
    ...subjectCodes.map((code) => subjectSlot(schoolYear, code)),
    slot('homeroom', schoolYear),
    slot('approver', schoolYear),
    slot('seal', schoolYear),
  ];
}

export function subjectSlot(schoolYear: string, subjectCode: string): ChainSlot {
  const part = partId.subject(schoolYear, subjectCode);
  return { step: 'subject', signatureId: signatureIdOf.subject(schoolYear, subjectCode), part, references: [part], subjectCode };
}

export function slot(step: Exclude<ChainStep, 'subject'>, schoolYear: string): ChainSlot {
  switch (step) {
    case 'homeroom':
      return { step, signatureId: signatureIdOf.homeroom(schoolYear), part: partId.summary(schoolYear), references: [partId.identity(), partId.summary(schoolYear)], subjectCode: null };
    case 'approver':
      return { step, signatureId: signatureIdOf.approver(schoolYear), part: partId.year(schoolYear), references: [partId.identity(), partId.year(schoolYear)], subjectCode: null };
    case 'seal':
      return { step, signatureId: signatureIdOf.seal(), part: '', references: [''], subjectCode: null };
  }
}

/** The step a signature Id belongs to (the verifier maps signatures to roles by their Id's prefix). */
export function stepOfSignatureId(id: string | null): { step: ChainStep; schoolYear: string | null; subjectCode: string | null } | null {
  if (!id) return null;
  if (id === 'sig-condau') return { step: 'seal', schoolYear: null, subjectCode: null };
  let m = /^sig-gvbm-(\d{4}-\d{4})-(.+)$/.exec(id);
  if (m) return { step: 'subject', schoolYear: m[1], subjectCode: m[2] };
  m = /^sig-gvcn-(\d{4}-\d{4})$/.exec(id);
  if (m) return { step: 'homeroom', schoolYear: m[1], subjectCode: null };
  m = /^sig-duyet-(\d{4}-\d{4})$/.exec(id);
  if (m) return { step: 'approver', schoolYear: m[1], subjectCode: null };
  return null;
}

export interface ChainState {
  schoolYear: string;
  subjectCodes: string[];
  /** Signature Ids present in the version. */
  signed: ReadonlySet<string>;
}

/** Why a slot may not be signed now; `missing` lists the signature Ids that must come first. */
export type ChainRefusal = { reason: 'alreadySigned' } | { reason: 'waiting'; missing: string[] };

/** The slots that must be present before `step` (the approver waits for all of 1–2, the seal for the approver). */
export function prerequisites(step: ChainStep, state: Pick<ChainState, 'schoolYear' | 'subjectCodes'>): string[] {
  switch (step) {
    case 'subject':
    case 'homeroom':
      return [];
    case 'approver':
      return [...state.subjectCodes.map((c) => signatureIdOf.subject(state.schoolYear, c)), signatureIdOf.homeroom(state.schoolYear)];
    case 'seal':
      return [signatureIdOf.approver(state.schoolYear)];
  }
}

/** May this slot be signed now? null when it may. */
export function canSign(target: ChainSlot, state: ChainState): ChainRefusal | null {
  if (state.signed.has(target.signatureId)) return { reason: 'alreadySigned' };
  const missing = prerequisites(target.step, state).filter((id) => !state.signed.has(id));
  return missing.length > 0 ? { reason: 'waiting', missing } : null;
}

/** The slots that can be signed now, in chain order. */
export function nextSteps(state: ChainState): ChainSlot[] {
  return chainSlots(state.schoolYear, state.subjectCodes).filter((s) => canSign(s, state) === null);
}

/** The slots still unsigned (whether or not they can be signed yet). */
export function missingSlots(state: ChainState): ChainSlot[] {
  return chainSlots(state.schoolYear, state.subjectCodes).filter((s) => !state.signed.has(s.signatureId));
}

/** Steps 1–2 complete: the approver may sign. */
export const readyForApproval = (state: ChainState) => canSign(slot('approver', state.schoolYear), state) === null;

/**
 * Who approves a grade (seed 002: one VP signs grade 11, another grade 12): the delegated vice principal if the
 * principal delegated the grade for that year, otherwise the principal.
 */
export function approverOf(grade: number, delegations: ReadonlyArray<{ grade: number; userId: number }>): { kind: 'delegate'; userId: number } | { kind: 'principal' } {
  const d = delegations.find((x) => x.grade === grade);
  return d ? { kind: 'delegate', userId: d.userId } : { kind: 'principal' };
}

/** Printed transcripts of these grades need the principal's approval by default (seed 000: end of each level). */
export const PRINT_APPROVAL_GRADES: readonly number[] = [6, 9];

/**
 * The public verification code: 10 characters of Crockford-like base32 without I, L, O, U (nothing a reader can
 * mistake), grouped for the PDF as XXXXX-XXXXX. `bytes` are random bytes from the caller.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function verificationCodeFrom(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += CODE_ALPHABET[bytes[i % bytes.length] % 32];
  return out;
}

/** A code typed by a person: spaces and dashes dropped, upper case, the look-alikes read as the digits they resemble. */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}
