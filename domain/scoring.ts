/**
 * Scoring under Thông tư 22/2021/TT-BGDĐT (grades 6–12), as summarised in assessment-rules.md: score values,
 * subject averages, learning and conduct results, promotion, retest, summer training and awards.
 *
 * Pure and framework-free: no I/O, no clock. The API, the recompute job and the tests all call the same
 * functions, above all `studentYearOutcome`.
 *
 * Conventions:
 * - Scores and averages are canonical decimal strings, the same form server/db/decimal.ts produces
 *   ('8.5', '8', '10'). They are never JS numbers: all arithmetic goes through decimal.js.
 * - Levels (learning and conduct) are 'T' (Tốt), 'K' (Khá), 'D' (Đạt), 'CD' (Chưa đạt), the codes
 *   conduct_records.conduct already stores. Comment-subject results are 'D' (Đạt) and 'CD' (Chưa đạt).
 * - A value that is not there yet is `null`, and whatever depends on it is `null` too (see MissingPolicy).
 * - A wrong value (not a score, an unknown level, a retest nobody may sit) throws ScoringInputError. The
 *   functions never guess.
 */
import Decimal from 'decimal.js';
import { searchKey } from './text';

// ─── Errors and options ──────────────────────────────────────────────────────────────────────────────────

export type ScoringInputErrorCode =
  | 'invalid_value' // not a score, not Đ/CĐ, not a level, not a count
  | 'too_many_assessments' // more regular assessments than the subject has
  | 'unexpected_retest' // a retest result for a subject or student that is not on the retest list
  | 'unexpected_summer_training' // a summer-training result for a student not on that list
  | 'duplicate_subject';

/** The caller handed over data the rules cannot use. Not a user-facing validation message: parse input first. */
export class ScoringInputError extends Error {
  constructor(
    readonly code: ScoringInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScoringInputError';
  }
}

/**
 * What a missing assessment means. TT22 does not say publicly how make-up tests work or when a missed
 * assessment becomes a zero (assessment-rules.md, "Not known publicly"), so we do not guess:
 * - 'incomplete' (the only policy, and the default): a missing cell means "not entered yet". Every average,
 *   Đ/CĐ result, level and decision that depends on it stays `null` until it is entered (a make-up result,
 *   or whatever mark the school decides on).
 * A school-specific rule (e.g. a zero after the make-up window) would be another member of this union.
 */
export type MissingPolicy = 'incomplete';
export interface ScoringOptions {
  missing?: MissingPolicy;
}

function checkOptions(options: ScoringOptions): void {
  const missing = options.missing ?? 'incomplete';
  if (missing !== 'incomplete') throw new ScoringInputError('invalid_value', `unknown missing-assessment policy '${String(missing)}'`);
}

// ─── Values ──────────────────────────────────────────────────────────────────────────────────────────────

export type Parsed<T, E extends string> = { ok: true; value: T } | { ok: false; error: E };
export type ScoreError = 'format' | 'range' | 'precision';
/** A comment-subject result or assessment (Điều 5): Đạt / Chưa đạt. */
export type Comment = 'D' | 'CD';

const SCORE_SYNTAX = /^(-?)(\d+)(?:[.,](\d+))?$/;

/**
 * A score as a teacher types it (Điều 5: a 10-point scale, an integer or one decimal place), with a comma or
 * a point as the decimal separator → its canonical string, or why it is refused:
 * 'format' (not a plain decimal number), 'range' (outside 0–10), 'precision' (more than one decimal: '8.25').
 * Trailing zeros are not extra precision ('8.50' is 8.5). Range is checked before precision ('10.25' → range).
 */
export function parseScore(input: string): Parsed<string, ScoreError> {
  const parsed = parseScoreDecimal(input);
  return parsed.ok ? { ok: true, value: parsed.value.toString() } : parsed;
}

/** parseScore, keeping the Decimal: the averages use it as is rather than parsing the canonical string again. */
function parseScoreDecimal(input: string): Parsed<Decimal, ScoreError> {
  if (typeof input !== 'string') return { ok: false, error: 'format' };
  const m = SCORE_SYNTAX.exec(input.trim());
  if (!m) return { ok: false, error: 'format' };
  const value = new Decimal(`${m[2]}.${m[3] ?? '0'}`);
  // A minus sign is a number below the scale, not a typo we can read past.
  if (m[1] === '-' || value.gt(10)) return { ok: false, error: 'range' };
  if (value.decimalPlaces() > 1) return { ok: false, error: 'precision' };
  return { ok: true, value };
}

