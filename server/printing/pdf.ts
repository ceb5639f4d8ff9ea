import { createRequire } from 'node:module';
import { drawQr } from '../transcripts/pdf-draw';
import { periodLabel, type PrintSnapshot, type SubjectPage } from './snapshot';

/**
 * The printed grade book (Sổ theo dõi và đánh giá học sinh), A4 landscape as schools print it: a cover, one page
 * per subject and semester with every score column and the subject teacher's signature, the class summary sheet
 * with the homeroom teacher's and the principal's signatures, and on every page "Trang x/y" with the verification
 * code and its QR code.
 *
 * Drawn only from the frozen snapshot, and deterministic: the dates and the document ID come from the approval time
 * (pdfkit derives the trailer ID from the Info dictionary), so GET …/pdf gives the approved bytes again.
 */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const R = 'DejaVuSans';
const B = 'DejaVuSans-Bold';
const W = 841.89;
const H = 595.28;
const M = { top: 30, bottom: 30, left: 32, right: 32 };
const INNER = W - M.left - M.right;
/** Room kept at the bottom of each page for the footer (line, code, QR). */
const FOOTER = 46;
const nfc = (s: string) => s.normalize('NFC');

type Doc = PDFKit.PDFDocument;

export async function renderPrintedBook(s: PrintSnapshot): Promise<{ pdf: Buffer; pages: number }> {
  // Loaded on first use, as the minutes do: pdfkit is not needed to start the server.
  const { default: PDFDocument } = await import('pdfkit');
  const at = new Date(s.approvedAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: M,
    autoFirstPage: false,
    bufferPages: true,
    font: '',
    lang: 'vi-VN',
    info: {
      Title: nfc(`Sổ theo dõi và đánh giá học sinh – lớp ${s.className} – ${periodLabel(s.period)} – ${s.schoolYear}`),
      Author: nfc(s.school.name),
      Subject: nfc(`Lượt in ${s.runId} – mã xác thực ${s.code}`),
      Creator: 'Sổ điểm điện tử',
      Producer: 'Sổ điểm điện tử (pdfkit)',
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(R, FONT);
  doc.registerFont(B, FONT_BOLD);

  cover(doc, s);
  for (const page of s.subjectPages) subjectPage(doc, s, page);
  summaryPage(doc, s);
  const pages = doc.bufferedPageRange().count;
  footers(doc, s, pages);
  doc.end();
  return { pdf: await done, pages };
}

function newPage(doc: Doc): void {
  doc.addPage({ size: 'A4', layout: 'landscape', margins: M });
}

function line(doc: Doc, t: string, x: number, y: number, width: number, o: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; color?: string } = {}): number {
  doc.font(o.bold ? B : R).fontSize(o.size ?? 10).fillColor(o.color ?? '#000000');
  doc.text(nfc(t), x, y, { width, align: o.align ?? 'left', lineBreak: true });
  return doc.y;
}

/** The national motto beside the school's name, as on every Vietnamese administrative document. */
function header(doc: Doc, s: PrintSnapshot): number {
  const half = INNER / 2;
  line(doc, 'PHÒNG/SỞ GIÁO DỤC VÀ ĐÀO TẠO', M.left, M.top, half, { size: 8, align: 'center' });
  line(doc, s.school.name.toUpperCase(), M.left, M.top + 11, half, { size: 9, bold: true, align: 'center' });
  line(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', M.left + half, M.top, half, { size: 9, bold: true, align: 'center' });
  line(doc, 'Độc lập - Tự do - Hạnh phúc', M.left + half, M.top + 11, half, { size: 9, bold: true, align: 'center' });
  return M.top + 28;
}

function cover(doc: Doc, s: PrintSnapshot): void {
  newPage(doc);
  header(doc, s);
  let y = 150;
  y = line(doc, 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH', M.left, y, INNER, { size: 24, bold: true, align: 'center' });
  y = line(doc, '(Sổ điểm – bản in từ Sổ điểm điện tử)', M.left, y + 6, INNER, { size: 11, align: 'center' });
  y += 40;
  const rows: Array<[string, string]> = [
    ['Trường', s.school.name],
    ['Lớp', s.className],
    ['Năm học', s.schoolYear],
    ['Học kỳ', periodLabel(s.period)],
    ['Giáo viên chủ nhiệm', s.homeroomTeacher ?? '…'],
  ];
  for (const [label, value] of rows) {
    line(doc, `${label}:`, M.left + 220, y, 160, { size: 13 });
    y = line(doc, value, M.left + 380, y, 300, { size: 13, bold: true }) + 8;
  }
  y += 24;
  line(doc, `Bản in được Hiệu trưởng ${s.approvedBy} phê duyệt ngày ${vnDate(s.approvedAt)} (lượt in số ${s.runId}).`, M.left, y, INNER, { size: 9.5, align: 'center', color: '#333333' });
}

interface Col {
  header: string;
  width: number;
  align: 'left' | 'center';
}

/** A bordered table with a wrapped, centred header row; rows continue on a new page with the header repeated. */
function table(doc: Doc, y0: number, cols: Col[], rows: string[][], o: { size: number; rowH: number; onNewPage: () => number }): number {
  const bottom = H - M.bottom - FOOTER;
  doc.font(B).fontSize(o.size - 0.5);
  const headH = Math.max(...cols.map((c) => doc.heightOfString(nfc(c.header), { width: c.width - 4 }))) + 6;
  const drawHeader = (y: number) => {
    let x = M.left;
    for (const c of cols) {
      doc.rect(x, y, c.width, headH).lineWidth(0.5).strokeColor('#000000').stroke();
      doc.font(B).fontSize(o.size - 0.5).fillColor('#000000');
      const h = doc.heightOfString(nfc(c.header), { width: c.width - 4 });
      doc.text(nfc(c.header), x + 2, y + (headH - h) / 2, { width: c.width - 4, align: 'center' });
      x += c.width;
    }
    return y + headH;
  };
  let y = drawHeader(y0);
  for (const cells of rows) {
    if (y + o.rowH > bottom) {
      newPage(doc);
      y = drawHeader(o.onNewPage());
    }
    let x = M.left;
    cells.forEach((cell, i) => {
      const c = cols[i];
      doc.rect(x, y, c.width, o.rowH).lineWidth(0.4).strokeColor('#000000').stroke();
      doc.font(R).fontSize(o.size).fillColor('#000000');
      // One line per cell: a long name is clipped by its box rather than wrapping into the next row.
      doc.text(nfc(cell), x + 2.5, y + (o.rowH - o.size * 1.17) / 2, { width: c.width - 5, align: c.align, lineBreak: false, height: o.rowH, ellipsis: true });
      x += c.width;
    });
    y += o.rowH;
  }
  return y;
}

/** Row height so that a class of up to ~45 fits the page with its signatures (never below `min` pt). */
function rowHeight(n: number, room: number, min = 8): number {
  return Math.max(min, Math.min(15, room / Math.max(1, n + 1)));
}

/** The text size for a row height: 8 pt text needs a 9 pt row; a 45-student class prints at 7 pt (6 on the summary). */
const textSize = (rowH: number, size: number) => (rowH < 8 ? 6 : rowH < 9 ? 7 : size);

function subjectPage(doc: Doc, s: PrintSnapshot, p: SubjectPage): void {
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
  line(doc, `……, ngày … tháng … năm …`, M.left + INNER * 0.55, y, INNER * 0.45, { size: 9, align: 'center' });
  signature(doc, M.left + INNER * 0.05, y + 12, INNER * 0.38, 'GIÁO VIÊN CHỦ NHIỆM', s.homeroomTeacher);
  signature(doc, M.left + INNER * 0.57, y + 12, INNER * 0.38, 'HIỆU TRƯỞNG', s.approvedBy, 'Hiệu trưởng');
}

/** A paper signature: the post, "(Ký, ghi rõ họ tên)", room to sign by hand, the printed name. */
function signature(doc: Doc, x: number, y: number, width: number, title: string, name: string | null, role?: string): void {
  line(doc, title, x, y, width, { size: 9.5, bold: true, align: 'center' });
  line(doc, role ? `(${role} ký, ghi rõ họ tên, đóng dấu)` : '(Ký, ghi rõ họ tên)', x, y + 13, width, { size: 8, align: 'center', color: '#333333' });
  line(doc, name ?? '…', x, y + 56, width, { size: 10, bold: true, align: 'center' });
}

function roomFor(doc: Doc, y: number, need: number, heading: () => number): number {
  if (y + need <= H - M.bottom - FOOTER) return y;
  newPage(doc);
  return heading();
}

function footers(doc: Doc, s: PrintSnapshot, pages: number): void {
  for (let i = 0; i < pages; i++) {
    doc.switchToPage(i);
    // Drawing below the bottom margin would make pdfkit start a page: lift the margin while the footer is set.
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = H - M.bottom - 30;
    doc.moveTo(M.left, y).lineTo(W - M.right, y).lineWidth(0.4).strokeColor('#000000').stroke();
    drawQr(doc, s.verifyUrl, W - M.right - 40, y + 2, 40);
    doc.font(B).fontSize(7.5).fillColor('#000000').text(nfc(`Mã xác thực: ${s.code}`), M.left, y + 6, { lineBreak: false });
    doc.font(R).fontSize(6.5).fillColor('#444444').text(nfc(`Kiểm tra bản in: ${s.verifyUrl}`), M.left, y + 17, { lineBreak: false });
    doc.font(R).fontSize(7.5).fillColor('#000000').text(nfc(`Trang ${i + 1}/${pages}`), W - M.right - 140, y + 10, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins.bottom = keep;
  }
}

function vnDate(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
