import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { correctionsSentence } from '../../domain/transcript/corrections';
import { formatDate, formatSubjectValue, levelLabel, longVietnameseDate, vietnamDate } from '../../domain/transcript/format';
import type { Level, SubjectRow, TranscriptContent, TranscriptYear } from '../../domain/transcript/types';

/**
 * The transcript as the THCS paper form of the TT22 era (../shared/domain/hoc-ba-so.md): a cover, the identity
 * page with the school history, and per school year a results page and a summary page. PDF/A-3b with the signed
 * XML attached as its source (AFRelationship Source), so the printout and the XML travel together; every page
 * shows the verification code, the identity page a QR code to the public lookup.
 *
 * Deterministic: the same content and XML give the same bytes (dates come from the content, not the clock), so
 * the sealed PDF can be re-rendered and compared. All text is NFC and set in DejaVu Sans, embedded (PDF/A forbids
 * the non-embedded standard fonts, which cannot show Vietnamese anyway).
 */

const require = createRequire(import.meta.url);
/**
 * The fonts are parsed once per process and the parsed fonts handed to every document (pdfkit accepts a fontkit
 * font object): parsing DejaVu's tables anew for each transcript was most of the render time. fontkit is taken from
 * pdfkit's own dependency, so it is always the version pdfkit expects. Each document still makes its own subset.
 */
