import { createRequire } from 'node:module';
import { VN_OFFSET_MS } from '../../domain/cutoffs';

/**
 * Biên bản sửa điểm (timeline.md, seed 000 step 4): the minutes of one applied correction, naming the change and
 * the three parties, with a signature block for each; the VP files them. Vietnamese throughout, so the text is set
 * in an embedded Unicode font (DejaVu Sans) — the PDF standard fonts cannot show "ĐĐGtx" or "Hạnh phúc".
 *
 * Deterministic apart from the date: the same data gives the same bytes (the creation date is the application
 * time, not the time of rendering), so a stored copy can be checked against its SHA-256.
 */
export interface MinutesParty {
  /** The party's role, e.g. "Giáo viên đề nghị" (upper-cased above the signature). */
  title: string;
  name: string;
  /** When they confirmed in the system (ISO), if the procedure asks them to. */
  confirmedAt?: string | null;
}

export interface MinutesData {
  requestId: number;
  schoolName: string;
  /** When the correction was applied (ISO instant); printed in Vietnam time. */
  appliedAt: string;
  studentName: string;
  className: string;
  subjectName: string;
  /** "Học kỳ I, năm học 2026-2027". */
  semesterLabel: string;
  /** "ĐĐGtx 2", "ĐĐGgk", "ĐĐGck". */
  column: string;
  assessmentType: 'scored' | 'comment';
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  approval: { name: string; at: string; note: string | null };
  procedure: 'witnessed' | 'admin';
  /** Who applied it and under which account (seed 000: the requesting teacher's own account). */
  appliedBy: { name: string; username: string };
  /** Three parties: teacher, supervising VP, witness — or, for the admin procedure, teacher, principal, admin. */
  parties: MinutesParty[];
}

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const nfc = (s: string) => s.normalize('NFC');

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
export function vnDateTime(instant: string): string {
  const d = new Date(Date.parse(instant) + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** A cell value as a teacher writes it: decimal comma for scores, Đ/CĐ spelled out for comment subjects. */
export function displayValue(value: string | null, type: 'scored' | 'comment'): string {
  if (value === null) return '(trống)';
  if (type === 'comment') return value === 'D' ? 'Đ (Đạt)' : value === 'CD' ? 'CĐ (Chưa đạt)' : value;
  return value.replace('.', ',');
}

export async function renderMinutes(data: MinutesData): Promise<Buffer> {
  // Loaded on first use: pdfkit is not needed to start the server (a warm start is measured, issue 11).
  const { default: PDFDocument } = await import('pdfkit');
  const created = new Date(data.appliedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 56, right: 56 },
    lang: 'vi-VN',
    info: {
      Title: nfc(`Biên bản sửa điểm số ${data.requestId}`),
      Author: nfc(data.schoolName),
      Subject: nfc(`${data.subjectName} – ${data.className} – ${data.studentName}`),
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('DejaVuSans', FONT);
  doc.registerFont('DejaVuSans-Bold', FONT_BOLD);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const text = (s: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(nfc(s), opts);

  // Header: the school on the left, the national motto on the right (the usual layout of an administrative record).
  const top = doc.y;
  const half = width / 2;
  doc.font('DejaVuSans-Bold').fontSize(10);
  doc.text(nfc(data.schoolName.toUpperCase()), left, top, { width: half - 10, align: 'center' });
  doc.text(nfc('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'), left + half - 10, top, { width: half + 10, align: 'center' });
  doc.text(nfc('Độc lập - Tự do - Hạnh phúc'), left + half - 10, doc.y, { width: half + 10, align: 'center' });
  doc.font('DejaVuSans').fontSize(10);
  doc.text(nfc(`Số: ${data.requestId}/BB-SĐ`), left, doc.y + 6, { width: half - 10, align: 'center' });
  doc.moveDown(2);

  doc.font('DejaVuSans-Bold').fontSize(15);
  text('BIÊN BẢN SỬA ĐIỂM', { width, align: 'center' });
  doc.font('DejaVuSans').fontSize(10.5);
  text(`Thời gian: ${vnDateTime(data.appliedAt)} (giờ Việt Nam)`, { width, align: 'center' });
  doc.moveDown(1);

  doc.fontSize(11);
  const line = (label: string, value: string) => {
    doc.font('DejaVuSans-Bold').text(nfc(`${label}: `), left, doc.y, { continued: true, width });
    doc.font('DejaVuSans').text(nfc(value));
  };
  line('Học sinh', `${data.studentName}, lớp ${data.className}`);
  line('Môn học', data.subjectName);
  line('Học kỳ', data.semesterLabel);
  line('Cột điểm', data.column);
  line('Nội dung sửa', `${displayValue(data.oldValue, data.assessmentType)} → ${displayValue(data.newValue, data.assessmentType)}`);
  line('Lý do', data.reason);
  line('Phê duyệt của Hiệu trưởng', `${data.approval.name}, ngày ${vnDateTime(data.approval.at)}${data.approval.note ? ` — ${data.approval.note}` : ''}`);
  line(
    'Thực hiện',
    data.procedure === 'witnessed'
      ? `từ tài khoản của giáo viên đề nghị ${data.appliedBy.name} (${data.appliedBy.username}), có Phó hiệu trưởng phụ trách và người chứng kiến xác nhận trên hệ thống`
      : `bởi quản trị hệ thống ${data.appliedBy.name} (${data.appliedBy.username}) sau khi Hiệu trưởng phê duyệt`,
  );
  doc.moveDown(0.6);
  doc.font('DejaVuSans-Bold').text(nfc('Các bên tham gia:'), left, doc.y, { width });
  doc.font('DejaVuSans');
  for (const p of data.parties) {
    const confirmed = p.confirmedAt ? `, xác nhận trên hệ thống lúc ${vnDateTime(p.confirmedAt)}` : '';
    text(`– ${p.title}: ${p.name}${confirmed}`, { width, indent: 12 });
  }
  doc.moveDown(0.6);
  text(
    'Giá trị cũ được lưu lại trong đề nghị sửa điểm, nhật ký hệ thống và biên bản này. Biên bản được lập thành bản điện tử, ' +
      'các bên ký xác nhận dưới đây và Phó hiệu trưởng lưu hồ sơ.',
    { width, align: 'justify' },
  );
  doc.moveDown(2);

  // Signature blocks side by side: title, "(Ký, ghi rõ họ tên)", room to sign, then the name.
  const col = width / data.parties.length;
  const y = doc.y;
  data.parties.forEach((p, i) => {
    const x = left + i * col;
    doc.font('DejaVuSans-Bold').fontSize(9).text(nfc(p.title.toUpperCase()), x, y, { width: col, align: 'center' });
    doc.font('DejaVuSans').fontSize(9).text(nfc('(Ký, ghi rõ họ tên)'), x, doc.y, { width: col, align: 'center' });
    doc.font('DejaVuSans-Bold').fontSize(10).text(nfc(p.name), x, y + 90, { width: col, align: 'center' });
  });
  doc.end();
  return done;
}
