import type { Knex } from 'knex';
import { invalidField } from './errors';

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23503' || /FOREIGN KEY constraint failed/.test(String(e?.message ?? ''));
}

/** Insert and return the new id on both databases. */
export async function insertReturningId(trx: Knex | Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await trx(table).insert(row).returning('id');
  return typeof r === 'object' ? Number((r as { id: number }).id) : Number(r);
}

/** Refuses a reference to a row of another school (or to nothing). */
export async function assertInSchool(
  trx: Knex | Knex.Transaction,
  table: string,
  id: number | null | undefined,
  schoolId: number,
  fieldName: string,
): Promise<void> {
  if (id === null || id === undefined) return;
  const row = (await trx(table).where({ id }).first('school_id')) as { school_id: number } | undefined;
  if (!row) throw invalidField(fieldName, { key: 'badReference' });
  if (Number(row.school_id) !== schoolId) throw invalidField(fieldName, { key: 'schoolMismatch' });
}
