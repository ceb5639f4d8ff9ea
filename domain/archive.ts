/**
 * Sổ đăng ký lưu trữ (issue 12): the kinds of book the records clerk files away, shared by the server (search text,
 * the printed register) and the portal (choices).
 */
export const ARCHIVE_BOOKS = ['gradebook', 'roll_call', 'enrolment_register', 'transcripts', 'backup', 'other'] as const;
export type ArchiveBook = (typeof ARCHIVE_BOOKS)[number];

/** As the school writes them on the register; also what `q` searches (so "so goi ten" finds the roll-call books). */
export const ARCHIVE_BOOK_LABELS: Record<ArchiveBook, string> = {
  gradebook: 'Sổ theo dõi và đánh giá học sinh (sổ điểm)',
  roll_call: 'Sổ gọi tên và ghi điểm',
  enrolment_register: 'Sổ đăng bộ',
  transcripts: 'Học bạ',
  backup: 'Bản sao lưu dữ liệu',
  other: 'Hồ sơ khác',
};

/** A retention period as written in the register: "10 năm" or "Vĩnh viễn". */
export function retentionLabel(r: { retentionYears: number | null; retentionPermanent: boolean }): string {
  if (r.retentionPermanent) return 'Vĩnh viễn';
  return r.retentionYears === null ? '' : `${r.retentionYears} năm`;
}
