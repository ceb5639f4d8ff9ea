import QRCode from 'qrcode';
import { remember } from '../core/memo';

/**
 * Drawing primitives of the transcript PDF (server/transcripts/pdf.ts): A4 geometry, text with the embedded DejaVu
 * fonts, bordered tables that grow with wrapped text and continue on a new page, signature blocks, a vector QR code.
 */

export const REGULAR = 'DejaVuSans';
export const BOLD = 'DejaVuSans-Bold';

export type Doc = PDFKit.PDFDocument;
export const nfc = (s: string): string => s.normalize('NFC');

export const PAGE = { width: 595.28, height: 841.89 };
export const M = { top: 42, bottom: 48, left: 42, right: 42 };
export const WIDTH = PAGE.width - M.left - M.right;
export const LINE = '#000000';
export const MUTED = '#444444';

export function newPage(doc: Doc): void {
  doc.addPage({ size: 'A4', margins: M });
}

export function text(doc: Doc, s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string } = {}): number {
  const { font = REGULAR, size = 10, color = LINE, ...rest } = opts;
  doc.font(font).fontSize(size).fillColor(color);
  const t = nfc(s);
  const { width, align = 'left' } = rest;
  const plain = Object.keys(rest).every((k) => k === 'width' || k === 'align') && (align === 'left' || align === 'center' || align === 'right');
  if (plain && width !== undefined && fitsOneLine(doc, t, width)) {
    drawOneLine(doc, t, x, y, width, align);
    doc.x = x;
    doc.y = y + doc.currentLineHeight(true);
    return doc.y;
  }
  doc.text(t, x, y, { lineBreak: true, ...rest });
  return doc.y;
}

/**
 * pdfkit's line wrapper is most of the cost of drawing text, and most texts here (labels, scores) fit on one line
 * of their box: those are measured by their width and drawn as one line where the wrapper would place them.
 */
function fitsOneLine(doc: Doc, t: string, width: number): boolean {
  return t !== '' && !t.includes('\n') && doc.widthOfString(t) <= width;
}

/** One line in a box of `width` at (x, y), aligned with the wrapper's own arithmetic, without running the wrapper. */
function drawOneLine(doc: Doc, t: string, x: number, y: number, width: number, align: 'left' | 'center' | 'right'): void {
  const dx = align === 'center' ? width / 2 - doc.widthOfString(t) / 2 : align === 'right' ? width - doc.widthOfString(t.replace(/\s+$/, '')) : 0;
  doc.text(t, x + dx, y, { lineBreak: false });
}

/** "Label: value" on one line, the value in bold, wrapping within `width`. */
export function field(doc: Doc, label: string, value: string | null | undefined, x: number, y: number, width: number, size = 10.5): number {
  doc.fillColor(LINE).font(REGULAR).fontSize(size);
  doc.text(nfc(`${label}: `), x, y, { width, continued: true });
  doc.font(BOLD).text(nfc(value && value.trim() !== '' ? value : '…'), { width });
  return doc.y;
}

export function hline(doc: Doc, x1: number, x2: number, y: number, width = 0.6): void {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(LINE).stroke();
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center';
  bold?: boolean;
}

/**
 * A bordered table; rows grow to fit wrapped text, and a row that would cross the bottom margin starts a new page
 * with the header repeated (long comments must never run off the sheet).
 */
