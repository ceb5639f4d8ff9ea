import { createRequire } from 'node:module';
import { drawQr } from '../transcripts/pdf-draw';

/**
 * What every printed book's renderer shares (A4 landscape, DejaVu Sans embedded, NFC text): the document with its
 * fixed Info dictionary, the national-motto header, bordered tables, signature blocks and the footer with the
 * verification code and QR on every page.
 *
 * Every registered renderer version (renderers.ts) draws through these functions, so a change here changes the
 * bytes of every version: test/print-renderers.test.ts fails then. Change a layout by adding a renderer version,
 * not by editing what an existing version calls.
 */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
export const R = 'DejaVuSans';
export const B = 'DejaVuSans-Bold';
export const W = 841.89;
export const H = 595.28;
export const M = { top: 30, bottom: 30, left: 32, right: 32 };
export const INNER = W - M.left - M.right;
/** Room kept at the bottom of each page for the footer (line, code, QR). */
export const FOOTER = 46;
export const nfc = (s: string) => s.normalize('NFC');

export type Doc = PDFKit.PDFDocument;

/** Who the document says it is (pdfkit derives the trailer ID from this, so it must come from the snapshot only). */
export interface DocInfo {
  title: string;
  school: string;
  runId: number;
  code: string;
  approvedAt: string;
}

/**
 * A landscape A4 document with the fonts registered; `finish` ends it and resolves with its bytes. The dates are
 * the approval time: there is no clock or random input, so the same snapshot gives the same bytes.
 */
