/**
 * Số hóa học bạ giấy — digitising old paper transcripts (seed 003 section V, QĐ 1789/QĐ-SGDĐT chương IV as the
 * seed quotes it):
 *   - the academic staff (NV học vụ) enter an old year from the paper book; the document is marked `trichluc`;
 *   - each teacher still at the school reviews and signs the content they were responsible for (item 3);
 *   - for a teacher no longer at the school the academic staff review it and the principal signs and answers for
 *     it (item 4) — "ký thay", recorded as such;
 *   - optionally (a school setting) two people enter the same book and one reconciles the differences.
 * Pure: no I/O. Values follow the grade book's stored form (TranscriptYear, domain/transcript/types.ts):
 * scores '7' / '8.3', comment subjects 'D' | 'CD', levels T | K | D | CD.
 */
import type { Level } from './types';

export interface EntrySubject {
  subjectId: number;
  hk1: string | null;
  hk2: string | null;
  year: string | null;
  retest: string | null;
  comment: string | null;
  /** The teacher who taught the subject that year (staff of the school, current or departed). */
  teacherStaffId: number;
}

export interface EntrySummary {
  learning: { hk1: Level | null; hk2: Level | null; year: Level | null; afterRetest: Level | null };
  conduct: { hk1: Level | null; hk2: Level | null; year: Level | null; afterSummerTraining: Level | null };
  absences: number;
  summerTraining: boolean;
  promoted: boolean | null;
  completedLevel: boolean | null;
  award: 'excellent' | 'very_good' | null;
  homeroomComment: string | null;
}

/** One person's reading of one old year of the paper book. */
export interface DigitisationEntry {
  subjects: EntrySubject[];
  summary: EntrySummary;
  homeroomStaffId: number;
  /** The principal who signed the paper book that year (kept as entered; today's principal approves). */
  principalStaffId: number | null;
}

export const DIGITISATION_STATUSES = ['entering', 'awaiting_second', 'to_reconcile', 'reviewing', 'signing', 'sealed'] as const;
export type DigitisationStatus = (typeof DIGITISATION_STATUSES)[number];

/** The list's status: the stored one until the version is opened, then the version's own (draft = still reviewing). */
export function digitisationStatus(stored: string, versionStatus: string | null): DigitisationStatus {
  if (stored !== 'opened' || versionStatus === null) return stored as DigitisationStatus;
  if (versionStatus === 'draft') return 'reviewing';
  if (versionStatus === 'signing') return 'signing';
  return 'sealed';
}

/** After the first entry is submitted: a second person must enter it too when the school asks for double entry. */
export const afterFirstEntry = (doubleEntry: boolean): 'awaiting_second' | 'ready' => (doubleEntry ? 'awaiting_second' : 'ready');

/** One field the two entries disagree on; `path` names it ("subjects.3.hk1", "summary.conduct.year", "homeroomStaffId"). */
export interface EntryDifference {
  path: string;
  first: unknown;
  second: unknown;
}

/** Every leaf of an entry by path; subjects are keyed by subject id, so the order they were typed in does not matter. */
export function flattenEntry(e: DigitisationEntry): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else out.set(prefix, v ?? null);
  };
  for (const s of e.subjects) {
    const { subjectId, ...rest } = s;
    walk(`subjects.${subjectId}`, rest);
  }
  walk('summary', e.summary);
  out.set('homeroomStaffId', e.homeroomStaffId);
  out.set('principalStaffId', e.principalStaffId ?? null);
  return out;
}

/** The fields where two entries differ (a subject present in one entry only differs in every field). */
export function diffEntries(a: DigitisationEntry, b: DigitisationEntry): EntryDifference[] {
  const fa = flattenEntry(a);
  const fb = flattenEntry(b);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])];
  return paths
    // A field one reading lacks (a subject it does not have) differs even from an empty one: reconciling must decide.
    .filter((p) => (fa.has(p) ? JSON.stringify(fa.get(p)) : 'absent') !== (fb.has(p) ? JSON.stringify(fb.get(p)) : 'absent'))
    .map((p) => ({ path: p, first: fa.has(p) ? fa.get(p) : undefined, second: fb.has(p) ? fb.get(p) : undefined }));
}

export type Choice = 'first' | 'second';

/**
 * The reconciled entry: the first entry with, for each differing field, the value chosen. Every difference needs
 * a choice (null when a field is missing from a choice: the caller names them). Subjects keep the first entry's
 * order; a subject only the second entry has is added when all of its fields were chosen from the second.
 */
export function reconcileEntries(a: DigitisationEntry, b: DigitisationEntry, choices: Record<string, Choice>): { entry: DigitisationEntry } | { missing: string[] } {
  const diffs = diffEntries(a, b);
  const missing = diffs.filter((d) => choices[d.path] !== 'first' && choices[d.path] !== 'second').map((d) => d.path);
  if (missing.length > 0) return { missing };
  const flat = flattenEntry(a);
  for (const d of diffs) {
    if (choices[d.path] === 'second') {
      if (d.second === undefined) flat.delete(d.path);
      else flat.set(d.path, d.second);
    }
  }
  return { entry: unflatten(flat, [...a.subjects, ...b.subjects].map((s) => s.subjectId)) };
}

function unflatten(flat: Map<string, unknown>, subjectOrder: number[]): DigitisationEntry {
  const nested: Record<string, unknown> = {};
  for (const [path, v] of flat) {
    const keys = path.split('.');
    let node = nested;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = v;
  }
  const subjects = (nested.subjects ?? {}) as Record<string, Omit<EntrySubject, 'subjectId'>>;
  const ids = [...new Set(subjectOrder)].filter((id) => subjects[String(id)] && Object.keys(subjects[String(id)]).length === SUBJECT_FIELDS.length);
  return {
    subjects: ids.map((id) => ({ subjectId: id, ...subjects[String(id)] }) as EntrySubject),
    summary: nested.summary as EntrySummary,
    homeroomStaffId: Number(nested.homeroomStaffId),
    principalStaffId: nested.principalStaffId === null || nested.principalStaffId === undefined ? null : Number(nested.principalStaffId),
  };
}

const SUBJECT_FIELDS = ['hk1', 'hk2', 'year', 'retest', 'comment', 'teacherStaffId'] as const;

/** A teacher of the paper year as the chain sees them when the version is opened. */
export interface PaperSigner {
  staffId: number;
  name: string;
  /** No longer at the school (staff status 'left'): the principal signs in their place after the review. */
  left: boolean;
}

/**
 * Who may sign a digitised slot (seed 003 V.3–4): the teacher themself while at the school; once they have left,
 * only the principal, and only after the academic staff marked the content reviewed. The principal never signs
 * for a teacher still at the school, and a departed teacher is never a signer.
 */
export function paperSlotSigner(teacher: PaperSigner, reviewed: boolean): { kind: 'teacher'; staffId: number } | { kind: 'principalInPlace'; ready: boolean } {
  return teacher.left ? { kind: 'principalInPlace', ready: reviewed } : { kind: 'teacher', staffId: teacher.staffId };
}

/** The sentence the XML, the audit and the screens carry for a signature in place of a departed teacher. */
export const inPlaceNote = (teacherName: string): string => `Hiệu trưởng ký thay cho GV ${teacherName} đã nghỉ việc`;

/** The line on the PDF and the screens for a year extracted from the paper book. */
export const PAPER_EXTRACT_LINE = 'Trích lục từ học bạ giấy';
