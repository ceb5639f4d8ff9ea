import type { Knex } from 'knex';
import { z } from 'zod';
import { toBool } from '../db/knex';
import { AppError, type FieldError } from '../core/errors';
import { type MessageKey } from '../core/i18n';

/** Helpers shared by the school-organisation resources. */

type Conn = Knex | Knex.Transaction;
type Params = Record<string, string | number>;

export const entityId = z.number().int().positive();
export const code = (max = 32) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/);

/** A 400 naming one field (several fields: pass an object). */
export function invalid(field: string, key: MessageKey, params?: Params): AppError {
  return new AppError('invalid', 'validation', {}, { [field]: params ? { key, params } : { key } });
}

export function invalidFields(errors: Record<string, FieldError>): AppError {
  return new AppError('invalid', 'validation', {}, errors);
}

/** A 409 for a value that must be unique: the message names the duplicate, the field is marked too. */
export function duplicate(field: string, detail: string | number): AppError {
  return new AppError('conflict', 'conflict', { detail }, { [field]: { key: 'conflict', params: { detail } } });
}

/** A 409 for a state the request cannot apply to (the student already left, is already in a class …). */
export function stateConflict(field: string, key: MessageKey, params: Params = {}): AppError {
  return new AppError('conflict', key, params, { [field]: { key, params } });
}

/**
 * Refuses to delete a row other rows still point at. Checked explicitly (rather than waiting for the foreign key)
 * so the answer is the same on both databases and the transaction is still usable.
 */
export async function assertUnreferenced(trx: Conn, id: number, refs: Array<[table: string, column: string]>): Promise<void> {
  for (const [table, column] of refs) {
    const row = await trx(table).where(column, id).first('id');
    if (row) throw new AppError('conflict', 'referenced');
  }
}

/** THCS teaches grades 6–9, THPT grades 10–12 (Luật Giáo dục 2019, Điều 28). */
export function gradesForLevel(level: string): number[] {
  if (level === 'THCS') return [6, 7, 8, 9];
  if (level === 'THPT') return [10, 11, 12];
  return [6, 7, 8, 9, 10, 11, 12];
}

export async function gradesOfSchool(trx: Conn, schoolId: number): Promise<number[]> {
  const school = (await trx('schools').where({ id: schoolId }).first('level')) as { level: string } | undefined;
  return gradesForLevel(school?.level ?? '');
}

export interface YearRow {
  id: number;
  school_id: number;
  name: string;
  start_date: string;
  end_date: string;
  is_current: boolean;
}

export async function loadYear(trx: Conn, id: number): Promise<YearRow | undefined> {
  const row = (await trx('school_years').where({ id }).first()) as (Omit<YearRow, 'is_current'> & { is_current: unknown }) | undefined;
  return row ? { ...row, id: Number(row.id), school_id: Number(row.school_id), is_current: toBool(row.is_current) } : undefined;
}

export interface ClassRow {
  id: number;
  school_id: number;
  school_year_id: number;
  grade: number;
  name: string;
}

export async function loadClass(trx: Conn, id: number): Promise<ClassRow | undefined> {
  const row = (await trx('classes').where({ id }).first('id', 'school_id', 'school_year_id', 'grade', 'name')) as ClassRow | undefined;
  return row
    ? { ...row, id: Number(row.id), school_id: Number(row.school_id), school_year_id: Number(row.school_year_id), grade: Number(row.grade) }
    : undefined;
}

/** dd/mm/yyyy, as dates are written in Vietnamese schools. */
export function vnDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** The day after / before a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Checks a period: end after start ("must be from <start + 1 day>" on the end date). */
export function assertStartBeforeEnd(start: string, end: string, endField = 'endDate', allowSameDay = false): void {
  if (allowSameDay ? end < start : end <= start) {
    throw invalid(endField, 'dateFrom', { min: vnDate(allowSameDay ? start : addDays(start, 1)) });
  }
}

/** Checks that a date lies within [from, to]. */
export function assertWithin(date: string, from: string, to: string, field: string): void {
  if (date < from) throw invalid(field, 'dateFrom', { min: vnDate(from) });
  if (date > to) throw invalid(field, 'dateUntil', { max: vnDate(to) });
}

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The fields a partial update actually sends, ready to spread over the existing record. */
export function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
