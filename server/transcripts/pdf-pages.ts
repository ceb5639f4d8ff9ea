import { correctionsSentence } from '../../domain/transcript/corrections';
import { PAPER_EXTRACT_LINE } from '../../domain/transcript/digitisation';
import { formatDate, formatSubjectValue, levelLabel, longVietnameseDate, vietnamDate } from '../../domain/transcript/format';
import type { Level, SubjectRow, TranscriptContent, TranscriptYear } from '../../domain/transcript/types';
import { BOLD, type Column, type Doc, drawQr, ensureRoom, field, hline, LINE, M, MUTED, newPage, nfc, PAGE, REGULAR, signatureBlock, table, text, WIDTH } from './pdf-draw';

/**
 * The pages of the THCS transcript form (TT22 era, ../shared/domain/hoc-ba-so.md): cover, identity with the school
 * history, per year the results and the summary; and the footer every page carries.
 */

/** The two-column heading of a Vietnamese administrative document. */
function stateHeading(doc: Doc, c: TranscriptContent, y: number): number {
  const half = WIDTH / 2;
  text(doc, 'BỘ GIÁO DỤC VÀ ĐÀO TẠO', M.left, y, { width: half - 20, align: 'center', size: 9.5 });
  text(doc, c.school.name.toUpperCase(), M.left, doc.y + 1, { width: half - 20, align: 'center', size: 9.5, font: BOLD });
  const left = doc.y;
  text(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', M.left + half - 30, y, { width: half + 30, align: 'center', size: 9.5, font: BOLD });
  text(doc, 'Độc lập - Tự do - Hạnh phúc', M.left + half - 30, doc.y + 1, { width: half + 30, align: 'center', size: 9.5, font: BOLD });
  const right = doc.y;
  const centre = M.left + half - 30 + (half + 30) / 2;
  hline(doc, centre - 75, centre + 75, right + 4, 0.5);
  return Math.max(left, right) + 12;
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

export function cover(doc: Doc, c: TranscriptContent): void {
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

export function identityPage(doc: Doc, c: TranscriptContent, verifyUrl: string): void {
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

function subjectValue(s: SubjectRow, v: string | null): string {
  return v === null ? '' : formatSubjectValue(v, s.assessment);
}

export function resultsPage(doc: Doc, c: TranscriptContent, y: TranscriptYear): void {
  newPage(doc);
  const heading = () => yearHeading(doc, c, y, 'KẾT QUẢ HỌC TẬP');
  let top = heading();
  const cols: Column[] = [
    { header: 'Môn học / Hoạt động giáo dục', width: 104, bold: true },
    { header: 'HK I', width: 36, align: 'center' },
    { header: 'HK II', width: 36, align: 'center' },
    { header: 'Cả năm', width: 38, align: 'center' },
    { header: 'Điểm KT lại / KQ sau KT lại', width: 56, align: 'center' },
    { header: 'Nhận xét', width: 142 },
    { header: 'Giáo viên bộ môn', width: WIDTH - 104 - 36 - 36 - 38 - 56 - 142 },
  ];
  const rows = y.subjects.map((s) => [s.subjectName, subjectValue(s, s.hk1), subjectValue(s, s.hk2), subjectValue(s, s.year), subjectValue(s, s.retest), s.comment ?? '', s.teacher ? `${s.teacher.fullName}\n${s.signedInPlace ? '(Hiệu trưởng ký thay)' : '(Đã ký số)'}` : '']);
  top = table(doc, top, cols, rows, { onNewPage: heading });
  const legend = 'Điểm trung bình môn học ghi một chữ số thập phân; môn học đánh giá bằng nhận xét ghi Đ (Đạt) hoặc CĐ (Chưa đạt).';
  top = text(doc, legend, M.left, top + 4, { width: WIDTH, size: 7.5, color: MUTED });
  // A digitised paper year says so (docs/digitisation.md), and who signed for departed teachers.
  if (y.extractedFromPaper) top = text(doc, PAPER_EXTRACT_LINE, M.left, top + 4, { width: WIDTH, size: 10, font: BOLD });
  const inPlace = [...new Set([...y.subjects.map((s) => s.signedInPlace?.note), y.summary.homeroomSignedInPlace?.note].filter((n): n is string => !!n))];
  if (inPlace.length > 0) top = text(doc, inPlace.join('; ') + '.', M.left, top + 2, { width: WIDTH, size: 8.5 });
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

const label = (l: Level | null): string => (l === null ? '' : levelLabel(l));

export function summaryPage(doc: Doc, c: TranscriptContent, y: TranscriptYear): void {
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
export function footers(doc: Doc, c: TranscriptContent): void {
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
