/**
 * How scores show on every page (grade book, result lists, class summary, unlock and correction requests): values as
 * the server stores them, column names as TT22 writes them.
 */

/** A score column's kind: regular assessments (ĐĐGtx), the midterm (ĐĐGgk) and the final (ĐĐGck). */
export type Kind = 'regular' | 'midterm' | 'final';

/** A stored value as the grid shows it: 8,5 (decimal comma in Vietnamese), Đ / CĐ. */
export function displayValue(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (value === 'D') return 'Đ';
  if (value === 'CD') return 'CĐ';
  return locale === 'en' ? value : value.replace('.', ',');
}

/** Column headers of TT22: ĐĐGtx 1..n, ĐĐGgk, ĐĐGck (the same in both languages: they are the official names). */
export function columnLabel(kind: Kind, seq: number): string {
  return kind === 'regular' ? `ĐĐGtx ${seq}` : kind === 'midterm' ? 'ĐĐGgk' : 'ĐĐGck';
}
