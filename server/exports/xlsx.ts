import type ExcelJS from 'exceljs';
import { VN_OFFSET_MS } from '../../domain/cutoffs';
import { spreadsheetSafe } from '../../domain/text';

/**
 * What every Excel export shares (issue 12): a sheet laid out as a Vietnamese school prints it — the school, a
 * title and the "Lớp: … / Học kỳ: …" lines above a bold header row that stays frozen and repeats on every printed
 * page, landscape and one page wide — numbers stored as numbers with formats that show the decimal comma, dates as
 * real dates shown dd/mm/yyyy, and every text cell neutralised against formulas (domain/text.ts spreadsheetSafe).
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A finished export: what the HTTP layer sends (server/http/download.ts names it in Content-Disposition). */
export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/**
 * Number formats. An Excel format code cannot force the decimal separator: Excel takes it from the system, so a
 * Vietnamese Windows shows 8,5. The `[$-42A]` tag marks the format as Vietnamese, which LibreOffice (and Excel
 * for dates) honours whatever the system, so 8,5 is what a teacher sees; the cell keeps the number 8.5 either way.
 */
export const FORMAT = {
  score: '[$-42A]0.0',
  percent: '[$-42A]0.0%',
  integer: '0',
  date: 'dd/mm/yyyy',
  dateTime: 'dd/mm/yyyy hh:mm',
} as const;

/**
 * How a column's values are written: text; a number; a score or average (a canonical decimal string such as
 * '8.5' becomes the number, 'D' / 'CD' the text Đ / CĐ); a percent given in percent units (87.5); a calendar date
 * ('2026-11-20'); an instant shown in Vietnam time.
 */
export type ColumnKind = 'text' | 'number' | 'score' | 'percent' | 'date' | 'dateTime';
export interface Column {
  header: string;
  width: number;
  kind?: ColumnKind;
  wrap?: boolean;
}
export type Value = string | number | null | undefined;

export interface SheetSpec {
  /** Shown on the tab (Vietnamese; Excel allows 31 characters and none of \ / ? * [ ] :). */
  name: string;
  school: string;
  title: string;
  /** Lines under the title; each part goes into its own cell, left to right ("Lớp: 6A1", "Học kỳ: I" …). */
  info: string[][];
  columns: Column[];
  /** Columns kept in view when scrolling sideways (STT, code, name). */
  freezeColumns?: number;
}

/** exceljs is large: it loads on the first export, not when the server starts. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Sổ điểm điện tử';
  return wb;
}

export async function toFile(wb: ExcelJS.Workbook, fileName: string): Promise<ExportFile> {
  return { fileName: `${safeFileName(fileName)}.xlsx`, contentType: XLSX_TYPE, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}

const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** One table sheet: title rows, the header, then `row` per line and `note` under the table. */
export class Sheet {
  readonly headerRow: number;
  private last: number;
  private noted = false;

  constructor(
    readonly ws: ExcelJS.Worksheet,
    private readonly spec: SheetSpec,
  ) {
    const width = Math.max(spec.columns.length, 1);
    ws.columns = spec.columns.map((c) => ({ width: c.width }));
    const school = ws.getRow(1).getCell(1);
    school.value = text(spec.school.toUpperCase());
    school.font = { bold: true };
    const title = ws.getRow(2).getCell(1);
    title.value = text(spec.title);
    title.font = { bold: true, size: 14 };
    title.alignment = { horizontal: 'center' };
    if (width > 1) ws.mergeCells(2, 1, 2, width);
    spec.info.forEach((parts, i) => {
      const step = Math.max(1, Math.floor(width / Math.max(parts.length, 1)));
      parts.forEach((p, j) => {
        ws.getRow(3 + i).getCell(1 + j * step).value = text(p);
      });
    });
    this.headerRow = 3 + spec.info.length + 1;
    const header = ws.getRow(this.headerRow);
    spec.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = text(c.header);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      cell.border = THIN;
    });
    this.last = this.headerRow;
    ws.views = [{ state: 'frozen', ySplit: this.headerRow, xSplit: spec.freezeColumns ?? 0, activeCell: `A${this.headerRow + 1}` }];
    ws.pageSetup = {
      orientation: 'landscape',
      paperSize: 9, // A4
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${this.headerRow}:${this.headerRow}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    };
  }

  row(values: Value[], style: { bold?: boolean; indent?: boolean } = {}): ExcelJS.Row {
    const r = this.ws.getRow(++this.last);
    this.spec.columns.forEach((c, i) => {
      const cell = r.getCell(i + 1);
      write(cell, c.kind ?? 'text', values[i]);
      cell.border = THIN;
      cell.alignment = { vertical: 'top', wrapText: c.wrap ?? false, horizontal: (c.kind ?? 'text') === 'text' ? 'left' : 'center', indent: style.indent && i === 1 ? 1 : 0 };
      if (style.bold) cell.font = { bold: true };
    });
    return r;
  }

  /** A line of text under the table (a count, a legend, a cut-off list). */
  note(line: string): void {
    // One blank line between the table and its notes.
    if (!this.noted) this.last += 1;
    this.noted = true;
    this.ws.getRow(++this.last).getCell(1).value = text(line);
  }
}

export function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): Sheet {
  return new Sheet(wb.addWorksheet(sheetName(spec.name)), spec);
}

function write(cell: ExcelJS.Cell, kind: ColumnKind, v: Value): void {
  if (v === null || v === undefined || v === '') return;
  switch (kind) {
    case 'score':
      if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(v)) {
        cell.value = Number(v);
        cell.numFmt = FORMAT.score;
      } else cell.value = text(v === 'D' ? 'Đ' : v === 'CD' ? 'CĐ' : v);
      return;
    case 'number':
      cell.value = typeof v === 'number' ? v : text(v);
      if (typeof v === 'number') cell.numFmt = FORMAT.integer;
      return;
    case 'percent':
      cell.value = typeof v === 'number' ? v / 100 : text(v);
      if (typeof v === 'number') cell.numFmt = FORMAT.percent;
      return;
    case 'date':
      cell.value = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : text(String(v));
      cell.numFmt = FORMAT.date;
      return;
    case 'dateTime':
      // exceljs writes a Date as its UTC wall clock: shift it so the cell shows the time in Vietnam.
      cell.value = typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v) + VN_OFFSET_MS) : text(String(v));
      cell.numFmt = FORMAT.dateTime;
      return;
    case 'text':
      cell.value = typeof v === 'number' ? v : text(v);
      // Text format: what a teacher types there stays text (a code keeps its leading 0, "=…" is not a formula).
      cell.numFmt = '@';
  }
}

/** Every text a sheet holds goes through here: one starting with = + - @, a tab or CR gets a leading apostrophe. */
export function text(v: string): string {
  return spreadsheetSafe(v);
}

/** A valid tab name: no \ / ? * [ ] :, at most 31 characters, not empty. */
export function sheetName(name: string): string {
  const s = name.replace(/[\\/?*[\]:]/g, '-').trim().slice(0, 31);
  return s || 'Sheet1';
}

/** A file name any system accepts (the Vietnamese letters stay: Content-Disposition carries them as UTF-8). */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[\\/:*?"<>|\p{Cc}]/gu, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 150) || 'export'
  );
}

/** dd/mm/yyyy of a calendar date (YYYY-MM-DD), for title lines. */
export function vnDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** dd/mm/yyyy hh:mm in Vietnam time of an instant, for title lines. */
export function vnDateTime(instant: string): string {
  const d = new Date(Date.parse(instant) + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