/**
 * A comment-subject value (Điều 5) → 'D' | 'CD'. Accepts the abbreviations in any case, with Đ or a plain D
 * (many keyboards and phones lack Đ), NFC or NFD, and the full words ("Đạt", "Chưa đạt", also unaccented).
 * searchKey folds diacritics, đ and case, which is exactly the equivalence we want.
 */
export function parseComment(input: string): Parsed<Comment, 'format'> {
  // The stored forms, by far the most frequent input: no need to fold diacritics.
  if (input === 'D' || input === 'CD') return { ok: true, value: input };
  if (typeof input !== 'string') return { ok: false, error: 'format' };
  switch (searchKey(input)) {
    case 'd':
    case 'dat':
      return { ok: true, value: 'D' };
    case 'cd':
    case 'chua dat':
      return { ok: true, value: 'CD' };
    default:
      return { ok: false, error: 'format' };
  }
}

export type Level = 'T' | 'K' | 'D' | 'CD';
/** Lowest first. */
export const LEVELS: readonly Level[] = ['CD', 'D', 'K', 'T'];
const RANK: Record<Level, number> = { CD: 0, D: 1, K: 2, T: 3 };

/** Is level `a` at or above level `b`? */
export function atLeast(a: Level, b: Level): boolean {
  return RANK[a] >= RANK[b];
}

function levelOf(value: unknown, what: string): Level {
  if (typeof value === 'string' && (LEVELS as readonly string[]).includes(value)) return value as Level;
  throw new ScoringInputError('invalid_value', `${what}: '${String(value)}' is not a level (T, K, D, CD)`);
}

// There are only 101 scores (0, 0.1 … 10) and a few spellings of each: a small memo of parsed ones saves most parsing.
const SCORE_MEMO = new Map<string, Decimal>();
function scoreOf(value: string, what: string): Decimal {
  const known = SCORE_MEMO.get(value);
  if (known) return known;
  const parsed = parseScoreDecimal(value);
  if (!parsed.ok) throw new ScoringInputError('invalid_value', `${what}: '${String(value)}' is not a score (${parsed.error})`);
  if (SCORE_MEMO.size < 1000) SCORE_MEMO.set(value, parsed.value);
  return parsed.value;
}

function commentOf(value: string, what: string): Comment {
  const parsed = parseComment(value);
  if (!parsed.ok) throw new ScoringInputError('invalid_value', `${what}: '${String(value)}' is not Đ or CĐ`);
  return parsed.value;
}

// ─── Averages (Điều 9.1) ─────────────────────────────────────────────────────────────────────────────────

/**
 * Intermediate quotients are truncated (ROUND_DOWN) at 40 significant digits, and only the final step rounds
 * half-up to one decimal. Truncation never carries a quotient across a rounding boundary x.x5 (the boundary
 * is exactly representable and truncation is monotone), so the result is the exact quotient rounded half-up,
 * whatever the denominator. Binary floats get this wrong: 66.8 / 8 = 8.35 prints as 8.3 with toFixed(1).
 */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_DOWN });

/** numerator / denominator, rounded half up to one decimal (Điều 9.1), as a canonical string. */
function roundedQuotient(numerator: Decimal, denominator: number): string {
  return new Exact(numerator).div(denominator).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toString();
}

function checkCount(regularCount: number): void {
  if (!Number.isInteger(regularCount) || regularCount < 0) {
    throw new ScoringInputError('invalid_value', `regular assessment count must be a whole number ≥ 0, not ${regularCount}`);
  }
}

/**
 * The regular assessments actually present, or null while fewer than `regularCount` are (MissingPolicy
 * 'incomplete'). More than `regularCount` is a data error: the count is fixed per subject (Điều 7;
 * domain/assessment-count.ts), so an extra cell is not silently averaged in.
 */