export function table(doc: Doc, y0: number, cols: Column[], rows: string[][], opts: { size?: number; headerSize?: number; pad?: number; minRow?: number; onNewPage?: () => number } = {}): number {
  const { size = 8.5, headerSize = 8, pad = 3.5, minRow = 18 } = opts;
  const bottom = PAGE.height - M.bottom - 8;
  const fontOf = (i: number, header: boolean) => (header || cols[i].bold ? BOLD : REGULAR);
  // Each cell's text height is measured once: it sizes the row and centres the text (one-line cells skip the wrapper).
  const measure = (raw: string[], header: boolean) => {
    const cells = raw.map(nfc);
    const oneLine = cells.map(() => false);
    const heights = cells.map((cell, i) => {
      doc.font(fontOf(i, header)).fontSize(header ? headerSize : size);
      oneLine[i] = fitsOneLine(doc, cell, cols[i].width - 2 * pad);
      return oneLine[i] ? doc.currentLineHeight(true) : doc.heightOfString(cell, { width: cols[i].width - 2 * pad });
    });
    return { cells, oneLine, heights, h: Math.max(minRow, ...heights.map((t) => t + 2 * pad)) };
  };
  const drawRow = (row: ReturnType<typeof measure>, y: number, header: boolean) => {
    let x = M.left;
    row.cells.forEach((cell, i) => {
      const col = cols[i];
      doc.rect(x, y, col.width, row.h).lineWidth(0.6).strokeColor(LINE).stroke();
      doc.font(fontOf(i, header)).fontSize(header ? headerSize : size);
      const align = header ? 'center' : (col.align ?? 'left');
      // Headers and short values sit in the middle of their cell, as on the printed form.
      const ty = header || (col.align ?? 'left') === 'center' ? y + (row.h - row.heights[i]) / 2 : y + pad;
      const inner = col.width - 2 * pad;
      doc.fillColor(LINE);
      if (row.oneLine[i]) drawOneLine(doc, cell, x + pad, ty, inner, align);
      else doc.text(cell, x + pad, ty, { width: inner, align });
      x += col.width;
    });
  };
  const header = measure(cols.map((c) => c.header), true);
  drawRow(header, y0, true);
  let y = y0 + header.h;
  for (const cells of rows) {
    const row = measure(cells, false);
    if (y + row.h > bottom) {
      newPage(doc);
      y = opts.onNewPage ? opts.onNewPage() : M.top;
      drawRow(header, y, true);
      y += header.h;
    }
    drawRow(row, y, false);
    y += row.h;
  }
  doc.x = M.left;
  return y;
}

/** A signature block: place and date, the post in capitals, "(Đã ký số)" and the name. */
export function signatureBlock(doc: Doc, x: number, y: number, width: number, lines: { dateLine?: string; title: string; note?: string; name: string | null }): number {
  let cy = y;
  if (lines.dateLine) cy = text(doc, lines.dateLine, x, cy, { width, align: 'center', size: 9.5 });
  cy = text(doc, lines.title, x, cy + 2, { width, align: 'center', size: 10, font: BOLD });
  if (lines.note) cy = text(doc, lines.note, x, cy, { width, align: 'center', size: 8.5, color: MUTED });
  cy = text(doc, '(Đã ký số)', x, cy + 10, { width, align: 'center', size: 8.5, color: MUTED });
  return text(doc, lines.name ?? '…', x, cy + 10, { width, align: 'center', size: 10.5, font: BOLD });
}

/** Starts a new page when fewer than `need` points are left (signature blocks are never split). */
export function ensureRoom(doc: Doc, y: number, need: number, heading: () => number): number {
  if (y + need <= PAGE.height - M.bottom - 8) return y;
  newPage(doc);
  return heading();
}

// The QR matrix of a URL, computed once per URL (a re-render of the same version costs nothing).
const qrCache = new Map<string, { size: number; dark: Uint8Array }>();
function qrMatrix(value: string): { size: number; dark: Uint8Array } {
  return remember(
    qrCache,
    value,
    () => {
      const qr = QRCode.create(value, { errorCorrectionLevel: 'M' });
      return { size: qr.modules.size, dark: Uint8Array.from(qr.modules.data) };
    },
    256,
  );
}

/** Drawn as vector runs rather than a PNG: sharp at any zoom, smaller, no image for PDF/A to worry about. */
export function drawQr(doc: Doc, value: string, x: number, y: number, size: number): void {
  const { size: n, dark } = qrMatrix(value);
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.rect(x, y, size, size).fillColor('#ffffff').fill();
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!dark[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && dark[r * n + c]) c++;
      doc.rect(x + (quiet + start) * cell, y + (quiet + r) * cell, (c - start) * cell, cell);
    }
  }
  doc.fillColor('#000000').fill();
}
