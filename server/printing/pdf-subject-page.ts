import { INNER, M, H, FOOTER, line, newPage, roomFor, rowHeight, signature, table, textSize, type Col, type Doc } from './pdf-kit';
import type { SubjectPage } from './subject-pages';

/**
 * One subject and semester of a class, as the grade book and the roll-call book print it: every score column, the
 * number of applied corrections and the subject teacher's signature; a class of 45 stays on one page.
 */
export function subjectPage(doc: Doc, s: { className: string; schoolYear: string }, p: SubjectPage): void {
  newPage(doc);
  const heading = () => {
    line(doc, `${p.name.toUpperCase()} – Lớp ${s.className} – Học kỳ ${p.semester === 1 ? 'I' : 'II'} – Năm học ${s.schoolYear}`, M.left, M.top, INNER, { size: 12, bold: true, align: 'center' });
    line(doc, `Giáo viên bộ môn: ${p.teacher ?? '…'}   ·   ${p.kind === 'comment' ? 'Môn đánh giá bằng nhận xét (Đ/CĐ)' : 'Môn đánh giá bằng điểm số'}`, M.left, M.top + 17, INNER, { size: 9, align: 'center' });
    return M.top + 34;
  };
  const y0 = heading();
  const fixed = 24 + 150;
  const rest = INNER - fixed;
  const w = rest / p.headers.length;
  const cols: Col[] = [
    { header: 'STT', width: 24, align: 'center' },
    { header: 'Họ và tên học sinh', width: 150, align: 'left' },
    ...p.headers.map((h) => ({ header: h, width: w, align: 'center' as const })),
  ];
  const rows = p.rows.map((r, i) => [String(i + 1), r.name, ...r.cells]);
  // The corrections line and the signature sit side by side under the table, so a class of 45 stays on one page.
  const room = H - M.bottom - FOOTER - y0 - 76 - 24; // 24: the header row
  const rowH = rowHeight(rows.length, room);
  let y = table(doc, y0, cols, rows, { size: textSize(rowH, 8), rowH, onNewPage: heading });
  y = roomFor(doc, y + 4, 70, heading);
  line(doc, `Số lần sửa điểm trong sổ của môn này (đã được Hiệu trưởng phê duyệt): ${p.corrections}`, M.left, y + 2, INNER / 2, { size: 8.5 });
  signature(doc, M.left + INNER * 0.62, y + 2, INNER * 0.36, 'GIÁO VIÊN BỘ MÔN', p.teacher);
}