function presentRegular<T>(regular: readonly (T | null | undefined)[], regularCount: number, what: string): T[] | null {
  checkCount(regularCount);
  const present = regular.filter((r): r is T => r !== null && r !== undefined);
  if (present.length > regularCount) {
    throw new ScoringInputError('too_many_assessments', `${what}: ${present.length} regular assessments, the subject has ${regularCount}`);
  }
  return present.length < regularCount ? null : present;
}

/**
 * Điều 9.1: ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (number of ĐĐGtx + 5), rounded half up to one decimal.
 * `regularCount` is the subject's required number of regular assessments (regularAssessmentCount in
 * domain/assessment-count.ts); it defaults to the number of slots passed, a null slot being a missing score.
 * Null while any required score is missing (MissingPolicy 'incomplete').
 */
export function semesterAverage(
  regular: readonly (string | null)[],
  midterm: string | null,
  final: string | null,
  regularCount: number = regular.length,
  options: ScoringOptions = {},
): string | null {
  checkOptions(options);
  const present = presentRegular(regular, regularCount, 'semester average');
  if (present === null || midterm === null || midterm === undefined || final === null || final === undefined) return null;
  const regularSum = present.reduce((sum, s) => sum.plus(scoreOf(s, 'regular assessment')), new Decimal(0));
  const numerator = regularSum.plus(scoreOf(midterm, 'midterm').times(2)).plus(scoreOf(final, 'final').times(3));
  return roundedQuotient(numerator, present.length + 5);
}

/**
 * Điều 9.1: ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3, from the semester averages *as rounded*, rounded half up.
 * An unrounded semester average ('8.25') is refused: it would silently give a different year average.
 */
export function yearAverage(semester1: string | null, semester2: string | null): string | null {
  if (semester1 === null || semester1 === undefined || semester2 === null || semester2 === undefined) return null;
  return roundedQuotient(scoreOf(semester1, 'semester I average').plus(scoreOf(semester2, 'semester II average').times(2)), 3);
}

/**
 * Điều 9.1, comment subjects: the semester is Đạt when the student has every required assessment (regular,
 * midterm, final) and all of them are Đạt; otherwise Chưa đạt. Under MissingPolicy 'incomplete' a missing
 * assessment is "not entered yet", so the result is null until it is (not Chưa đạt: that would be the
 * make-up/zero rule we do not know).
 */
export function semesterComment(
  regular: readonly (string | null)[],
  midterm: string | null,
  final: string | null,
  regularCount: number = regular.length,
  options: ScoringOptions = {},
): Comment | null {
  checkOptions(options);
  const present = presentRegular(regular, regularCount, 'semester comment');
  if (present === null || midterm === null || midterm === undefined || final === null || final === undefined) return null;
  const all = [...present.map((r) => commentOf(r, 'regular assessment')), commentOf(midterm, 'midterm'), commentOf(final, 'final')];
  return all.every((c) => c === 'D') ? 'D' : 'CD';
}

/** Điều 9.1, comment subjects: the year result is semester II's. Semester I does not enter into it. */
export function yearComment(semester2: Comment | null): Comment | null {
  return semester2 === null || semester2 === undefined ? null : commentOf(semester2, 'semester II comment');
}

// ─── Learning result (Điều 9.2, 9.3) ─────────────────────────────────────────────────────────────────────

/** One subject's result for a semester (ĐTBmhk or Đ/CĐ) or for the year (ĐTBmcn or Đ/CĐ). */
export type SubjectResult =
  | { subject: string; kind: 'scored'; average: string | null }
  | { subject: string; kind: 'comment'; result: Comment | null };

export interface LearningResult {
  /** The level, after the one-subject adjustment of Điều 9.3. */
  level: Level;
  /** The level by the table of Điều 9.2 alone. */
  unadjusted: Level;
  /** The one subject that pulled the level down two or more steps (Điều 9.3), when the level was raised. */
  liftedBecauseOf: string | null;
}

/**
 * A subject result as the level table reads it. Scores are compared in integer tenths (8.3 → 83): exact for the
 * one-decimal values TT22 uses, and much cheaper than a Decimal per comparison across a whole school.
 */
type Graded =
  | { subject: string; kind: 'scored'; tenths: number }
  | { subject: string; kind: 'comment'; result: Comment };

