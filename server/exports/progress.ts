import type { Db } from '../db/knex';
import { overdueCells, progressSummary } from '../progress/view';
import type { Figures } from '../progress/report';
import type { Actor } from '../core/actor';
import { namesOfYear } from './names';
import { addSheet, newWorkbook, toFile, vnDateTime, type Column, type ExportFile, type Value } from './xlsx';

const GROUP: Record<string, string> = { teacher: 'Giáo viên', class: 'Lớp', subject: 'Môn học', department: 'Tổ chuyên môn' };
const GROUP_FILE: Record<string, string> = { teacher: 'theo giáo viên', class: 'theo lớp', subject: 'theo môn', department: 'theo tổ' };
const roman = (n: number) => (n === 2 ? 'II' : 'I');
const days = (hours: number | null) => (hours === null ? null : Math.floor(hours / 24));

const figures = (f: Figures): Value[] => [f.required, f.entered, f.percent, f.week.required, f.week.entered, f.week.percent, f.overdueCells, days(f.maxOverdueHours)];

/**
 * Query — GET /api/exports/progress.xlsx?groupBy&sort&semesterId&… (the filters of GET /api/progress): the
 * progress view as progressSummary computes it for this user, one line per teacher / class / subject / department
 * followed by its grade books, then the total.
 */
export async function exportProgress(db: Db, actor: Actor, query: unknown): Promise<ExportFile> {
  const q = { ...(query as Record<string, unknown>), items: 'true' };
  const data = await progressSummary(db, actor, q, 'vi');
  const names = await namesOfYear(db, data.schoolYear.id);
  const wb = await newWorkbook();
  const columns: Column[] = [
    { header: 'STT', width: 5, kind: 'number' },
    { header: GROUP[data.groupBy], width: 26 },
    { header: 'Sổ điểm (lớp · môn)', width: 28 },
    { header: 'Giáo viên', width: 22 },
    { header: 'Phải nhập', width: 9, kind: 'number' },
    { header: 'Đã nhập', width: 9, kind: 'number' },
    { header: 'Tỉ lệ', width: 8, kind: 'percent' },
    { header: 'Tuần này: phải nhập', width: 10, kind: 'number', wrap: true },
    { header: 'Tuần này: đã nhập', width: 10, kind: 'number', wrap: true },
    { header: 'Tuần này: tỉ lệ', width: 9, kind: 'percent', wrap: true },
    { header: 'Ô quá hạn', width: 9, kind: 'number' },
    { header: 'Trễ nhất (ngày)', width: 9, kind: 'number', wrap: true },
  ];
  const sheet = addSheet(wb, {
    name: `Tiến độ ${GROUP_FILE[data.groupBy]}`,
    school: names.school,
    title: 'TIẾN ĐỘ NHẬP ĐIỂM',
    info: [[`Học kỳ: ${roman(data.semester.number)}`, `Năm học: ${names.year}`, `Tuần đến: ${vnDateTime(data.week.until)}`, `Lúc: ${vnDateTime(data.now)}`]],
    columns,
    freezeColumns: 2,
  });
  data.rows.forEach((r, i) => {
    sheet.row([i + 1, r.label, '', '', ...figures(r)], { bold: true });
    for (const it of r.items ?? []) sheet.row([null, '', `${it.className} · ${it.subjectName}`, it.teacherName, ...figures(it)], { indent: true });
  });
  sheet.row([null, 'Tổng cộng', '', '', ...figures(data.totals)], { bold: true });
  return toFile(wb, `Tiến độ nhập điểm - ${GROUP_FILE[data.groupBy]} - HK ${roman(data.semester.number)} - ${names.year}`);
}

/** The most lines one overdue export holds: GET /api/progress/overdue's own page limit. */
export const OVERDUE_EXPORT_LIMIT = 5000;

/**
 * Query — GET /api/exports/overdue.xlsx?by=column|cell&semesterId&… : the overdue list as overdueCells builds it
 * for this user (worst first), up to 5,000 lines; a longer list says how many were left out.
 */
export async function exportOverdue(db: Db, actor: Actor, query: unknown): Promise<ExportFile> {
  const q = { ...(query as Record<string, unknown>), offset: '0', limit: String(OVERDUE_EXPORT_LIMIT) };
  const data = await overdueCells(db, actor, q, 'vi');
  const names = await namesOfYear(db, data.schoolYear.id);
  const byColumn = data.by === 'column';
  const wb = await newWorkbook();
  const columns: Column[] = [
    { header: 'STT', width: 5, kind: 'number' },
    { header: 'Giáo viên', width: 22 },
    { header: 'Lớp', width: 7 },
    { header: 'Môn học', width: 22 },
    ...(byColumn
      ? [
          { header: 'Cột điểm', width: 9 },
          { header: 'Số học sinh thiếu', width: 10, kind: 'number' as const, wrap: true },
          { header: 'Một số học sinh', width: 40, wrap: true },
        ]
      : [
          { header: 'Mã học sinh', width: 13 },
          { header: 'Họ và tên', width: 24 },
          { header: 'Cột điểm', width: 9 },
        ]),
    { header: 'Hạn nhập', width: 16, kind: 'dateTime' },
    { header: 'Trễ (ngày)', width: 8, kind: 'number' },
  ];
  const sheet = addSheet(wb, {
    name: byColumn ? 'Quá hạn theo cột' : 'Quá hạn theo ô',
    school: names.school,
    title: 'DANH SÁCH ĐIỂM QUÁ HẠN NHẬP',
    info: [[`Học kỳ: ${roman(data.semester.number)}`, `Năm học: ${names.year}`, `Lúc: ${vnDateTime(data.now)}`]],
    columns,
    freezeColumns: 2,
  });
  data.items.forEach((o, i) => {
    const item = o as typeof o & { student?: { code: string; fullName: string }; students?: number; someStudents?: string[] };
    const what: Value[] = byColumn
      ? [o.column, item.students ?? null, (item.someStudents ?? []).join(', ') + ((item.students ?? 0) > (item.someStudents?.length ?? 0) ? '…' : '')]
      : [item.student?.code ?? '', item.student?.fullName ?? '', o.column];
    sheet.row([i + 1, o.teacher.name, o.class.name, o.subject.name, ...what, o.due, days(o.overdueHours)]);
  });
  const total = data.total;
  sheet.note(byColumn ? `Tổng số: ${total} cột điểm quá hạn (${'cells' in data ? data.cells : 0} ô)` : `Tổng số: ${total} ô điểm quá hạn`);
  if (total > data.items.length) sheet.note(`Chỉ ghi ${data.items.length} dòng đầu (trễ nhất trước) trong ${total} dòng.`);
  return toFile(wb, `Điểm quá hạn - HK ${roman(data.semester.number)} - ${names.year}`);
}
