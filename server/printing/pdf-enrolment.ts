import type { EnrolmentLine, EnrolmentSnapshot } from './enrolment-snapshot';
import { cover, footers, INNER, M, line, newPage, openDoc, roomFor, signature, tableLines, type Col, type Doc } from './pdf-kit';

/**
 * Renderer `enrolment@1` — Sổ đăng bộ, A4 landscape: a cover, then each class on its own pages (header repeated),
 * one two-line row per student with the register number, and at the end the total and the principal's signature;
 * the verification code and QR on every page. Frozen once registered.
 */
export async function renderEnrolmentV1(s: EnrolmentSnapshot): Promise<{ pdf: Buffer; pages: number }> {
  const scope = s.grade === null ? 'Toàn trường' : `Khối ${s.grade}`;
  const { doc, finish } = await openDoc({ title: `Sổ đăng bộ – ${scope} – năm học ${s.schoolYear}`, school: s.school.name, runId: s.runId, code: s.code, approvedAt: s.approvedAt });
  cover(doc, {
    school: s.school.name,
    title: 'SỔ ĐĂNG BỘ',
    subtitle: '(Bản in từ Sổ điểm điện tử)',
    rows: [
      ['Trường', s.school.name],
      ['Năm học', s.schoolYear],
      ['Phạm vi', scope],
      ['Số lớp', String(s.classes.length)],
      ['Số học sinh', String(s.total)],
    ],
    approvedBy: s.approvedBy,
    approvedAt: s.approvedAt,
    runId: s.runId,
  });
  let y = M.top;
  let heading = () => M.top;
  for (const c of s.classes) {
    newPage(doc);
    heading = () => {
      line(doc, `SỔ ĐĂNG BỘ – NĂM HỌC ${s.schoolYear} – LỚP ${c.name}`, M.left, M.top, INNER, { size: 12, bold: true, align: 'center' });
      line(doc, `${c.rows.length} học sinh – Giáo viên chủ nhiệm: ${c.homeroomTeacher ?? '…'}`, M.left, M.top + 17, INNER, { size: 9, align: 'center' });
      return M.top + 34;
    };
    y = tableLines(doc, heading(), COLS, c.rows.map(cells), { size: 7, lines: 2, onNewPage: heading });
  }
  closing(doc, s, y, heading);
  const pages = doc.bufferedPageRange().count;
  footers(doc, s, pages);
  return { pdf: await finish(), pages };
}

const COLS: Col[] = [
  { header: 'Số đăng bộ', width: 30, align: 'center' },
  { header: 'Họ và tên\nMã học sinh', width: 106, align: 'left' },
  { header: 'Ngày sinh\nGiới tính', width: 50, align: 'center' },
  { header: 'Dân tộc', width: 38, align: 'center' },
  { header: 'Nơi sinh', width: 82, align: 'left', wrap: true },
  { header: 'Quê quán', width: 82, align: 'left', wrap: true },
  { header: 'Cha, mẹ (người giám hộ), nghề nghiệp', width: 138, align: 'left' },
  { header: 'Chỗ ở hiện nay', width: 96, align: 'left', wrap: true },
  { header: 'Ngày vào trường', width: 46, align: 'center' },
];
COLS.push({ header: 'Rời trường (ngày, lý do)', width: INNER - COLS.reduce((a, c) => a + c.width, 0), align: 'left', wrap: true });

function cells(r: EnrolmentLine): string[][] {
  const family = [r.father && `Cha: ${r.father}`, r.mother && `Mẹ: ${r.mother}`].filter(Boolean) as string[];
  return [
    [r.number],
    [r.name, r.code],
    [r.birthDate, r.sex],
    [r.ethnicity],
    [r.placeOfBirth],
    [r.homeTown],
    family.length > 0 ? family : r.guardian ? [`Giám hộ: ${r.guardian}`] : [],
    [r.address],
    [r.enrolledOn],
    [r.left],
  ];
}

function closing(doc: Doc, s: EnrolmentSnapshot, y0: number, heading: () => number): void {
  let y = roomFor(doc, y0 + 10, 100, heading);
  y = line(doc, `Tổng số: ${s.total} học sinh, ${s.classes.length} lớp. Số đăng bộ là thứ tự của học sinh theo ngày vào trường, rồi theo mã học sinh.`, M.left, y, INNER, { size: 9 });
  line(doc, `……, ngày … tháng … năm …`, M.left + INNER * 0.55, y + 6, INNER * 0.45, { size: 9, align: 'center' });
  signature(doc, M.left + INNER * 0.57, y + 18, INNER * 0.38, 'HIỆU TRƯỞNG', s.approvedBy, 'Hiệu trưởng');
}