const SIX = 6; // "at least 6 subjects" (Điều 9.2, Điều 15)
// The thresholds of Điều 9.2, in tenths.
const T3_5 = 35;
const T5_0 = 50;
const T6_5 = 65;
const T8_0 = 80;

const TENTHS_MEMO = new Map<string, number>();
/** A score in tenths, exactly (Decimal does the ×10; the result is an integer for any one-decimal score). */
function tenthsOf(value: string, what: string): number {
  const known = TENTHS_MEMO.get(value);
  if (known !== undefined) return known;
  const tenths = scoreOf(value, what).times(10).toNumber();
  if (TENTHS_MEMO.size < 1000) TENTHS_MEMO.set(value, tenths);
  return tenths;
}

/** The table of Điều 9.2, the same for a semester (ĐTBmhk) and for the year (ĐTBmcn). */
function tableLevel(subjects: readonly Graded[]): Level {
  let commentFails = 0;
  let scored = 0;
  let below35 = 0;
  let atLeast50 = 0;
  let atLeast65 = 0;
  let atLeast80 = 0;
  for (const s of subjects) {
    if (s.kind === 'comment') {
      if (s.result === 'CD') commentFails++;
      continue;
    }
    scored++;
    if (s.tenths < T3_5) below35++;
    if (s.tenths >= T5_0) atLeast50++;
    if (s.tenths >= T6_5) atLeast65++;
    if (s.tenths >= T8_0) atLeast80++;
  }
  // Tốt: all comment subjects Đạt; every scored subject ≥ 6.5, at least 6 of them ≥ 8.0.
  if (commentFails === 0 && atLeast65 === scored && atLeast80 >= SIX) return 'T';
  // Khá: all comment subjects Đạt; every scored subject ≥ 5.0, at least 6 of them ≥ 6.5.
  if (commentFails === 0 && atLeast50 === scored && atLeast65 >= SIX) return 'K';
  // Đạt: at most one comment subject Chưa đạt; at least 6 scored subjects ≥ 5.0, none below 3.5.
  if (commentFails <= 1 && atLeast50 >= SIX && below35 === 0) return 'D';
  return 'CD';
}

/** The per-subject floor of Tốt and Khá in the table of Điều 9.2 (the "every one ≥ …" clause), in tenths. */
const FLOOR: Record<'T' | 'K', number> = { T: T6_5, K: T5_0 };

function belowFloor(s: Graded, target: 'T' | 'K'): boolean {
  return s.kind === 'comment' ? s.result === 'CD' : s.tenths < FLOOR[target];
}

function atFloor(s: Graded, target: 'T' | 'K'): Graded {
  return s.kind === 'comment' ? { ...s, result: 'D' } : { ...s, tenths: FLOOR[target] };
}

/**
 * The learning result of one semester or of the year: the table of Điều 9.2, then the adjustment of Điều 9.3.
 *
 * Điều 9.3 ("if the level falls two or more steps below Tốt or Khá because of exactly one subject, it is raised
 * by one step"), read precisely as:
 *   Let L be the level by the table. For a target X ∈ {Tốt, Khá} with L at least two steps below X, and for each
 *   single subject S that is below X's per-subject floor (a comment subject rated CĐ; a scored subject under
 *   6.5 for Tốt, under 5.0 for Khá): raise S alone to exactly that floor (CĐ → Đạt; the score → 6.5 or 5.0) and
 *   apply the table again. If that gives X, the level fell because of S alone, and the result is L + 1 — one
 *   step, however far it fell (CĐ because of one subject when Tốt was otherwise earned → Đạt, not Khá).
 * Consequences, each tested:
 * - Raising to the floor, not higher, means the weak subject cannot make up the count clauses: a student with
 *   only five subjects ≥ 8.0 did not "fall from Tốt because of one subject", they never reached Tốt.
 * - Two weak subjects: fixing either alone does not reach X, so there is no adjustment.
 * - The adjustment never reaches Tốt: it needs L ≤ Đạt, so L + 1 ≤ Khá.
 * Null when any subject's result is still missing.
 */
