import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../core/errors';
import { checkCsvShape, checkXlsxLimits, IMPORT_LIMITS } from './limits';

/**
 * A spreadsheet read into plain rows, whatever it came as: CSV (UTF-8 with or without BOM, `,` `;` or tab — a
 * Vietnamese Excel saves "CSV UTF-8" with `;` when the list separator is `;`) or XLSX (the first worksheet).
 */
export type Cell = string | number | Date | null;
export interface SheetRow {
  /** The row number a user sees in the spreadsheet (1 = first row). */
  row: number;
  cells: Cell[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(buf: Buffer): boolean {
  return ZIP_MAGIC.every((b, i) => buf[i] === b);
}

export async function readTable(fileName: string, buf: Buffer): Promise<SheetRow[]> {
  const lower = fileName.toLowerCase();
  if (isZip(buf)) {
    if (!lower.endsWith('.xlsx')) throw unreadable(fileName);
    return readXlsx(fileName, buf);
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return readCsv(fileName, buf);
  throw unreadable(fileName);
}

function unreadable(fileName: string): AppError {
  return new AppError('invalid', 'importUnreadable', { fileName }, { fileName: { key: 'importUnreadable', params: { fileName } } });
}

function readCsv(fileName: string, buf: Buffer): SheetRow[] {
  let text: string;
  try {
    // fatal: a file saved in a legacy code page (Windows-1258, TCVN3) is refused rather than read as mojibake.
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new AppError('invalid', 'importNotUtf8', {}, { contentBase64: { key: 'importNotUtf8' } });
  }
  text = text.replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      // Issue 8: a file of 600,000 short rows is refused after the limit, not parsed whole.
      to: IMPORT_LIMITS.maxRows + 1,
    }) as string[][];
  } catch {
    throw unreadable(fileName);
  }
  checkCsvShape(records);
  // One record is one spreadsheet row (a quoted cell may span lines, as Excel shows it in one row).
  return records.map((cells, i) => ({ row: i + 1, cells: cells.map(cleanText) }));
}

/** The separator used most over the first lines, outside quotes (a title row alone could mislead). */
function guessDelimiter(text: string): string {
  const head = text.split(/\r?\n/).slice(0, 10).join('\n').replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t'].map((d) => [d, head.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

async function readXlsx(fileName: string, buf: Buffer): Promise<SheetRow[]> {
  // Issue 8: a decompression bomb or a 600,000-row sheet is refused from the ZIP directory and a bounded inflate.
  await checkXlsxLimits(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw unreadable(fileName);
  }
  const ws = wb.worksheets.find((w) => w.state === 'visible') ?? wb.worksheets[0];
  if (!ws) throw unreadable(fileName);
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push({ row: rowNumber, cells: Array.from(values, (v) => cellValue(v as ExcelJS.CellValue)) });
  });
  return rows;
}

/** exceljs hands back rich text, formulas, hyperlinks and errors as objects: keep what the user sees. */
function cellValue(v: ExcelJS.CellValue | undefined): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return cleanText(v.richText.map((r) => r.text).join(''));
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return cleanText(v.text);
    if ('error' in v) return null;
  }
  return null;
}

/** Trimmed and NFC-normalised; empty means no value. */
function cleanText(s: string): string | null {
  const t = s.replace(/\u00a0/g, ' ').trim().normalize('NFC');
  return t === '' ? null : t;
}
