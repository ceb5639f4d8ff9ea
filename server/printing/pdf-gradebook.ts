import { cover, footers, INNER, M, H, FOOTER, line, newPage, openDoc, roomFor, rowHeight, signature, table, textSize, type Col, type Doc } from './pdf-kit';
import { subjectPage } from './pdf-subject-page';
import { periodLabel } from './subject-pages';
import type { PrintSnapshot } from './snapshot';

/**
 * Renderer `gradebook@1` — the printed grade book (Sổ theo dõi và đánh giá học sinh), A4 landscape as schools print
 * it: a cover, one page per subject and semester with every score column and the subject teacher's signature, the
 * class summary sheet with the homeroom teacher's and the principal's signatures, and on every page "Trang x/y"
 * with the verification code and its QR code. Frozen: runs approved with it are redrawn with it, byte for byte.
 */
export async function renderGradebookV1(s: PrintSnapshot): Promise<{ pdf: Buffer; pages: number }> {
  const { doc, finish } = await openDoc({
    title: `Sổ theo dõi và đánh giá học sinh – lớp ${s.className} – ${periodLabel(s.period)} – ${s.schoolYear}`,
    school: s.school.name,
    runId: s.runId,
    code: s.code,
    approvedAt: s.approvedAt,
  });
  cover(doc, {
    school: s.school.name,
    title: 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH',
    subtitle: '(Sổ điểm – bản in từ Sổ điểm điện tử)',
    rows: [
      ['Trường', s.school.name],
      ['Lớp', s.className],
      ['Năm học', s.schoolYear],
      ['Học kỳ', periodLabel(s.period)],
      ['Giáo viên chủ nhiệm', s.homeroomTeacher ?? '…'],
    ],
    approvedBy: s.approvedBy,
    approvedAt: s.approvedAt,
    runId: s.runId,
  });
  for (const page of s.subjectPages) subjectPage(doc, s, page);
  summaryPage(doc, s);
  const pages = doc.bufferedPageRange().count;
  footers(doc, s, pages);
  return { pdf: await finish(), pages };
}

function summaryPage(doc: Doc, s: PrintSnapshot): void {
  newPage(doc);
  const heading = () => {
    line(doc, `${s.summary.title.toUpperCase()}`, M.left, M.top, INNER, { size: 12, bold: true, align: 'center' });
    line(doc, `Lớp ${s.className} – Năm học ${s.schoolYear} – Giáo viên chủ nhiệm: ${s.homeroomTeacher ?? '…'}`, M.left, M.top + 17, INNER, { size: 9, align: 'center' });
    return M.top + 34;
  };
  const y0 = heading();
  const tail = [
    { header: 'Học tập', width: 46, align: 'center' as const },
    { header: 'Rèn luyện', width: 46, align: 'center' as const },
    { header: 'Số buổi nghỉ', width: 36, align: 'center' as const },
  ];
  const nameW = 130;
  const w = (INNER - 22 - nameW - tail.reduce((a, c) => a + c.width, 0)) / Math.max(1, s.summary.subjects.length);
  const cols: Col[] = [
    { header: 'STT', width: 22, align: 'center' },
    { header: 'Họ và tên học sinh', width: nameW, align: 'left' },
    ...s.summary.subjects.map((h) => ({ header: h, width: w, align: 'center' as const })),
    ...tail,
  ];
  const rows = s.summary.rows.map((r, i) => [String(i + 1), r.name, ...r.subjects, r.learning, r.conduct, r.absences]);
  const room = H - M.bottom - FOOTER - y0 - 60 - 92; // the wrapped subject header, the date line and the signatures
  const rowH = rowHeight(rows.length, room, 7);
  let y = table(doc, y0, cols, rows, { size: textSize(rowH, 7.5), rowH, onNewPage: heading });
  y = roomFor(doc, y + 8, 80, heading);
  closingSignatures(doc, y, s.homeroomTeacher, s.approvedBy);
}

/** The date line, the homeroom teacher's and the principal's signatures that close a class's book. */
export function closingSignatures(doc: Doc, y: number, homeroomTeacher: string | null, principal: string): void {
  line(doc, `……, ngày … tháng … năm …`, M.left + INNER * 0.55, y, INNER * 0.45, { size: 9, align: 'center' });
  signature(doc, M.left + INNER * 0.05, y + 12, INNER * 0.38, 'GIÁO VIÊN CHỦ NHIỆM', homeroomTeacher);
  signature(doc, M.left + INNER * 0.57, y + 12, INNER * 0.38, 'HIỆU TRƯỞNG', principal, 'Hiệu trưởng');
}