export function learningResult(subjects: readonly SubjectResult[]): LearningResult | null {
  const graded: Graded[] = [];
  for (const s of subjects) {
    if (s.kind === 'scored') {
      if (s.average === null || s.average === undefined) return null;
      graded.push({ subject: s.subject, kind: 'scored', tenths: tenthsOf(s.average, `${s.subject} average`) });
    } else if (s.kind === 'comment') {
      if (s.result === null || s.result === undefined) return null;
      graded.push({ subject: s.subject, kind: 'comment', result: commentOf(s.result, `${s.subject} result`) });
    } else {
      throw new ScoringInputError('invalid_value', `subject kind must be 'scored' or 'comment'`);
    }
  }
  const unadjusted = tableLevel(graded);
  for (const target of ['T', 'K'] as const) {
    if (RANK[target] - RANK[unadjusted] < 2) continue;
    for (let i = 0; i < graded.length; i++) {
      if (!belowFloor(graded[i], target)) continue;
      const fixed = graded.map((s, j) => (j === i ? atFloor(s, target) : s));
      if (tableLevel(fixed) === target) {
        return { level: LEVELS[RANK[unadjusted] + 1], unadjusted, liftedBecauseOf: graded[i].subject };
      }
    }
  }
  return { level: unadjusted, unadjusted, liftedBecauseOf: null };
}

// ─── Conduct (Điều 8) ────────────────────────────────────────────────────────────────────────────────────

/**
 * Điều 8, the year's conduct result from the two semesters' (semester II weighs more):
 * - Tốt: HK2 Tốt and HK1 at least Khá.
 * - Khá: HK2 Khá and HK1 at least Đạt; HK2 Đạt and HK1 Tốt; HK2 Tốt and HK1 Đạt or Chưa đạt.
 * - Đạt: HK2 Đạt and HK1 Khá, Đạt or Chưa đạt; HK2 Khá and HK1 Chưa đạt.
 * - Chưa đạt: otherwise, i.e. whenever HK2 is Chưa đạt.
 */
export function conductYearResult(semester1: Level | null, semester2: Level | null): Level | null {
  if (semester1 === null || semester1 === undefined || semester2 === null || semester2 === undefined) return null;
  const hk1 = levelOf(semester1, 'semester I conduct');
  switch (levelOf(semester2, 'semester II conduct')) {
    case 'T':
      return atLeast(hk1, 'K') ? 'T' : 'K';
    case 'K':
      return atLeast(hk1, 'D') ? 'K' : 'D';
    case 'D':
      return hk1 === 'T' ? 'K' : 'D';
    case 'CD':
      return 'CD';
  }
}

// ─── Retest, promotion, awards (Điều 12–15) ──────────────────────────────────────────────────────────────

/** Điều 12: more than this many sessions absent in the year (excused or not) → held back, no retest. */
export const MAX_ABSENCES = 45;

/** Retest results by subject: a score for a scored subject, Đ/CĐ for a comment subject. */
export type RetestResults = Readonly<Record<string, string>>;

/**
 * Điều 13–14: the subjects a student whose year learning result is Chưa đạt is retested in — comment subjects
 * rated Chưa đạt and scored subjects with ĐTBmcn below 5.0. Whether the student is retested at all (conduct,
 * absences) is decided by studentYearOutcome. Subjects whose year result is missing are not listed.
 */
export function retestSubjects(yearSubjects: readonly SubjectResult[]): string[] {
  return yearSubjects
    .filter((s) =>
      s.kind === 'comment'
        ? s.result !== null && s.result !== undefined && commentOf(s.result, s.subject) === 'CD'
        : s.average !== null && s.average !== undefined && tenthsOf(s.average, s.subject) < T5_0,
    )
    .map((s) => s.subject);
}

/**
 * Điều 13–14: each retest result replaces that subject's year result; the others stay as they were. Returns new
 * objects and leaves `yearSubjects` untouched, because the originals are kept as their own records beside the
 * retest results (the transcript shows both columns). A retest for a subject not on the retest list throws.
 * A listed subject without a retest result keeps its original result (Điều 13 lets the retest cover the
 * listed subjects; one that was not sat changes nothing).
 */
