import type { Db } from '../db/knex';

/** What every printed book's snapshot starts with: the run, its code and where the QR leads, who approved, when. */
export interface RunStamp {
  runId: number;
  code: string;
  /** Where the QR code leads (the public check of this code). */
  verifyUrl: string;
  approvedAt: string;
  approvedBy: string;
}

/** dd/mm/yyyy of a stored yyyy-mm-dd date, '' for none. */
export function ddmmyyyy(date: string | null | undefined): string {
  if (!date) return '';
  const [y, m, d] = String(date).slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export const sexLabel = (s: unknown) => (s === 'female' ? 'Nữ' : s === 'male' ? 'Nam' : String(s ?? ''));

/** Text as printed: NFC (a name typed on a phone may arrive decomposed), empty for none. */
export const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).normalize('NFC').trim());

/** A parent as the books write it: "Nguyễn Văn A (nông dân)"; '' when unknown. */
export function person(name: unknown, occupation: unknown): string {
  const n = text(name);
  const o = text(occupation);
  return n ? (o ? `${n} (${o})` : n) : '';
}

export async function schoolOf(db: Db, schoolId: number): Promise<{ name: string; code: string }> {
  const s = await db('schools').where({ id: schoolId }).first('name', 'code');
  return { name: text(s?.name), code: text(s?.code) };
}