interface FontkitFont {
  characterSet: number[];
  glyphsForString(s: string): unknown[];
}
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Uint8Array): FontkitFont };
const FONT = loadFont('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = loadFont('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * fontkit keeps one glyph object per glyph id and its code points are those of the first lookup. A glyph first met
 * as a component of an accented letter (during a subset's encoding) has none, and the next document's ToUnicode
 * would then lose that letter (pdftotext showed "TH HỒI" for "THU HỒI"). Looking every character up once, before
 * any document, gives each glyph its character for the life of the process.
 */
function loadFont(file: string): FontkitFont {
  const font = fontkit.create(fs.readFileSync(require.resolve(file)));
  const chars = font.characterSet.filter((cp) => cp < 0x3000);
  for (let i = 0; i < chars.length; i += 512) font.glyphsForString(String.fromCodePoint(...chars.slice(i, i + 512)));
  return font;
}
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

type Doc = PDFKit.PDFDocument;
const nfc = (s: string): string => s.normalize('NFC');

const PAGE = { width: 595.28, height: 841.89 };
const M = { top: 42, bottom: 48, left: 42, right: 42 };
const WIDTH = PAGE.width - M.left - M.right;
const LINE = '#000000';
const MUTED = '#444444';

export interface PdfOptions {
  /** The sealed XML: attached byte for byte as the PDF's source document. */
  signedXml: string;
  /** The public lookup reached by the QR code (…/#/tra-cuu/<code>). */
  verifyUrl: string;
}

export async function renderTranscriptPdf(content: TranscriptContent, opts: PdfOptions): Promise<Buffer> {
  const issued = new Date(content.issuedAt);
  const name = nfc(content.identity.fullName);
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    compress: true,
    bufferPages: true,
    autoFirstPage: false,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: metaText(`Học bạ số – ${name}`),
      Author: metaText(content.school.name),
      Subject: metaText(`Học bạ trung học cơ sở – ${content.transcriptUid} – phiên bản ${content.version}`),
      Creator: 'Học bạ số',
      Producer: 'Học bạ số (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, FONT as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, FONT_BOLD as unknown as PDFKit.Mixins.PDFFontSource);
  shareLayoutCaches(doc);

  cover(doc, content);
  identityPage(doc, content, opts.verifyUrl);
  for (const y of content.years) {
    resultsPage(doc, content, y);
    summaryPage(doc, content, y);
  }
  footers(doc, content);
  attachXml(doc, content, opts.signedXml, issued);
  doc.end();
  return done;
}

/**
 * pdfkit caches the shaped layout of each word per document; shaping (fontkit's OpenType lookups) is the bulk of
 * the drawing time, and the words of transcripts repeat (labels, subject names, comments). The cache is shared
 * across documents: an entry holds glyph ids and positions only, while each document's subset and widths are
 * still built in its own encode(). Bounded, so a long run cannot grow it without limit.
 */
const layoutCaches: Record<string, { entries: Record<string, unknown>; size: number /* documents served */ }> = {};
const LAYOUT_CACHE_LIMIT = 50_000;
function shareLayoutCaches(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies;
  for (const name of [REGULAR, BOLD]) {
    doc.font(name);
    const font = families?.[name];
    if (!font || !font.layoutCache) continue; // another pdfkit version: fall back to its own per-document cache
    let shared = layoutCaches[name];
    // Counting keys is cheap next to a render, but needless every time: look every 100 documents.
    if (!shared || (++shared.size % 100 === 0 && Object.keys(shared.entries).length > LAYOUT_CACHE_LIMIT)) shared = layoutCaches[name] = { entries: Object.create(null), size: 0 };
    font.layoutCache = shared.entries;
  }
}

/** XMP is written unescaped by pdfkit: keep markup characters out of the metadata strings. */
function metaText(s: string): string {
  return nfc(s).replace(/[<>&"]/g, ' ');
}

function attachXml(doc: Doc, c: TranscriptContent, xml: string, issued: Date): void {
  const options = {
    name: `hocba-${c.transcriptUid}-v${c.version}.xml`,
    type: 'application/xml',
    description: nfc('Học bạ số (XML đã ký số) – bản gốc của tài liệu này'),
    creationDate: issued,
    modifiedDate: issued,
    // PDF/A-3: the associated file's relation to the document (pdfkit writes it as /AFRelationship).
    relationship: 'Source',
  };
  doc.file(Buffer.from(xml, 'utf8'), options as PDFKit.Mixins.PDFAttachmentOptions);
}

// ---------------------------------------------------------------- drawing helpers

function newPage(doc: Doc): void {
  doc.addPage({ size: 'A4', margins: M });
}

function text(doc: Doc, s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string } = {}): number {
  const { font = REGULAR, size = 10, color = LINE, ...rest } = opts;
  doc.font(font).fontSize(size).fillColor(color);
  doc.text(nfc(s), x, y, { lineBreak: true, ...rest });
  return doc.y;
}

/** "Label: value" on one line, the value in bold, wrapping within `width`. */
function field(doc: Doc, label: string, value: string | null | undefined, x: number, y: number, width: number, size = 10.5): number {
  doc.fillColor(LINE).font(REGULAR).fontSize(size);
  doc.text(nfc(`${label}: `), x, y, { width, continued: true });
  doc.font(BOLD).text(nfc(value && value.trim() !== '' ? value : '…'), { width });
  return doc.y;
}

function hline(doc: Doc, x1: number, x2: number, y: number, width = 0.6): void {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(LINE).stroke();
}

/** The two-column heading of a Vietnamese administrative document. */
function stateHeading(doc: Doc, c: TranscriptContent, y: number): number {
  const half = WIDTH / 2;
  text(doc, 'BỘ GIÁO DỤC VÀ ĐÀO TẠO', M.left, y, { width: half - 20, align: 'center', size: 9.5 });
  text(doc, c.school.name.toUpperCase(), M.left, doc.y + 1, { width: half - 20, align: 'center', size: 9.5, font: BOLD });
  const left = doc.y;
  text(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', M.left + half - 30, y, { width: half + 30, align: 'center', size: 9.5, font: BOLD });
  text(doc, 'Độc lập - Tự do - Hạnh phúc', M.left + half - 30, doc.y + 1, { width: half + 30, align: 'center', size: 9.5, font: BOLD });
  const right = doc.y;
  hline(doc, M.left + half + 70, M.left + WIDTH - 70, right + 2, 0.5);
  return Math.max(left, right) + 12;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center';
  bold?: boolean;
}

/**
 * A bordered table; rows grow to fit wrapped text, and a row that would cross the bottom margin starts a new page
 * with the header repeated (long comments must never run off the sheet).
 */
function table(doc: Doc, y0: number, cols: Column[], rows: string[][], opts: { size?: number; headerSize?: number; pad?: number; minRow?: number; onNewPage?: () => number } = {}): number {
  const { size = 8.5, headerSize = 8, pad = 3.5, minRow = 18 } = opts;
  const bottom = PAGE.height - M.bottom - 8;
  const fontOf = (i: number, header: boolean) => (header || cols[i].bold ? BOLD : REGULAR);
  // Each cell's text height is measured once: it sizes the row and centres the text (wrapping is the costly part).
  const measure = (cells: string[], header: boolean) => {
    const heights = cells.map((cell, i) => doc.font(fontOf(i, header)).fontSize(header ? headerSize : size).heightOfString(nfc(cell), { width: cols[i].width - 2 * pad }));
    return { cells, heights, h: Math.max(minRow, ...heights.map((t) => t + 2 * pad)) };
  };
  const drawRow = (row: ReturnType<typeof measure>, y: number, header: boolean) => {
    let x = M.left;
    row.cells.forEach((cell, i) => {
      const col = cols[i];
      doc.rect(x, y, col.width, row.h).lineWidth(0.6).strokeColor(LINE).stroke();
      doc.font(fontOf(i, header)).fontSize(header ? headerSize : size);
      // Headers and short values sit in the middle of their cell, as on the printed form.
      const ty = header || (col.align ?? 'left') === 'center' ? y + (row.h - row.heights[i]) / 2 : y + pad;
      doc.fillColor(LINE).text(nfc(cell), x + pad, ty, { width: col.width - 2 * pad, align: header ? 'center' : (col.align ?? 'left') });
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
function signatureBlock(doc: Doc, x: number, y: number, width: number, lines: { dateLine?: string; title: string; note?: string; name: string | null }): number {
  let cy = y;
  if (lines.dateLine) cy = text(doc, lines.dateLine, x, cy, { width, align: 'center', size: 9.5 });
  cy = text(doc, lines.title, x, cy + 2, { width, align: 'center', size: 10, font: BOLD });
  if (lines.note) cy = text(doc, lines.note, x, cy, { width, align: 'center', size: 8.5, color: MUTED });
  cy = text(doc, '(Đã ký số)', x, cy + 10, { width, align: 'center', size: 8.5, color: MUTED });
  return text(doc, lines.name ?? '…', x, cy + 10, { width, align: 'center', size: 10.5, font: BOLD });
}

function issueDateLine(c: TranscriptContent): string {
  return `${c.placeOfIssue ?? '…'}, ${longVietnameseDate(vietnamDate(c.issuedAt))}`;
}

/** The heading every year page repeats: who, which class, which year. */
function yearHeading(doc: Doc, c: TranscriptContent, y: TranscriptYear, title: string): number {
  let cy = text(doc, title, M.left, M.top, { width: WIDTH, align: 'center', size: 13, font: BOLD });
  cy += 6;
  const third = WIDTH / 3;
  field(doc, 'Họ và tên', c.identity.fullName, M.left, cy, third + 60, 10);
  field(doc, 'Lớp', y.className, M.left + third + 70, cy, third - 70, 10);
  field(doc, 'Năm học', y.schoolYear, M.left + 2 * third, cy, third, 10);
  return doc.y + 8;
}

// ---------------------------------------------------------------- pages

function cover(doc: Doc, c: TranscriptContent): void {
  newPage(doc);
  // The double frame of the printed cover.
  // The double frame of the printed cover, stopping above the footer line.
  doc.rect(26, 26, PAGE.width - 52, PAGE.height - 72).lineWidth(2).strokeColor(LINE).stroke();
  doc.rect(32, 32, PAGE.width - 64, PAGE.height - 84).lineWidth(0.6).stroke();
  text(doc, 'BỘ GIÁO DỤC VÀ ĐÀO TẠO', M.left, 90, { width: WIDTH, align: 'center', size: 15, font: BOLD });
  hline(doc, PAGE.width / 2 - 60, PAGE.width / 2 + 60, doc.y + 6, 0.8);
  text(doc, 'HỌC BẠ', M.left, 250, { width: WIDTH, align: 'center', size: 46, font: BOLD });
  text(doc, 'TRUNG HỌC CƠ SỞ', M.left, doc.y + 8, { width: WIDTH, align: 'center', size: 22, font: BOLD });
  text(doc, '(Học bạ số)', M.left, doc.y + 6, { width: WIDTH, align: 'center', size: 11, color: MUTED });

  const x = M.left + 50;
  const w = WIDTH - 100;
  let y = 470;
  y = field(doc, 'Họ và tên học sinh', c.identity.fullName.toUpperCase(), x, y, w, 13) + 12;
  y = field(doc, 'Trường', c.school.name, x, y, w, 12) + 12;
  // The address's first part is the commune ("xã Khánh Phú, huyện …, tỉnh …").
  y = field(doc, 'Xã (Phường, Thị trấn)', c.school.address?.split(',')[0]?.trim() ?? null, x, y, w, 12) + 12;
  y = field(doc, 'Huyện (Quận, Thị xã, Thành phố)', c.school.district, x, y, w, 12) + 12;
  y = field(doc, 'Tỉnh (Thành phố)', c.school.province, x, y, w, 12) + 12;
  field(doc, 'Số sổ đăng bộ', c.school.registerNumber, x, y, w, 12);
  text(doc, `Mã định danh học bạ: ${c.transcriptUid} · Phiên bản ${c.version}`, M.left, PAGE.height - 110, { width: WIDTH, align: 'center', size: 8.5, color: MUTED });
}

function identityPage(doc: Doc, c: TranscriptContent, verifyUrl: string): void {
  newPage(doc);
  let y = stateHeading(doc, c, M.top);
  y = text(doc, 'HỌC BẠ', M.left, y + 4, { width: WIDTH, align: 'center', size: 18, font: BOLD }) + 10;
  const p = c.identity;
  const half = WIDTH / 2;
  const two = (a: [string, string | null], b: [string, string | null]) => {
    const y1 = field(doc, a[0], a[1], M.left, y, half - 6);
    const y2 = field(doc, b[0], b[1], M.left + half, y, half);
    y = Math.max(y1, y2) + 5;
  };
  const one = (label: string, value: string | null) => {
    y = field(doc, label, value, M.left, y, WIDTH) + 5;
  };
  two(['Họ và tên', p.fullName], ['Giới tính', p.sex]);
  two(['Ngày sinh', formatDate(p.birthDate)], ['Dân tộc', p.ethnicity]);
  two(['Nơi sinh', p.placeOfBirth], ['Quốc tịch', p.nationality]);
  one('Quê quán', p.homeTown);
  one('Nơi ở hiện nay', p.address);
  two(['Số định danh cá nhân', p.nationalId], ['Mã học sinh', p.studentCode]);
  const parent = (label: string, person: { name: string; occupation: string | null } | null) => {
    if (!person) return;
    two([`Họ và tên ${label}`, person.name], ['Nghề nghiệp', person.occupation]);
  };
  parent('cha', p.father);
  parent('mẹ', p.mother);
  parent('người giám hộ', p.guardian);
  if (!p.father && !p.mother && !p.guardian) one('Họ và tên cha, mẹ hoặc người giám hộ', null);

  const principal = c.years.map((x) => x.approver).filter((a) => a?.post === 'principal').at(-1) ?? c.years.at(-1)?.approver ?? null;
  y = signatureBlock(doc, M.left + half, y + 6, half, { dateLine: issueDateLine(c), title: 'HIỆU TRƯỞNG', name: principal?.fullName ?? null }) + 18;

  y = text(doc, 'QUÁ TRÌNH HỌC TẬP', M.left, y, { width: WIDTH, align: 'center', size: 12, font: BOLD }) + 6;
  const cols: Column[] = [
    { header: 'Năm học', width: 80, align: 'center' },
    { header: 'Lớp', width: 60, align: 'center' },
    { header: 'Tên trường, huyện (quận, thị xã, thành phố), tỉnh (thành phố)', width: WIDTH - 140 },
  ];
  const rows = c.history.map((h) => [h.schoolYear, h.className, [h.schoolName, h.district ? `huyện ${h.district}` : null, h.province ? `tỉnh ${h.province}` : null].filter(Boolean).join(', ')]);
  y = table(doc, y, cols, rows, { size: 9.5, headerSize: 9, minRow: 20 });
  verificationBox(doc, c, verifyUrl, y + 16);
}

/** QR code of the public lookup, with the code in words beside it. */
function verificationBox(doc: Doc, c: TranscriptContent, verifyUrl: string, y0: number): void {
  const size = 84;
  const y = Math.min(y0, PAGE.height - M.bottom - size - 12);
  drawQr(doc, verifyUrl, M.left, y, size);
  const x = M.left + size + 14;
  const w = WIDTH - size - 14;
  let cy = text(doc, `Mã xác thực: ${c.verificationCode}`, x, y + 6, { width: w, size: 12, font: BOLD });
  cy = text(doc, `Tra cứu tại ${verifyUrl}`, x, cy + 4, { width: w, size: 9.5 });
  text(doc, 'Bản PDF này được tạo từ học bạ số đã ký số; tệp XML gốc (có chữ ký số) được đính kèm trong tệp. Quét mã QR hoặc nhập mã xác thực để kiểm tra.', x, cy + 6, { width: w, size: 8.5, color: MUTED });
}

// The QR matrix of a URL, computed once per URL (a re-render of the same version costs nothing).
const qrCache = new Map<string, { size: number; dark: Uint8Array }>();
function qrMatrix(value: string): { size: number; dark: Uint8Array } {
  let m = qrCache.get(value);
  if (!m) {
    const qr = QRCode.create(value, { errorCorrectionLevel: 'M' });
    m = { size: qr.modules.size, dark: Uint8Array.from(qr.modules.data) };
    if (qrCache.size > 256) qrCache.delete(qrCache.keys().next().value!);
    qrCache.set(value, m);
  }
  return m;
}

/** Drawn as vector runs rather than a PNG: sharp at any zoom, smaller, no image for PDF/A to worry about. */
function drawQr(doc: Doc, value: string, x: number, y: number, size: number): void {
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

function subjectValue(s: SubjectRow, v: string | null): string {
  return v === null ? '' : formatSubjectValue(v, s.assessment);
}

function resultsPage(doc: Doc, c: TranscriptContent, y: TranscriptYear): void {
  newPage(doc);
  const heading = () => yearHeading(doc, c, y, 'KẾT QUẢ HỌC TẬP');
  let top = heading();
  const cols: Column[] = [
    { header: 'Môn học / Hoạt động giáo dục', width: 108, bold: true },
    { header: 'HK I', width: 36, align: 'center' },
    { header: 'HK II', width: 36, align: 'center' },
    { header: 'Cả năm', width: 38, align: 'center' },
    { header: 'Điểm KT lại / KQ sau KT lại', width: 56, align: 'center' },
    { header: 'Nhận xét', width: 155 },
    { header: 'Giáo viên bộ môn', width: WIDTH - 108 - 36 - 36 - 38 - 56 - 155 },
  ];
  const rows = y.subjects.map((s) => [s.subjectName, subjectValue(s, s.hk1), subjectValue(s, s.hk2), subjectValue(s, s.year), subjectValue(s, s.retest), s.comment ?? '', s.teacher ? `${s.teacher.fullName}\n(Đã ký số)` : '']);
  top = table(doc, top, cols, rows, { onNewPage: heading });
  const legend = 'Điểm trung bình môn học ghi một chữ số thập phân; môn học đánh giá bằng nhận xét ghi Đ (Đạt) hoặc CĐ (Chưa đạt).';
  top = text(doc, legend, M.left, top + 4, { width: WIDTH, size: 7.5, color: MUTED });
  top = ensureRoom(doc, top + 6, 150, heading);
  top = text(doc, correctionsSentence(y.corrections), M.left, top, { width: WIDTH, size: 10, font: BOLD }) + 12;
  const half = WIDTH / 2;
  const a = signatureBlock(doc, M.left, top, half, { title: 'Xác nhận của giáo viên chủ nhiệm', note: '(Ký và ghi rõ họ tên)', name: y.summary.homeroomTeacher?.fullName ?? null });
  const b = signatureBlock(doc, M.left + half, top, half, {
    dateLine: issueDateLine(c),
    title: `Xác nhận của ${approverTitle(y)}`,
    note: '(Ký, ghi rõ họ tên và đóng dấu)',
    name: y.approver?.fullName ?? null,
  });
  doc.y = Math.max(a, b);
}

function approverTitle(y: TranscriptYear): string {
  return y.approver?.post === 'vice_principal' ? 'Phó Hiệu trưởng' : 'Hiệu trưởng';
}

/** Starts a new page when fewer than `need` points are left (signature blocks are never split). */
function ensureRoom(doc: Doc, y: number, need: number, heading: () => number): number {
  if (y + need <= PAGE.height - M.bottom - 8) return y;
  newPage(doc);
  return heading();
}

const label = (l: Level | null): string => (l === null ? '' : levelLabel(l));

function summaryPage(doc: Doc, c: TranscriptContent, y: TranscriptYear): void {
  newPage(doc);
  const heading = () => yearHeading(doc, c, y, 'TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ');
  let top = heading();
  const s = y.summary;
  const cols: Column[] = [
    { header: 'Học kỳ', width: 120, bold: true, align: 'center' },
    { header: 'Kết quả rèn luyện', width: (WIDTH - 120) / 2, align: 'center' },
    { header: 'Kết quả học tập', width: (WIDTH - 120) / 2, align: 'center' },
  ];
  top = table(
    doc,
    top,
    cols,
    [
      ['Học kỳ I', label(s.conduct.hk1), label(s.learning.hk1)],
      ['Học kỳ II', label(s.conduct.hk2), label(s.learning.hk2)],
      ['Cả năm', label(s.conduct.year), label(s.learning.year)],
    ],
    { size: 10.5, headerSize: 10, minRow: 22 },
  );
  top += 12;
  const line = (l: string, v: string) => {
    top = field(doc, l, v, M.left, top, WIDTH, 10.5) + 6;
  };
  line('Tổng số buổi nghỉ học cả năm', String(s.absences));
  line('Kết quả rèn luyện sau rèn luyện trong kỳ nghỉ hè (nếu có)', s.summerTraining || s.conduct.afterSummerTraining ? label(s.conduct.afterSummerTraining) || 'Chưa có kết quả' : 'Không');
  line('Kết quả học tập sau kiểm tra lại (nếu có)', s.learning.afterRetest ? label(s.learning.afterRetest) : 'Không');
  line(y.grade === 9 ? 'Hoàn thành hay chưa hoàn thành chương trình THCS' : 'Được lên lớp hay không được lên lớp', outcome(y));
  line('Khen thưởng', s.award === 'excellent' ? 'Học sinh Xuất sắc' : s.award === 'very_good' ? 'Học sinh Giỏi' : 'Không');

  top = ensureRoom(doc, top + 6, 120, heading);
  top = text(doc, 'NHẬN XÉT CỦA GIÁO VIÊN CHỦ NHIỆM', M.left, top, { width: WIDTH, size: 11, font: BOLD }) + 4;
  const comment = s.homeroomComment ?? '';
  doc.font(REGULAR).fontSize(10.5);
  const ch = Math.max(48, doc.heightOfString(nfc(comment), { width: WIDTH - 16 }) + 14);
  doc.rect(M.left, top, WIDTH, ch).lineWidth(0.6).strokeColor(LINE).stroke();
  text(doc, comment, M.left + 8, top + 7, { width: WIDTH - 16, size: 10.5 });
  top += ch + 8;
  const half = WIDTH / 2;
  top = signatureBlock(doc, M.left + half, top, half, { title: 'GIÁO VIÊN CHỦ NHIỆM', note: '(Ký và ghi rõ họ tên)', name: s.homeroomTeacher?.fullName ?? null }) + 14;

  top = ensureRoom(doc, top, 150, heading);
  top = text(doc, `PHÊ DUYỆT CỦA ${approverTitle(y).toUpperCase()}`, M.left, top, { width: WIDTH, size: 11, font: BOLD }) + 4;
  top = text(doc, `Đồng ý với nhận xét và kết quả đánh giá của giáo viên chủ nhiệm. ${approvalSentence(y)}`, M.left, top, { width: WIDTH, size: 10.5 }) + 8;
  signatureBlock(doc, M.left + half, top, half, { dateLine: issueDateLine(c), title: approverTitle(y).toUpperCase(), note: '(Ký, ghi rõ họ tên và đóng dấu)', name: y.approver?.fullName ?? null });
}

/** Promoted / held back, or for grade 9 the completion of THCS (Điều 12, 15). */
function outcome(y: TranscriptYear): string {
  if (y.grade === 9) return y.summary.completedLevel === true ? 'Hoàn thành chương trình THCS' : y.summary.completedLevel === false ? 'Chưa hoàn thành chương trình THCS' : 'Chưa xét';
  return y.summary.promoted === true ? 'Được lên lớp' : y.summary.promoted === false ? 'Không được lên lớp' : 'Chưa xét';
}

function approvalSentence(y: TranscriptYear): string {
  const o = outcome(y);
  return o === 'Chưa xét' ? '' : `${o}.`;
}

/** On every page: the verification code, the transcript and its version, the page number. */
function footers(doc: Doc, c: TranscriptContent): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a page: lift the margin while the footer is set.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - 32;
    hline(doc, M.left, PAGE.width - M.right, y - 4, 0.4);
    text(doc, `Mã xác thực: ${c.verificationCode}`, M.left, y, { width: 175, size: 7.5, font: BOLD, lineBreak: false });
    const status = c.status === 2 ? 'ĐÃ THU HỒI · ' : '';
    text(doc, `${status}Học bạ số ${c.transcriptUid} · phiên bản ${c.version}`, M.left + 175, y + 0.5, { width: WIDTH - 265, size: 6.5, align: 'center', color: status ? '#c62828' : MUTED, lineBreak: false });
    text(doc, `Trang ${i - range.start + 1}/${range.count}`, M.left + WIDTH - 90, y, { width: 90, size: 7.5, align: 'right', lineBreak: false });
    if (c.status === 2) revokedMark(doc);
    doc.page.margins.bottom = bottom;
  }
}

/** A revoked version (trạng thái 2) says so across every page. */
function revokedMark(doc: Doc): void {
  doc.save();
  doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.fillOpacity(0.3);
  text(doc, 'ĐÃ THU HỒI', 0, PAGE.height / 2 - 30, { width: PAGE.width, align: 'center', size: 64, font: BOLD, color: '#c62828', lineBreak: false });
  doc.restore();
}