export async function openDoc(i: DocInfo): Promise<{ doc: Doc; finish: () => Promise<Buffer> }> {
  // Loaded on first use, as the minutes do: pdfkit is not needed to start the server.
  const { default: PDFDocument } = await import('pdfkit');
  const at = new Date(i.approvedAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: M,
    autoFirstPage: false,
    bufferPages: true,
    font: '',
    lang: 'vi-VN',
    info: {
      Title: nfc(i.title),
      Author: nfc(i.school),
      Subject: nfc(`Lượt in ${i.runId} – mã xác thực ${i.code}`),
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
  return {
    doc,
    finish: () => {
      doc.end();
      return done;
    },
  };
}

export function newPage(doc: Doc): void {
  doc.addPage({ size: 'A4', layout: 'landscape', margins: M });
}

export function line(doc: Doc, t: string, x: number, y: number, width: number, o: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; color?: string } = {}): number {
  doc.font(o.bold ? B : R).fontSize(o.size ?? 10).fillColor(o.color ?? '#000000');
  doc.text(nfc(t), x, y, { width, align: o.align ?? 'left', lineBreak: true });
  return doc.y;
}

/** The national motto beside the school's name, as on every Vietnamese administrative document. */
export function header(doc: Doc, schoolName: string): number {
  const half = INNER / 2;
  line(doc, 'PHÒNG/SỞ GIÁO DỤC VÀ ĐÀO TẠO', M.left, M.top, half, { size: 8, align: 'center' });
  line(doc, schoolName.toUpperCase(), M.left, M.top + 11, half, { size: 9, bold: true, align: 'center' });
  line(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', M.left + half, M.top, half, { size: 9, bold: true, align: 'center' });
  line(doc, 'Độc lập - Tự do - Hạnh phúc', M.left + half, M.top + 11, half, { size: 9, bold: true, align: 'center' });
  return M.top + 28;
}

/** A cover: the header, the book's title and subtitle, label/value lines, who approved the print. */
export function cover(doc: Doc, c: { school: string; title: string; subtitle: string; rows: Array<[string, string]>; approvedBy: string; approvedAt: string; runId: number }): void {
  newPage(doc);
  header(doc, c.school);
  let y = 150;
  y = line(doc, c.title, M.left, y, INNER, { size: 24, bold: true, align: 'center' });
  y = line(doc, c.subtitle, M.left, y + 6, INNER, { size: 11, align: 'center' });
  y += 40;
  for (const [label, value] of c.rows) {
    line(doc, `${label}:`, M.left + 220, y, 160, { size: 13 });
    y = line(doc, value, M.left + 380, y, 300, { size: 13, bold: true }) + 8;
  }
  y += 24;
  line(doc, `Bản in được Hiệu trưởng ${c.approvedBy} phê duyệt ngày ${vnDate(c.approvedAt)} (lượt in số ${c.runId}).`, M.left, y, INNER, { size: 9.5, align: 'center', color: '#333333' });
}

export interface Col {
  header: string;
  width: number;
  align: 'left' | 'center';
  /** tableLines: the cell's text wraps between words onto the row's lines (else each item is one line). */
  wrap?: boolean;
}

/** A bordered table with a wrapped, centred header row; rows continue on a new page with the header repeated. */
export function table(doc: Doc, y0: number, cols: Col[], rows: string[][], o: { size: number; rowH: number; onNewPage: () => number }): number {
  const bottom = H - M.bottom - FOOTER;
  const headH = headerHeight(doc, cols, o.size);
  let y = drawHeaderRow(doc, y0, cols, headH, o.size);
  for (const cells of rows) {
    if (y + o.rowH > bottom) {
      newPage(doc);
      y = drawHeaderRow(doc, o.onNewPage(), cols, headH, o.size);
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

/**
 * A bordered table whose cells hold several short lines (a name over a code, the father over the mother), or a
 * text wrapped between words (`wrap` columns: a place, an address). Every row has `lines` lines, so a page's rows
 * are known; what does not fit is clipped with an ellipsis rather than pushing the row taller.
 */
export function tableLines(doc: Doc, y0: number, cols: Col[], rows: string[][][], o: { size: number; lines: number; onNewPage: () => number }): number {
  const bottom = H - M.bottom - FOOTER;
  const lineH = o.size * 1.2;
  const rowH = o.lines * lineH + 4;
  const headH = headerHeight(doc, cols, o.size);
  let y = drawHeaderRow(doc, y0, cols, headH, o.size);
  for (const cells of rows) {
    if (y + rowH > bottom) {
      newPage(doc);
      y = drawHeaderRow(doc, o.onNewPage(), cols, headH, o.size);
    }
    let x = M.left;
    cells.forEach((lines, i) => {
      const c = cols[i];
      doc.rect(x, y, c.width, rowH).lineWidth(0.4).strokeColor('#000000').stroke();
      doc.font(R).fontSize(o.size).fillColor('#000000');
      const shown = c.wrap ? wrapWords(doc, lines.join(' '), c.width - 5, o.lines) : lines;
      shown.slice(0, o.lines).forEach((t, k) => {
        doc.text(nfc(t), x + 2.5, y + 2.5 + k * lineH, { width: c.width - 5, align: c.align, lineBreak: false, height: lineH, ellipsis: true });
      });
      x += c.width;
    });
    y += rowH;
  }
  return y;
}

/** Words of `t` greedily onto at most `max` lines of `width` pt in the current font; the last line takes the rest. */
function wrapWords(doc: Doc, t: string, width: number, max: number): string[] {
  const words = nfc(t).split(/\s+/).filter(Boolean);
  const out: string[] = [];
  while (words.length > 0 && out.length < max - 1) {
    let cur = words.shift()!;
    while (words.length > 0 && doc.widthOfString(`${cur} ${words[0]}`) <= width) cur = `${cur} ${words.shift()}`;
    out.push(cur);
  }
  if (words.length > 0) out.push(words.join(' '));
  return out;
}

export function headerHeight(doc: Doc, cols: Col[], size: number): number {
  doc.font(B).fontSize(size - 0.5);
  return Math.max(...cols.map((c) => doc.heightOfString(nfc(c.header), { width: c.width - 4 }))) + 6;
}

export function drawHeaderRow(doc: Doc, y: number, cols: Col[], headH: number, size: number): number {
  let x = M.left;
  for (const c of cols) {
    doc.rect(x, y, c.width, headH).lineWidth(0.5).strokeColor('#000000').stroke();
    doc.font(B).fontSize(size - 0.5).fillColor('#000000');
    const h = doc.heightOfString(nfc(c.header), { width: c.width - 4 });
    doc.text(nfc(c.header), x + 2, y + (headH - h) / 2, { width: c.width - 4, align: 'center' });
    x += c.width;
  }
  return y + headH;
}

/** Row height so that a class of up to ~45 fits the page with its signatures (never below `min` pt). */
export function rowHeight(n: number, room: number, min = 8): number {
  return Math.max(min, Math.min(15, room / Math.max(1, n + 1)));
}

/** The text size for a row height: 8 pt text needs a 9 pt row; a 45-student class prints at 7 pt (6 on the summary). */
export const textSize = (rowH: number, size: number) => (rowH < 8 ? 6 : rowH < 9 ? 7 : size);

/** A paper signature: the post, "(Ký, ghi rõ họ tên)", room to sign by hand, the printed name. */
export function signature(doc: Doc, x: number, y: number, width: number, title: string, name: string | null, role?: string): void {
  line(doc, title, x, y, width, { size: 9.5, bold: true, align: 'center' });
  line(doc, role ? `(${role} ký, ghi rõ họ tên, đóng dấu)` : '(Ký, ghi rõ họ tên)', x, y + 13, width, { size: 8, align: 'center', color: '#333333' });
  line(doc, name ?? '…', x, y + 56, width, { size: 10, bold: true, align: 'center' });
}

export function roomFor(doc: Doc, y: number, need: number, heading: () => number): number {
  if (y + need <= H - M.bottom - FOOTER) return y;
  newPage(doc);
  return heading();
}

/** "Trang x/y", the verification code, the check address and its QR code at the foot of every page. */
export function footers(doc: Doc, s: { code: string; verifyUrl: string }, pages: number): void {
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

/** dd/mm/yyyy of an instant, in Vietnam (UTC+7). */
export function vnDate(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
