import { z } from 'zod';
import type { Db } from '../db/knex';
import { LISTS, resultLists, type ListName } from '../results/lists';
import { classSummary } from '../results/summary';
import type { Actor } from '../core/actor';
import { parse } from '../core/validate';
import { namesOfYear, subjectNames } from './names';
import { addSheet, newWorkbook, toFile, vnDateTime, type Column, type ExportFile } from './xlsx';

/** TT22's words for the stored codes (the record is Vietnamese whatever the portal's language). */
const LEVEL: Record<string, string> = { T: 'Tốt', K: 'Khá', D: 'Đạt', CD: 'Chưa đạt' };
const DECISION: Record<string, string> = {
  promoted: 'Lên lớp',
  held_back: 'Ở lại lớp',
  summer_training: 'Chờ rèn luyện hè',
  retest: 'Chờ kiểm tra lại',
  incomplete: 'Chưa đủ dữ liệu',
};
const HELD_BACK: Record<string, string> = { absences: 'nghỉ quá 45 buổi', conduct: 'rèn luyện Chưa đạt', learning: 'học tập Chưa đạt' };
const AWARD: Record<string, string> = { excellent: 'Học sinh Xuất sắc', very_good: 'Học sinh Giỏi' };
const PERIOD: Record<string, string> = { '1': 'Học kỳ I', '2': 'Học kỳ II', year: 'Cả năm' };
const level = (l: string | null | undefined) => (l ? (LEVEL[l] ?? l) : '');
const counted = (counts: Record<string, number>) =>
  ['T', 'K', 'D', 'CD', 'incomplete']
    .filter((k) => k in counts)
    .map((k) => `${k === 'incomplete' ? 'Chưa đủ dữ liệu' : LEVEL[k]} ${counts[k]}`)
    .join(', ');

type Summary = Awaited<ReturnType<typeof classSummary>>;
type SubjectCell = { hk1?: string | null; hk2?: string | null; year?: string | null; retest?: string | null; final?: string | null };

/**
 * Query — GET /api/exports/class-summary.xlsx?classId&schoolYearId&semester=1|2|year: the bảng tổng hợp as
 * classSummary computes it (same checks), one row per student, subjects by name, the counts under the table.
 */
export async function exportClassSummary(db: Db, actor: Actor, query: unknown): Promise<ExportFile> {
  const data: Summary = await classSummary(db, actor, query);
  const names = await namesOfYear(db, data.schoolYearId);
  const year = data.semester === 'year';
  const key = data.semester === '1' ? 'hk1' : 'hk2';
  const wb = await newWorkbook();
  const columns: Column[] = [
    { header: 'STT', width: 5, kind: 'number' },
    { header: 'Mã học sinh', width: 13 },
    { header: 'Họ và tên', width: 26 },
    ...data.subjects.map((s): Column => ({ header: s.name, width: 10, kind: 'score' })),
    { header: 'Kết quả học tập', width: 11 },
    { header: 'Kết quả rèn luyện', width: 11 },
    { header: 'Số buổi nghỉ', width: 8, kind: 'number' },
    ...(year
      ? [
          { header: 'Lên lớp / ở lại', width: 16, wrap: true },
          { header: 'Môn kiểm tra lại', width: 20, wrap: true },
          { header: 'Rèn luyện hè', width: 10 },
          { header: 'Khen thưởng', width: 18 },
        ]
      : []),
  ];
  const sheet = addSheet(wb, {
    name: `Tổng hợp ${PERIOD[data.semester]}`,
    school: names.school,
    title: 'BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ',
    info: [[`Lớp: ${data.class.name}`, `Kỳ: ${PERIOD[data.semester]}`, `Năm học: ${names.year}`, data.computedAt ? `Tính lúc: ${vnDateTime(data.computedAt)}` : '']],
    columns,
    freezeColumns: 3,
  });
  const nameOf = new Map(data.subjects.map((s) => [s.code, s.name]));
  data.rows.forEach((r, i) => {
    const subjects = data.subjects.map((s) => {
      const c = (r.subjects[s.code] ?? {}) as SubjectCell;
      return year ? (c.final ?? null) : (c[key] ?? null);
    });
    const learning = year ? (r.learning.final ?? r.learning.year) : r.learning[key];
    const conduct = year ? (r.conduct.final ?? r.conduct.year) : r.conduct[key];
    const tail =
      year && 'decision' in r
        ? [
            decisionText(r.decision, r.heldBackReasons),
            r.retestSubjects.map((c) => nameOf.get(c) ?? c).join(', '),
            r.summerTraining ? 'Có' : '',
            r.award ? (AWARD[r.award] ?? r.award) : '',
          ]
        : [];
    const row = sheet.row([i + 1, r.student.code, r.student.fullName, ...subjects, level(learning), level(conduct), r.absences, ...tail]);
    // Điều 13–14: the retest result counts, the original stays visible beside it (as a note on the cell).
    if (year) {
      data.subjects.forEach((s, j) => {
        const c = (r.subjects[s.code] ?? {}) as SubjectCell;
        if (c.retest != null) row.getCell(4 + j).note = `Cả năm: ${shown(c.year)}; kiểm tra lại: ${shown(c.retest)}`;
      });
    }
  });
  const counts = data.counts as Record<string, Record<string, number>>;
  sheet.note(`Kết quả học tập: ${counted(year ? (counts.learningFinal ?? counts.learning) : counts.learning)}`);
  sheet.note(`Kết quả rèn luyện: ${counted(year ? (counts.conductFinal ?? counts.conduct) : counts.conduct)}`);
  if (year && counts.decisions) sheet.note(`Lên lớp / ở lại lớp: ${Object.entries(counts.decisions).map(([d, n]) => `${DECISION[d] ?? d} ${n}`).join(', ')}`);
  return toFile(wb, `Bảng tổng hợp ${data.class.name} - ${PERIOD[data.semester]} - ${names.year}`);
}

