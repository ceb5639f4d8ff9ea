import { parseComment, parseScore, semesterAverage, semesterComment, yearAverage, yearComment, type Comment } from '../../../domain/scoring';
import type { AssessmentType, Kind } from './types';

/**
 * What the grid does with a typed value, mirroring the server's check (server/gradebook/grid.ts parseValue, TT22
 * Điều 5): a score 0–10 with at most one decimal ("8,5" or "8.5") for scored subjects, Đ/CĐ (also D/CD, "Đạt",
 * "Chưa đạt") for comment subjects, and an empty text clears the cell. Error codes are the server's message keys,
 * translated under app.gradebook.error.
 */
export type CellErrorCode = 'scoreFormat' | 'scoreRange' | 'scorePrecision' | 'letterInScoredSubject' | 'commentFormat' | 'numberInCommentSubject';
export type CellParse = { ok: true; value: string | null } | { ok: false; error: CellErrorCode };

export function parseCell(type: AssessmentType, text: string): CellParse {
  if (text.trim() === '') return { ok: true, value: null };
  if (type === 'comment') {
    const c = parseComment(text);
    if (c.ok) return { ok: true, value: c.value };
    return { ok: false, error: parseScore(text).ok ? 'numberInCommentSubject' : 'commentFormat' };
  }
  const s = parseScore(text);
  if (s.ok) return { ok: true, value: s.value };
  if (parseComment(text).ok || /\p{L}/u.test(text)) return { ok: false, error: 'letterInScoredSubject' };
  return { ok: false, error: s.error === 'range' ? 'scoreRange' : s.error === 'precision' ? 'scorePrecision' : 'scoreFormat' };
}

/**
 * Text copied from Excel / LibreOffice / Google Sheets: rows separated by newlines, cells by tabs. A single trailing
 * newline (Excel always adds one) is not an extra empty row; quoted cells with embedded newlines are not expected
 * in a score column and are read literally.
 */
export function parseClipboard(text: string): string[][] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const trimmed = normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
  if (trimmed === '') return [['']];
  return trimmed.split('\n').map((line) => line.split('\t').map((cell) => cell.trim()));
}

/**
 * The semester result of one row from the values it shows now (stored or typed), so ĐTBmhk follows the teacher's
 * typing before the save (Điều 9.1; the server recomputes the same on save). Null while anything is missing.
 */
export function liveSemesterResult(type: AssessmentType, regularCount: number, values: (kind: Kind, seq: number) => string | null): string | null {
  const regular = Array.from({ length: regularCount }, (_, i) => values('regular', i + 1));
  try {
    return type === 'scored'
      ? semesterAverage(regular, values('midterm', 1), values('final', 1), regularCount)
      : semesterComment(regular, values('midterm', 1), values('final', 1), regularCount);
  } catch {
    return null;
  }
}

/** ĐTBmcn from semester I's result and this semester's (Điều 9.1); comment subjects take semester II's. */
export function liveYearResult(type: AssessmentType, first: string | null | undefined, second: string | null): string | null {
  try {
    return type === 'scored' ? yearAverage(first ?? null, second) : yearComment(second as Comment | null);
  } catch {
    return null;
  }
}