export function afterRetest(yearSubjects: readonly SubjectResult[], retests: RetestResults): SubjectResult[] {
  const eligible = new Set(retestSubjects(yearSubjects));
  for (const subject of Object.keys(retests)) {
    if (!eligible.has(subject)) throw new ScoringInputError('unexpected_retest', `${subject} is not on the retest list`);
  }
  return yearSubjects.map((s): SubjectResult => {
    const retest = Object.hasOwn(retests, s.subject) ? retests[s.subject] : undefined;
    if (retest === undefined) return { ...s };
    return s.kind === 'scored'
      ? { ...s, average: scoreOf(retest, `${s.subject} retest`).toString() }
      : { ...s, result: commentOf(retest, `${s.subject} retest`) };
  });
}

export type Award = 'excellent' | 'very_good';

/**
 * Điều 15: Học sinh Xuất sắc — year conduct Tốt, year learning Tốt and at least 6 scored subjects with
 * ĐTBmcn ≥ 9.0; Học sinh Giỏi — year conduct Tốt and year learning Tốt, when not Xuất sắc.
 * Judged on the year results proper: a student with a retest or summer training was not Tốt in the first place.
 */
export function award(conductYear: Level | null, learningYear: Level | null, yearSubjects: readonly SubjectResult[]): Award | null {
  if (conductYear !== 'T' || learningYear !== 'T') return null;
  const nineOrMore = yearSubjects.filter(
    (s) => s.kind === 'scored' && s.average !== null && s.average !== undefined && tenthsOf(s.average, s.subject) >= 90,
  ).length;
  return nineOrMore >= SIX ? 'excellent' : 'very_good';
}

// ─── One student's year ──────────────────────────────────────────────────────────────────────────────────

export interface SemesterEntries {
  /** The regular assessments (ĐĐGtx), null for one not entered. Scores, or Đ/CĐ for a comment subject. */
  regular: readonly (string | null)[];
  midterm: string | null;
  final: string | null;
}

export interface SubjectInput {
  subject: string;
  kind: 'scored' | 'comment';
  /** Required regular assessments per semester: regularAssessmentCount() from domain/assessment-count.ts. */
  regularCount: number;
  hk1: SemesterEntries;
  hk2: SemesterEntries;
}

export interface StudentYearInput {
  subjects: readonly SubjectInput[];
  /** Conduct per semester, set by the homeroom teacher (Điều 8). */
  conduct: { hk1: Level | null; hk2: Level | null };
  /** Sessions absent in the whole year, excused and unexcused, both semesters (Điều 12). */
  absences: number;
  /** Conduct re-assessed after summer training (Điều 12, 14), once it has taken place. */
  summerTraining?: Level | null;
  /**
   * Retest results (Điều 13–14), once the retest has taken place: subject → score or Đ/CĐ. Absent or null:
   * not held yet. A listed subject missing from the object keeps its original year result.
   */
  retests?: RetestResults | null;
}

export interface SubjectOutcome {
  subject: string;
  kind: 'scored' | 'comment';
  /** ĐTBmhk (scored) or Đ/CĐ (comment); null until complete. */
  hk1: string | null;
  hk2: string | null;
  /** ĐTBmcn or the year's Đ/CĐ, as computed from the semesters — the original, kept when a retest replaces it. */
  year: string | null;
  /** The retest result, when this subject was retested. */
  retest: string | null;
  /** The year result that counts: the retest result if there is one, otherwise `year`. */
  final: string | null;
}

export type Decision =
  | 'promoted' // lên lớp
  | 'held_back' // ở lại lớp
  | 'summer_training' // waiting for summer conduct training
  | 'retest' // waiting for the retest
  | 'incomplete'; // a score, comment or conduct result is still missing
export type HeldBackReason = 'absences' | 'conduct' | 'learning';

export interface MissingItem {
  what: 'subject' | 'conduct';
  /** For a subject: which one. */
  subject?: string;
  semester: 'hk1' | 'hk2';
}