const shown = (v: string | null | undefined) => (v === 'D' ? 'Đ' : v === 'CD' ? 'CĐ' : (v ?? '—').replace('.', ','));

function decisionText(decision: string, reasons: string[]): string {
  const d = DECISION[decision] ?? decision;
  return reasons.length > 0 ? `${d} (${reasons.map((x) => HELD_BACK[x] ?? x).join(', ')})` : d;
}

const ListsExportQuery = z.strictObject({ schoolYearId: z.string().optional(), classId: z.string().optional(), list: z.enum(LISTS).optional() });

const LIST_SHEET: Record<ListName, { tab: string; title: string; detail: Column[] }> = {
  promotion: { tab: 'Lên lớp', title: 'DANH SÁCH HỌC SINH LÊN LỚP, Ở LẠI LỚP', detail: [{ header: 'Kết quả', width: 40, wrap: true }] },
  retest: { tab: 'Kiểm tra lại', title: 'DANH SÁCH HỌC SINH KIỂM TRA LẠI', detail: [{ header: 'Môn kiểm tra lại', width: 40, wrap: true }] },
  summer_training: {
    tab: 'Rèn luyện hè',
    title: 'DANH SÁCH HỌC SINH RÈN LUYỆN TRONG KỲ NGHỈ HÈ',
    detail: [
      { header: 'Rèn luyện cả năm', width: 14 },
      { header: 'Sau rèn luyện hè', width: 14 },
    ],
  },
  awards: { tab: 'Khen thưởng', title: 'DANH SÁCH HỌC SINH ĐƯỢC KHEN THƯỞNG', detail: [{ header: 'Danh hiệu', width: 22 }] },
};

type ListItem = Record<string, unknown> & { studentCode: string; fullName: string; className: string };

/**
 * Query — GET /api/exports/result-lists.xlsx?schoolYearId[&classId][&list]: the year-end lists as resultLists
 * reads them (same checks), one sheet per list (or only `list`), each with its approval status in the title.
 */
export async function exportResultLists(db: Db, actor: Actor, query: unknown): Promise<ExportFile> {
  const q = parse(ListsExportQuery, query);
  const data = await resultLists(db, actor, { schoolYearId: q.schoolYearId, ...(q.classId !== undefined ? { classId: q.classId } : {}) });
  const names = await namesOfYear(db, data.schoolYearId);
  const subjects = await subjectNames(db, names.schoolId);
  const scope = data.classId ? `Lớp ${await className(db, data.classId)}` : 'Toàn trường';
  const wb = await newWorkbook();
  for (const list of q.list ? [q.list] : LISTS) {
    const { items: rows, approval } = data.lists[list] as { items: ListItem[]; approval: { version: number; approvedAt: string; approvedBy: { fullName: string }; differs: boolean } | null };
    const spec = LIST_SHEET[list];
    const status = approval
      ? `Hiệu trưởng phê duyệt lần ${approval.version}: ${approval.approvedBy.fullName}, ${vnDateTime(approval.approvedAt)}${approval.differs ? ' (danh sách đã thay đổi sau lần phê duyệt này)' : ''}`
      : 'Chưa được Hiệu trưởng phê duyệt';
    const sheet = addSheet(wb, {
      name: spec.tab,
      school: names.school,
      title: spec.title,
      info: [[`Năm học: ${names.year}`, scope], [status]],
      columns: [{ header: 'STT', width: 5, kind: 'number' }, { header: 'Mã học sinh', width: 13 }, { header: 'Họ và tên', width: 26 }, { header: 'Lớp', width: 8 }, ...spec.detail],
      freezeColumns: 3,
    });
    rows.forEach((it, i) => sheet.row([i + 1, it.studentCode, it.fullName, it.className, ...detailOf(list, it, subjects)]));
    sheet.note(`Tổng số: ${rows.length} học sinh`);
  }
  return toFile(wb, `Danh sách cuối năm - ${scope} - ${names.year}`);
}

function detailOf(list: ListName, it: ListItem, subjects: Map<string, string>): string[] {
  switch (list) {
    case 'promotion':
      return [decisionText(String(it.decision), (it.heldBackReasons as string[] | undefined) ?? [])];
    case 'retest':
      return [((it.subjects as string[] | undefined) ?? []).map((c) => subjects.get(c) ?? c).join(', ')];
    case 'summer_training':
      return [level(it.conductYear as string | null), level(it.afterSummerTraining as string | null)];
    case 'awards':
      return [AWARD[String(it.award)] ?? String(it.award)];
  }
}

async function className(db: Db, classId: number): Promise<string> {
  const row = (await db('classes').where({ id: classId }).first('name')) as { name: string } | undefined;
  return row?.name ?? String(classId);
}
