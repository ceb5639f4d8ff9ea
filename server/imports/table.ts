import { Worker } from 'node:worker_threads';
import type ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../core/errors';
import { checkCsvShape, checkXlsxLimits, IMPORT_LIMITS } from './limits';
import { fromRoot } from '../paths';

/**
 * A spreadsheet read into plain rows, whatever it came as: CSV (UTF-8 with or without BOM, `,` `;` or tab — a
 * Vietnamese Excel saves "CSV UTF-8" with `;` when the list separator is `;`) or XLSX (the first worksheet).
 */
export type Cell = string | number | Date | NoValue | null;

/**
 * A cell whose value could only be had by evaluating it — a formula saved without its computed result (some
 * tools write only the formula), or an Excel error such as #DIV/0! — which nothing here ever does: the row reader
 * refuses it with a reason (RowReader.raw) instead of reading it as empty. A formula saved with its result is read
 * as that result, what Excel shows.
 */
export class NoValue {
  constructor(readonly shown: string) {}
}
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

/** How long a worker may take to read an accepted file, and how much heap it may use, before it is stopped. */
const XLSX_WORKER_TIMEOUT_MS = 30_000;
const XLSX_WORKER_HEAP_MB = 512;

async function readXlsx(fileName: string, buf: Buffer): Promise<SheetRow[]> {
  // Issue 8: a decompression bomb or a 600,000-row sheet is refused from the ZIP directory and a bounded inflate.
  if (!(await checkXlsxLimits(buf))) throw unreadable(fileName);
  // exceljs then parses in a worker thread: the request thread keeps answering others, and a file that still
  // needs too much memory ends that worker (ERR_WORKER_OUT_OF_MEMORY), not the server.
  const result = await new Promise<{ rows?: Array<{ row: number; values: unknown[] }>; error?: string }>((resolve) => {
    const worker = new Worker(fromRoot('server/imports/xlsx-worker.mjs'), {
      workerData: { buf },
      resourceLimits: { maxOldGenerationSizeMb: XLSX_WORKER_HEAP_MB },
    });
    const timer = setTimeout(() => void worker.terminate(), XLSX_WORKER_TIMEOUT_MS);
    let answered = false;
    const done = (r: { rows?: Array<{ row: number; values: unknown[] }>; error?: string }) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      resolve(r);
    };
    worker.once('message', (m) => {
      done(m as { rows?: Array<{ row: number; values: unknown[] }>; error?: string });
      void worker.terminate();
    });
    worker.once('error', (err) => done({ error: (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too_big' : 'unreadable' }));
    worker.once('exit', () => done({ error: 'too_big' }));
  });
  if (result.error === 'too_big') {
    const params = { detail: 'XLSX', maxRows: IMPORT_LIMITS.maxRows, maxColumns: IMPORT_LIMITS.maxColumns };
    throw new AppError('invalid', 'importTooBig', params, { contentBase64: { key: 'importTooBig', params } });
  }
  if (!result.rows) throw unreadable(fileName);
  return result.rows.map((r) => ({ row: r.row, cells: r.values.map((v) => cellValue(v as ExcelJS.CellValue)) }));
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
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
      const result = (v as { result?: unknown }).result;
      if (result === null || result === undefined) return new NoValue(`=${String((v as { formula?: unknown }).formula ?? (v as { sharedFormula?: unknown }).sharedFormula ?? '').slice(0, 40)}`);
      return cellValue(result as ExcelJS.CellValue);
    }
    if ('text' in v && typeof v.text === 'string') return cleanText(v.text);
    if ('error' in v) return new NoValue(String(v.error).slice(0, 40));
  }
  return null;
}

/** Trimmed and NFC-normalised; empty means no value. */
function cleanText(s: string): string | null {
  const t = s.replace(/\u00a0/g, ' ').trim().normalize('NFC');
  return t === '' ? null : t;
}
