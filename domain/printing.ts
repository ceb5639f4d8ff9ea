import type { ArchiveBook } from './archive';

/**
 * The printed books (issue 12, seed 000, timeline.md "Printed books and archive"): what a print run prints. Shared by
 * the server (requests, the public check, the archive link) and the portal (the request form, the list).
 */
export const PRINT_KINDS = ['gradebook', 'rollcall', 'enrolment'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

/** The book's name as printed on its cover and answered by the public check. */
export const PRINT_BOOK_NAMES: Record<PrintKind, string> = {
  gradebook: 'Sổ theo dõi và đánh giá học sinh (sổ điểm)',
  rollcall: 'Sổ gọi tên và ghi điểm',
  enrolment: 'Sổ đăng bộ',
};

/** The archive register's book for a paper copy of each printed book (server/archive/entries.ts checks the link). */
export const ARCHIVE_BOOK_OF_KIND: Record<PrintKind, ArchiveBook> = {
  gradebook: 'gradebook',
  rollcall: 'roll_call',
  enrolment: 'enrolment_register',
};

/** A class's book (grade book, roll-call book) or the school's (the enrolment register, for a year and maybe one grade). */
export const isClassBook = (k: PrintKind) => k !== 'enrolment';
