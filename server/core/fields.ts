import { z } from 'zod';
import { DATE_RANGES, dateWithin, nameProblem, normalizeName, textProblem, type NameKind } from '../../domain/text';

/** Reusable field schemas with the checks a school expects. */

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const ANY = DATE_RANGES.any;
const rangeError = (min: string, max: string) => ({ params: { key: 'dateImplausible', params: { min, max } } });

/** A real calendar date, YYYY-MM-DD, between 1900 and 2099 (0000-01-01 is no date a school records). */
export const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isRealDate(s), { params: { key: 'dateFormat' } })
  .refine((s) => dateWithin(s, ANY.min, ANY.max), rangeError(ANY.min, ANY.max));

/** Today in Vietnam (UTC+7), when the input is checked. */
const todayVn = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** A birth date: from 1900 to today. */
export const birthDate = isoDate.superRefine((s, ctx) => {
  const today = todayVn();
  if (!dateWithin(s, DATE_RANGES.birth.min, today)) ctx.addIssue({ code: 'custom', params: { key: 'dateImplausible', params: { min: DATE_RANGES.birth.min, max: today } } });
});

/** A date of the school's calendar (a school year, a semester, an enrolment, a test): 2000–2099. */
export const schoolDate = isoDate.refine((s) => dateWithin(s, DATE_RANGES.school.min, DATE_RANGES.school.max), rangeError(DATE_RANGES.school.min, DATE_RANGES.school.max));

export const nationalId = z.string().refine((s) => /^\d{12}$/.test(s), { params: { key: 'nationalIdFormat' } });

/** The largest value of the integer columns (ids, versions, counts) on PostgreSQL; SQLite is held to it too. */
export const MAX_INT = 2_147_483_647;

export const id = z.number().int().positive().max(MAX_INT);

/** A route's `:id`: digits only, within the integer columns' range; anything else is null (the caller answers 404). */
export function parseIdParam(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw > 0 && raw <= MAX_INT ? raw : null;
  if (typeof raw !== 'string' || !/^[0-9]{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 && n <= MAX_INT ? n : null;
}

/**
 * A name (a person, a school, a department, a subject; `code` for a class such as "6A1"): stored NFC-normalised with
 * plain spaces, so "Nguyễn" typed on any keyboard compares and prints the same; refused if it holds a control or
 * invisible character (a zero-width space makes "6A1" a look-alike twin) or no letter (`code`: no letter or digit).
 * The rules are domain/text.ts's.
 */
export const name = (max = 200, kind: NameKind = 'person') =>
  z
    .string()
    .transform(normalizeName)
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .superRefine((s, ctx) => {
          const problem = nameProblem(s, kind);
          if (problem) ctx.addIssue({ code: 'custom', params: { key: problem } });
        }),
    );

/** An optional name (a parent's, the principal's on a school): '' or absent is null, otherwise `name`'s rules. */
export const optionalName = (max = 200) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), name(max).nullish().transform((v) => v ?? null));

/** Free text as typed (a comment): up to `max` characters, no control or invisible characters (tabs and line breaks allowed). */
export const freeText = (max = 2000) =>
  z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', params: { key: problem } });
    });

/** Optional free text: NFC, trimmed, '' is null; no control or invisible characters (tabs and line breaks allowed). */
export const optionalText = (max = 300) =>
  z
    .string()
    .trim()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', params: { key: problem } });
    })
    .nullish()
    .transform((v) => (v === '' || v === undefined || v === null ? null : v.normalize('NFC')));

export const sex = z.enum(['male', 'female']);
