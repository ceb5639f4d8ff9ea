import { closingSignatures } from './pdf-gradebook';
import { cover, footers, H, FOOTER, INNER, M, line, newPage, openDoc, roomFor, rowHeight, table, textSize, type Col, type Doc } from './pdf-kit';
import { subjectPage } from './pdf-subject-page';
import type { RollCallSnapshot } from './rollcall-snapshot';
import { periodLabel } from './subject-pages';

/**
 * Renderer `rollcall@1` — Sổ gọi tên và ghi điểm, A4 landscape: a cover, the class roster, the absences per
 * semester, one page per subject and semester (drawn as in the grade book), then a closing page with the homeroom
 * teacher's and the principal's signatures; the verification code and QR on every page. Frozen once registered.
 */
export async function renderRollCallV1(s: RollCallSnapshot): Promise<{ pdf: Buffer; pages: number }> {
  const { doc, finish } = await openDoc({
    title: `Sổ gọi tên và ghi điểm – lớp ${s.className} – ${periodLabel(s.period)} – ${s.schoolYear}`,
    school: s.school.name,
    runId: s.runId,
    code: s.code,
    approvedAt: s.approvedAt,
  });
  cover(doc, {
    school: s.school.name,
    title: 'SỔ GỌI TÊN VÀ GHI ĐIỂM',
    subtitle: '(Bản in từ Sổ điểm điện tử)',
    rows: [
      ['Trường', s.school.name],
      ['Lớp', s.className],
      ['Năm học', s.schoolYear],
      ['Học kỳ', periodLabel(s.period)],
      ['Giáo viên chủ nhiệm', s.homeroomTeacher ?? '…'],
      ['Sĩ số', `${s.roster.length} học sinh`],
    ],
    approvedBy: s.approvedBy,
    approvedAt: s.approvedAt,
    runId: s.runId,
  });
  rosterPage(doc, s);
  attendancePage(doc, s);
  for (const page of s.subjectPages) subjectPage(doc, s, page);
  closingPage(doc, s);
  const pages = doc.bufferedPageRange().count;
  footers(doc, s, pages);
  return { pdf: await finish(), pages };
}

const headingOf = (doc: Doc, title: string, s: RollCallSnapshot) => () => {
  line(doc, title, M.left, M.top, INNER, { size: 12, bold: true, align: 'center' });
  line(doc, `Lớp ${s.className} – Năm học ${s.schoolYear} – Giáo viên chủ nhiệm: ${s.homeroomTeacher ?? '…'}`, M.left, M.top + 17, INNER, { size: 9, align: 'center' });
  return M.top + 34;
};

/** The class list: a class of 45 fits one page at 7,5 pt. */
function rosterPage(doc: Doc, s: RollCallSnapshot): void {
  newPage(doc);
  const heading = headingOf(doc, 'DANH SÁCH HỌC SINH', s);
  const y0 = heading();
  const fixed: Col[] = [
    { header: 'STT', width: 24, align: 'center' },
    { header: 'Họ và tên', width: 140, align: 'left' },
    { header: 'Ngày sinh', width: 56, align: 'center' },
    { header: 'Giới tính', width: 40, align: 'center' },
    { header: 'Dân tộc', width: 48, align: 'center' },
    { header: 'Mã học sinh', width: 72, align: 'center' },
  ];
  const rest = INNER - fixed.reduce((a, c) => a + c.width, 0);
  const cols: Col[] = [...fixed, { header: 'Nơi ở', width: rest * 0.5, align: 'left' }, { header: 'Cha / mẹ (người giám hộ)', width: rest * 0.5, align: 'left' }];
  const rows = s.roster.map((r, i) => [String(i + 1), r.name, r.birthDate, r.sex, r.ethnicity, r.code, r.address, r.parents]);
  const rowH = rowHeight(rows.length, H - M.bottom - FOOTER - y0 - 20);
  table(doc, y0, cols, rows, { size: Math.min(7.5, textSize(rowH, 7.5)), rowH, onNewPage: heading });
}

/** Absences per semester as recorded (excused / unexcused / total); no day-by-day roll call exists to print. */
function attendancePage(doc: Doc, s: RollCallSnapshot): void {
  newPage(doc);
  const heading = headingOf(doc, 'TỔNG HỢP SỐ BUỔI NGHỈ HỌC', s);
  let y0 = heading();
  y0 = line(doc, 'Số buổi nghỉ của mỗi học kỳ do giáo viên chủ nhiệm ghi trong Sổ điểm điện tử. Hệ thống không ghi điểm danh từng ngày, nên sổ không in bảng gọi tên theo ngày.', M.left, y0, INNER, { size: 8, align: 'center', color: '#333333' }) + 4;
  const groups = [...s.attendance.semesters.map((n) => `HK ${n === 1 ? 'I' : 'II'}`), ...(s.attendance.semesters.length > 1 ? ['Cả năm'] : [])];
  const nameW = 170;
  const w = Math.min(70, (INNER - 24 - nameW) / (groups.length * 3));
  const cols: Col[] = [
    { header: 'STT', width: 24, align: 'center' },
    { header: 'Họ và tên học sinh', width: nameW, align: 'left' },
    ...groups.flatMap((g) => ['có phép', 'không phép', 'tổng'].map((k) => ({ header: `${g}: ${k}`, width: w, align: 'center' as const }))),
  ];
  const rows = s.attendance.rows.map((r, i) => [String(i + 1), r.name, ...r.semesters.flat(), ...(s.attendance.semesters.length > 1 ? r.total : [])]);
  const rowH = rowHeight(rows.length, H - M.bottom - FOOTER - y0 - 26);
  table(doc, y0, cols, rows, { size: textSize(rowH, 8), rowH, onNewPage: heading });
}

/** The book's closing: what it holds, the date line, the homeroom teacher's and the principal's signatures. */
function closingPage(doc: Doc, s: RollCallSnapshot): void {
  newPage(doc);
  const heading = headingOf(doc, 'XÁC NHẬN CỦA GIÁO VIÊN CHỦ NHIỆM VÀ HIỆU TRƯỞNG', s);
  let y = heading() + 20;
  const pages = doc.bufferedPageRange().count;
  y = line(doc, `Sổ gồm ${pages} trang: danh sách ${s.roster.length} học sinh, tổng hợp số buổi nghỉ học và ${s.subjectPages.length} trang điểm các môn học (${periodLabel(s.period).toLowerCase()}).`, M.left, y, INNER, { size: 10, align: 'center' });
  y = line(doc, `Bản in được Hiệu trưởng ${s.approvedBy} phê duyệt (lượt in số ${s.runId}); mỗi trang có mã xác thực ${s.code}.`, M.left, y + 6, INNER, { size: 9, align: 'center', color: '#333333' });
  closingSignatures(doc, roomFor(doc, y + 30, 80, heading), s.homeroomTeacher, s.approvedBy);
}
