import type { Level } from './types';

/**
 * How the transcript prints what the grade book stores (TT22 Điều 9: averages to one decimal; Điều 5: comment
 * subjects Đạt / Chưa đạt). Pure: the XML mapping and the PDF both use these, so the two copies say the same.
 */

const SCORE = /^(10|\d)(?:\.(\d))?$/;

/** '7' → '7,0', '8.3' → '8,3', '10' → '10,0'. Inputs are the grade book's canonical one-decimal strings. */
export function formatScore(value: string): string {
  const m = SCORE.exec(value.trim());
  // Anything else (two decimals, 10.5, a level code) is a bug upstream: printing it would misstate a result.
  if (!m || (m[1] === '10' && m[2] !== undefined && m[2] !== '0')) throw new RangeError(`not a one-decimal score: "${value}"`);
  return `${m[1]},${m[2] ?? '0'}`;
}

const LEVEL_CODE: Record<Level, string> = { T: 'T', K: 'K', D: 'Đ', CD: 'CĐ' };
const LEVEL_LABEL: Record<Level, string> = { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' };

/** The code the XML carries for a learning or conduct level: T, K, Đ, CĐ (the ministry data dictionary). */
export function levelCode(level: Level): string {
  return LEVEL_CODE[level];
}

/** The level in words, as the paper form writes it: "Tốt", "Khá", "Đạt", "Chưa đạt". */
export function levelLabel(level: Level): string {
  return LEVEL_LABEL[level];
}

export const isLevel = (v: unknown): v is Level => v === 'T' || v === 'K' || v === 'D' || v === 'CD';

/** A comment subject's result: 'D' → 'Đ', 'CD' → 'CĐ' (what both the form and the XML show). */
export function commentResultCode(value: string): string {
  if (value === 'D') return 'Đ';
  if (value === 'CD') return 'CĐ';
  throw new RangeError(`not a comment-subject result: "${value}"`);
}

/** One subject cell as printed: a score with a decimal comma, or Đ / CĐ for a comment subject. */
export function formatSubjectValue(value: string, assessment: 'scored' | 'comment'): string {
  // A retest of a scored subject is a score too; a stored D/CD in a scored row would be caught by formatScore.
  return assessment === 'comment' ? commentResultCode(value) : formatScore(value);
}

/** 'yyyy-mm-dd' → 'dd/mm/yyyy'. */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) throw new RangeError(`not a date: "${isoDate}"`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** The calendar day in Việt Nam (UTC+7 all year, no daylight saving) of an ISO instant, as 'yyyy-mm-dd'. */
export function vietnamDate(isoInstant: string): string {
  const t = Date.parse(isoInstant);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: "${isoInstant}"`);
  return new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
}

/** "ngày 31 tháng 05 năm 2027", the way a signature block dates itself. */
export function longVietnameseDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

export const SEX_LABEL: Record<string, string> = { male: 'Nam', female: 'Nữ', Nam: 'Nam', 'Nữ': 'Nữ' };
