import { parseComment, parseScore } from '../../domain/scoring';
import { type FieldError } from '../core/errors';

/**
 * A value as a teacher typed it, for a subject of this assessment type (TT22 Điều 5): a score 0–10 with at most
 * one decimal (`8,5` or `8.5`) for scored subjects, Đ/CĐ for comment subjects. Null or blank clears a cell.
 * The one place the grid, corrections and retest results read a typed value, with the message that says why not.
 */
export function parseCellValue(assessmentType: string, raw: string | number | null): { value: string | null } | { error: FieldError } {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  const text = String(raw);
  if (assessmentType === 'comment') {
    const c = parseComment(text);
    if (c.ok) return { value: c.value };
    return { error: { key: parseScore(text).ok ? 'numberInCommentSubject' : 'commentFormat' } };
  }
  const s = parseScore(text);
  if (s.ok) return { value: s.value };
  if (parseComment(text).ok || /\p{L}/u.test(text)) return { error: { key: 'letterInScoredSubject' } };
  return { error: { key: s.error === 'range' ? 'scoreRange' : s.error === 'precision' ? 'scorePrecision' : 'scoreFormat' } };
}