export interface StudentYearOutcome {
  subjects: SubjectOutcome[];
  learning: {
    hk1: LearningResult | null;
    hk2: LearningResult | null;
    /** From the year results proper. */
    year: LearningResult | null;
    /** Recomputed after the retest (Điều 13–14); null when there was none. */
    afterRetest: LearningResult | null;
    /** The level that counts for promotion: afterRetest's if any, otherwise year's. */
    final: Level | null;
  };
  conduct: {
    hk1: Level | null;
    hk2: Level | null;
    year: Level | null;
    /** The re-assessment after summer training, which replaces the year result (Điều 12, 14). */
    afterSummerTraining: Level | null;
    /** The level that counts for promotion. */
    final: Level | null;
  };
  absences: number;
  /** On the summer conduct training list (year conduct Chưa đạt, absences within the limit). */
  summerTraining: boolean;
  /** On the retest list: these subjects (empty when there is no retest). */
  retestSubjects: string[];
  decision: Decision;
  /** Why, when held back (all that apply). */
  heldBackReasons: HeldBackReason[];
  /** true / false once decided; null while incomplete or waiting for summer training or the retest. */
  promoted: boolean | null;
  award: Award | null;
  /** What is still missing (MissingPolicy 'incomplete'). */
  missing: MissingItem[];
}

/**
 * Everything TT22 computes for one student's school year, from the raw cells:
 * per-subject semester and year results (Điều 9.1), semester and year learning results (Điều 9.2–9.3), the year
 * conduct result (Điều 8), then promotion (Điều 12), summer training and retest (Điều 12–14) and the award
 * (Điều 15). Cells may be typed input ('8,5', 'đ'): they go through parseScore/parseComment, and a value that
 * does not parse throws ScoringInputError.
 *
 * The order of the decision:
 * 1. More than 45 sessions absent → held back, with neither retest nor summer training (Điều 12), even if
 *    other data is missing.
 * 2. Year conduct or year learning not computable yet → incomplete.
 * 3. Year conduct Chưa đạt → summer training list; until its result is given, decision 'summer_training'. The
 *    result replaces the year conduct; still Chưa đạt → held back.
 * 4. Conduct (after any summer training) ≥ Đạt and year learning Chưa đạt → retest list; until results are
 *    given, decision 'retest'. Results replace the subjects' year results and the learning result is computed
 *    again (with Điều 9.3); still Chưa đạt → held back.
 *    Read literally, a student whose conduct stays Chưa đạt after summer training is not retested: they are
 *    held back for conduct (and for learning, if that is Chưa đạt too).
 * 5. Otherwise promoted.
 * Retest or summer-training results for a student not (or not yet) on that list throw: they mean the data
 * changed under them (e.g. a corrected mark) and a person has to look.
 */
