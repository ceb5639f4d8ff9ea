import { z } from 'zod';

/** Reusable field schemas with the checks a school expects. */

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isRealDate(s), { params: { key: 'dateFormat' } });

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

/** Text is stored NFC-normalised, so "Nguyễn" typed on any keyboard compares and prints the same. */
export const name = (max = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((s) => s.normalize('NFC'));

export const optionalText = (max = 300) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' || v === undefined || v === null ? null : v.normalize('NFC')));

export const sex = z.enum(['male', 'female']);
