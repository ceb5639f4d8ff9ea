/**
 * Báo cáo kiểm tra nhập điểm hằng tháng (seed 000: the principal checks entry at least once a month): the timeline
 * files it at each monthly inspection step — who is behind on what, as of that instant — as a PDF kept with its
 * SHA-256, and its list is downloadable as XLSX. Same data, same bytes: the PDF's dates are the step's instant.
 */
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { canReadTimeline } from '../../domain/permissions';
import { spreadsheetSafe } from '../../domain/text';
import type { ActionItem, Progress, Step } from '../../domain/timeline';
import { principalOf, type Actor } from '../core/actor';
import { forbidden, notFound } from '../core/errors';
import { vnDateTime } from '../corrections/minutes';
import type { Db } from '../db/knex';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const nfc = (s: string) => s.normalize('NFC');

export interface InspectionData {
  schoolName: string;
  schoolYear: string;
  period: string;
  at: string;
  teachers: ActionItem[];
}

const monthLabel = (period: string) => `${period.slice(5)}/${period.slice(0, 4)}`;

export async function renderInspectionPdf(d: InspectionData): Promise<Buffer> {
  // Loaded on first use: pdfkit is not needed to start the server (a warm start is measured, issue 11).
  const { default: PDFDocument } = await import('pdfkit');
  const at = new Date(d.at);
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 50, right: 50 }, lang: 'vi-VN', info: { Title: nfc(`Báo cáo kiểm tra nhập điểm tháng ${monthLabel(d.period)}`), Author: nfc(d.schoolName), CreationDate: at, ModDate: at } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('R', FONT);
  doc.registerFont('B', FONT_BOLD);
  const width = doc.page.width - 100;
  doc.font('B').fontSize(10).text(nfc(d.schoolName.toUpperCase()), { width, align: 'left' });
  doc.moveDown(1.5);
  doc.font('B').fontSize(14).text(nfc(`BÁO CÁO KIỂM TRA NHẬP ĐIỂM THÁNG ${monthLabel(d.period)}`), { width, align: 'center' });
  doc.font('R').fontSize(10).text(nfc(`Năm học ${d.schoolYear} — số liệu lúc ${vnDateTime(d.at)} (giờ Việt Nam)`), { width, align: 'center' });
  doc.moveDown(1);
  const total = d.teachers.reduce((n, t) => n + t.missing, 0);
  doc.fontSize(11).text(nfc(d.teachers.length === 0 ? 'Tất cả giáo viên đã nhập đủ điểm đến hạn.' : `${d.teachers.length} giáo viên còn thiếu tổng cộng ${total} điểm đến hạn:`), { width });
  doc.moveDown(0.5);
  d.teachers.forEach((t, i) => {
    doc.font('B').fontSize(10.5).text(nfc(`${i + 1}. ${t.personName} — thiếu ${t.missing}`), { width });
    doc.font('R').fontSize(9.5);
    for (const x of t.details) {
      doc.text(nfc(`   • ${x.className} – ${x.subjectName} (${(x.columns ?? []).join(', ')}): thiếu ${x.missing}${x.overdueDays ? `, quá hạn ${x.overdueDays} ngày` : ''}`), { width });
    }
  });
  doc.moveDown(2);
  doc.font('B').fontSize(10.5).text(nfc('HIỆU TRƯỞNG'), doc.page.margins.left + width / 2, doc.y, { width: width / 2, align: 'center' });
  doc.font('R').fontSize(9).text(nfc('(Ký, ghi rõ họ tên)'), { width: width / 2, align: 'center' });
  doc.end();
  return done;
}

