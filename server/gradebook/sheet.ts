import type { Kind } from './cells';

/**
 * The grade book as a spreadsheet (issue 12). The export (server/exports/gradebook.ts) writes these headers and
 * title labels and the score import (server/imports/scores.ts) finds its columns and checks its title by them, so
 * a file exported, edited in Excel and imported again lines up. The words are TT22's and the school's: the file is
 * a Vietnamese record whatever the language of the portal.
 */

/** TT22's column names: ĐĐGtx 1..n, ĐĐGgk, ĐĐGck (the grid shows the same). */
export function columnHeader(kind: Kind, seq: number): string {
  return kind === 'regular' ? `ĐĐGtx ${seq}` : kind === 'midterm' ? 'ĐĐGgk' : 'ĐĐGck';
}

/** What teachers also write over a score column in their own sheets (matched without case, diacritics or spaces). */
export function columnAliases(kind: Kind, seq: number): string[] {
  if (kind === 'regular') return [`ĐĐGtx${seq}`, `ĐGtx ${seq}`, `TX ${seq}`, `TX${seq}`, `Thường xuyên ${seq}`, `Điểm TX ${seq}`, `Điểm TX${seq}`];
  if (kind === 'midterm') return ['GK', 'Giữa kỳ', 'Giữa kì', 'ĐGgk', 'Điểm giữa kỳ', 'Điểm GK'];
  return ['CK', 'Cuối kỳ', 'Cuối kì', 'ĐGck', 'Điểm cuối kỳ', 'Điểm CK'];
}

export const HEADERS = {
  no: 'STT',
  studentCode: 'Mã học sinh',
  studentCodeAliases: ['Mã HS', 'Mã số học sinh'],
  fullName: 'Họ và tên',
  comment: 'Nhận xét',
  commentAliases: ['Nhận xét của giáo viên', 'Nhận xét của GV', 'Nhận xét của giáo viên bộ môn'],
} as const;

/** The headers of the computed columns (written by the export, never read back). */
export function resultHeaders(scored: boolean, semesterNumber: number): string[] {
  if (scored) return semesterNumber === 2 ? ['ĐTBmhk I', 'ĐTBmhk II', 'ĐTBmcn'] : ['ĐTBmhk'];
  return semesterNumber === 2 ? ['KQ HK I', 'KQ HK II', 'KQ cả năm'] : ['KQ học kỳ'];
}

/** The title's "label: value" cells that say which grade book a file is; the import checks each one it finds. */
export const TITLE_LABELS = { class: 'Lớp', subject: 'Môn học', semester: 'Học kỳ', year: 'Năm học' } as const;
export type TitleField = keyof typeof TITLE_LABELS;

/** 'I' / 'II', as semesters are written on Vietnamese records. */
export const semesterRoman = (n: number) => (n === 2 ? 'II' : 'I');

export const GRADEBOOK_TITLE = 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH';