export function studentYearOutcome(input: StudentYearInput, options: ScoringOptions = {}): StudentYearOutcome {
  checkOptions(options);
  if (!Number.isInteger(input.absences) || input.absences < 0) {
    throw new ScoringInputError('invalid_value', `absences must be a whole number ≥ 0, not ${input.absences}`);
  }
  const seen = new Set<string>();
  for (const s of input.subjects) {
    if (seen.has(s.subject)) throw new ScoringInputError('duplicate_subject', `${s.subject} appears twice`);
    seen.add(s.subject);
  }

  const missing: MissingItem[] = [];
  const subjects: SubjectOutcome[] = input.subjects.map((s) => {
    const semester = (sem: 'hk1' | 'hk2'): string | null => {
      const e = s[sem];
      const result =
        s.kind === 'scored'
          ? semesterAverage(e.regular, e.midterm, e.final, s.regularCount, options)
          : s.kind === 'comment'
            ? semesterComment(e.regular, e.midterm, e.final, s.regularCount, options)
            : invalidKind(s.subject);
      if (result === null) missing.push({ what: 'subject', subject: s.subject, semester: sem });
      return result;
    };
    const hk1 = semester('hk1');
    const hk2 = semester('hk2');
    const year = s.kind === 'scored' ? yearAverage(hk1, hk2) : yearComment(hk2 as Comment | null);
    return { subject: s.subject, kind: s.kind, hk1, hk2, year, retest: null, final: year };
  });

  const resultsOf = (pick: (o: SubjectOutcome) => string | null): SubjectResult[] =>
    subjects.map((o) =>
      o.kind === 'scored'
        ? { subject: o.subject, kind: 'scored', average: pick(o) }
        : { subject: o.subject, kind: 'comment', result: pick(o) as Comment | null },
    );
  const yearSubjects = resultsOf((o) => o.year);
  const learningYear = learningResult(yearSubjects);

  const conductHk1 = input.conduct.hk1 === null || input.conduct.hk1 === undefined ? null : levelOf(input.conduct.hk1, 'semester I conduct');
  const conductHk2 = input.conduct.hk2 === null || input.conduct.hk2 === undefined ? null : levelOf(input.conduct.hk2, 'semester II conduct');
  if (conductHk1 === null) missing.push({ what: 'conduct', semester: 'hk1' });
  if (conductHk2 === null) missing.push({ what: 'conduct', semester: 'hk2' });
  const conductYear = conductYearResult(conductHk1, conductHk2);

  const outcome: StudentYearOutcome = {
    subjects,
    learning: {
      hk1: learningResult(resultsOf((o) => o.hk1)),
      hk2: learningResult(resultsOf((o) => o.hk2)),
      year: learningYear,
      afterRetest: null,
      final: learningYear?.level ?? null,
    },
    conduct: { hk1: conductHk1, hk2: conductHk2, year: conductYear, afterSummerTraining: null, final: conductYear },
    absences: input.absences,
    summerTraining: false,
    retestSubjects: [],
    decision: 'incomplete',
    heldBackReasons: [],
    promoted: null,
    // Điều 15 looks at the year results proper; it does not depend on absences.
    award: award(conductYear, learningYear?.level ?? null, yearSubjects),
    missing,
  };

  const summerTraining = input.summerTraining ?? null;
  const retests = input.retests ?? null;
  const refuseSummerTraining = () => {
    if (summerTraining !== null) {
      throw new ScoringInputError('unexpected_summer_training', 'a summer-training result for a student not on the summer-training list');
    }
  };
  const refuseRetests = () => {
    if (retests !== null && Object.keys(retests).length > 0) {
      throw new ScoringInputError('unexpected_retest', 'retest results for a student not on the retest list');
    }
  };
  const heldBack = (reasons: HeldBackReason[]): StudentYearOutcome => ({ ...outcome, decision: 'held_back', heldBackReasons: reasons, promoted: false });

  // 1. Điều 12: over 45 sessions absent → held back; no retest, no summer training.
  if (input.absences > MAX_ABSENCES) {
    refuseSummerTraining();
    refuseRetests();
    return heldBack(['absences']);
  }
  // 2. Nothing to decide yet.
  if (conductYear === null || learningYear === null) {
    refuseSummerTraining();
    refuseRetests();
    return outcome;
  }

  // 3. Điều 12, 14: year conduct Chưa đạt → summer training; its result replaces the year conduct.
  let conduct = conductYear;
  if (conductYear === 'CD') {
    outcome.summerTraining = true;
    if (summerTraining === null) {
      refuseRetests();
      return { ...outcome, decision: 'summer_training' };
    }
    conduct = levelOf(summerTraining, 'summer-training conduct');
    outcome.conduct = { ...outcome.conduct, afterSummerTraining: conduct, final: conduct };
  } else {
    refuseSummerTraining();
  }
  if (conduct === 'CD') {
    refuseRetests();
    return heldBack(learningYear.level === 'CD' ? ['conduct', 'learning'] : ['conduct']);
  }

  // 4. Điều 12–14: conduct ≥ Đạt but learning Chưa đạt → retest; results replace the subjects' year results.
  if (learningYear.level === 'CD') {
    outcome.retestSubjects = retestSubjects(yearSubjects);
    if (retests === null) return { ...outcome, decision: 'retest' };
    const retested = afterRetest(yearSubjects, retests);
    const relearned = learningResult(retested);
    outcome.subjects = subjects.map((o, i) => {
      const r = retested[i];
      const final = r.kind === 'scored' ? r.average : r.result;
      return Object.hasOwn(retests, o.subject) ? { ...o, retest: final, final } : o;
    });
    outcome.learning = { ...outcome.learning, afterRetest: relearned, final: relearned?.level ?? null };
    if (relearned === null || relearned.level === 'CD') return heldBack(['learning']);
    return { ...outcome, decision: 'promoted', promoted: true };
  }
  refuseRetests();

  // 5. Điều 12: conduct ≥ Đạt, learning ≥ Đạt, absences within the limit.
  return { ...outcome, decision: 'promoted', promoted: true };
}

function invalidKind(subject: string): never {
  throw new ScoringInputError('invalid_value', `${subject}: subject kind must be 'scored' or 'comment'`);
}