/** Files the month's report once (unique per year and month); a retried step finds it there. */
export async function fileInspectionReport(trx: Knex.Transaction, schoolId: number, schoolYearId: number, step: Step, progress: Progress, now: string): Promise<void> {
  const school = (await trx('schools').where({ id: schoolId }).first('name')) as { name: string };
  const year = (await trx('school_years').where({ id: schoolYearId }).first('name')) as { name: string };
  const teachers = progress.available ? progress.debts.filter((x) => x.missing > 0).map((x) => ({ personId: x.personId, personName: x.personName, missing: x.missing, details: x.details })) : [];
  const data: InspectionData = { schoolName: school.name, schoolYear: year.name, period: step.period, at: step.at, teachers };
  const pdf = await renderInspectionPdf(data);
  await trx('inspection_reports')
    .insert({ school_id: schoolId, school_year_id: schoolYearId, period: step.period, at: step.at, data: JSON.stringify(data), pdf, sha256: crypto.createHash('sha256').update(pdf).digest('hex'), created_at: now })
    .onConflict(['school_year_id', 'period'])
    .ignore();
}

async function loadReport(db: Db, actor: Actor, id: number) {
  const row = (await db('inspection_reports').where({ id }).first()) as Record<string, unknown> | undefined;
  if (!row) throw notFound('inspection-reports', id);
  if (!canReadTimeline(principalOf(actor), Number(row.school_id))) throw forbidden();
  return row;
}

export async function listInspectionReports(db: Db, actor: Actor, schoolYearId: number) {
  const year = (await db('school_years').where({ id: schoolYearId }).first('school_id')) as { school_id: number } | undefined;
  if (!year) throw notFound('school-years', schoolYearId);
  if (!canReadTimeline(principalOf(actor), Number(year.school_id))) throw forbidden();
  const rows = (await db('inspection_reports').where({ school_year_id: schoolYearId }).orderBy('period').select('id', 'period', 'at', 'sha256', 'data')) as Array<Record<string, unknown>>;
  return rows.map((r) => {
    const d = JSON.parse(String(r.data)) as InspectionData;
    return { id: Number(r.id), period: String(r.period), at: String(r.at), sha256: String(r.sha256), teachersBehind: d.teachers.length, missing: d.teachers.reduce((n, t) => n + t.missing, 0) };
  });
}

export async function inspectionPdf(db: Db, actor: Actor, id: number): Promise<{ fileName: string; pdf: Buffer }> {
  const row = await loadReport(db, actor, id);
  return { fileName: `kiem-tra-nhap-diem-${row.period}.pdf`, pdf: Buffer.from(row.pdf as Uint8Array) };
}

/** The report's list as a spreadsheet: one row per teacher × grade book; text cells neutralised against formulas. */
export async function inspectionXlsx(db: Db, actor: Actor, id: number): Promise<{ fileName: string; xlsx: Buffer }> {
  const row = await loadReport(db, actor, id);
  const d = JSON.parse(String(row.data)) as InspectionData;
  const { default: ExcelJS } = await import('exceljs'); // loaded on first use, as pdfkit above
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`Tháng ${monthLabel(d.period).replace('/', '-')}`);
  ws.columns = [
    { header: 'Giáo viên', key: 'teacher', width: 28 },
    { header: 'Lớp', key: 'class', width: 8 },
    { header: 'Môn học', key: 'subject', width: 36 },
    { header: 'Cột điểm còn thiếu', key: 'columns', width: 28 },
    { header: 'Số điểm thiếu', key: 'missing', width: 14 },
    { header: 'Quá hạn (ngày)', key: 'late', width: 14 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const t of d.teachers) {
    for (const x of t.details) {
      ws.addRow({ teacher: spreadsheetSafe(t.personName), class: spreadsheetSafe(x.className ?? ''), subject: spreadsheetSafe(x.subjectName ?? ''), columns: spreadsheetSafe((x.columns ?? []).join(', ')), missing: x.missing, late: x.overdueDays ?? 0 });
    }
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { fileName: `kiem-tra-nhap-diem-${d.period}.xlsx`, xlsx: Buffer.from(await wb.xlsx.writeBuffer()) };
}
