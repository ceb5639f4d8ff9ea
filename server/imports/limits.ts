import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AppError } from '../core/errors';

/**
 * Bounds on what an import file may expand to, checked before the file is parsed whole (issue 8, item 4): an XLSX
 * is a ZIP, and 1.5 MB of it can hold 1.5 GB of cells. The ZIP's central directory gives each entry's size; it
 * may lie, so each entry is also inflated against a byte budget (never more than the budget is produced), and the
 * worksheets' rows and cells are counted in the inflated XML before exceljs sees the file.
 */
export const IMPORT_LIMITS = {
  /** All entries of the ZIP together, uncompressed (a 5,000-row template with 30 columns is some 15 MB). */
  maxUncompressedBytes: 40 * 1024 * 1024,
  maxEntries: 2000,
  /** Physical rows of all worksheets (empty formatted rows count): far above the 5,000 data rows an import takes. */
  maxRows: 20_000,
  maxColumns: 200,
  maxCells: 400_000,
} as const;

export type LimitDetail = string;

function tooBig(detail: LimitDetail): AppError {
  const params = { detail, maxRows: IMPORT_LIMITS.maxRows, maxColumns: IMPORT_LIMITS.maxColumns };
  return new AppError('invalid', 'importTooBig', params, { contentBase64: { key: 'importTooBig', params } });
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The entries named by the central directory, or null when the buffer is not a ZIP we read (no ZIP64, no split). */
function centralDirectory(buf: Buffer): Entry[] | null {
  const EOCD = 0x06054b50;
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > buf.length) return null;
  if (count > IMPORT_LIMITS.maxEntries) throw tooBig(`${count} entries`);
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const inflateRaw = promisify(zlib.inflateRaw) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;

/**
 * An entry's bytes, inflated in the libuv thread pool (not on the request thread) with at most the size the ZIP
 * declares for it (and what remains of the budget): an entry that inflates to more than it declares is a bomb
 * lying about its size and is refused after that many bytes, not after gigabytes.
 */
async function inflateEntry(buf: Buffer, e: Entry, budget: number): Promise<Buffer | null> {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) return null;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    if (data.length > budget) throw tooBig(`> ${mb(IMPORT_LIMITS.maxUncompressedBytes)}`);
    return data;
  }
  if (e.method !== 8) return null;
  try {
    return await inflateRaw(data, { maxOutputLength: Math.max(1, Math.min(budget, e.uncompressedSize)) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooBig(`> ${mb(IMPORT_LIMITS.maxUncompressedBytes)}`);
    return null; // corrupt: exceljs reports the file unreadable
  }
}

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Rows, cells and the widest column of a worksheet's XML (namespace prefixes allowed, as some writers use). */
function countSheet(xml: string): { rows: number; cells: number; columns: number } {
  let rows = 0;
  let cells = 0;
  const tag = /<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s>/]/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[1] === 'row') rows++;
    else cells++;
  }
  let columns = 0;
  const dim = /<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="([A-Z]{1,3})?\d*(?::([A-Z]{1,3})\d*)?"/.exec(xml);
  const last = dim?.[2] ?? dim?.[1];
  if (last) columns = [...last].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0);
  return { rows, cells, columns };
}

/**
 * Refuses an XLSX whose entries, once uncompressed, exceed the limits — by the sizes the ZIP declares first, then
 * by inflating each entry against what remains of the budget — and whose worksheets have too many rows, cells or
 * columns. Returns false for a ZIP whose directory it cannot read (ZIP64, damaged): the caller refuses it as
 * unreadable rather than hand exceljs a file nobody has measured.
 */
export async function checkXlsxLimits(buf: Buffer): Promise<boolean> {
  const entries = centralDirectory(buf);
  if (!entries) return false;
  const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (declared > IMPORT_LIMITS.maxUncompressedBytes) throw tooBig(`${mb(declared)} > ${mb(IMPORT_LIMITS.maxUncompressedBytes)}`);
  let budget = IMPORT_LIMITS.maxUncompressedBytes;
  let rows = 0;
  let cells = 0;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const out = await inflateEntry(buf, e, budget);
    if (!out) continue;
    budget -= out.length;
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) continue;
    const sheet = countSheet(out.toString('utf8'));
    rows += sheet.rows;
    cells += sheet.cells;
    if (sheet.columns > IMPORT_LIMITS.maxColumns) throw tooBig(`${sheet.columns} columns`);
    if (rows > IMPORT_LIMITS.maxRows) throw tooBig(`${rows} rows`);
    if (cells > IMPORT_LIMITS.maxCells) throw tooBig(`${cells} cells`);
  }
  return true;
}

/** A CSV's rows are counted while it is parsed (csv-parse stops after maxRows + 1); its columns here. */
export function checkCsvShape(records: string[][]): void {
  if (records.length > IMPORT_LIMITS.maxRows) throw tooBig(`> ${IMPORT_LIMITS.maxRows} rows`);
  let cells = 0;
  for (const r of records) {
    if (r.length > IMPORT_LIMITS.maxColumns) throw tooBig(`${r.length} columns`);
    cells += r.length;
  }
  if (cells > IMPORT_LIMITS.maxCells) throw tooBig(`${cells} cells`);
}

/** At most this many imports are read and checked at once; more get 503 with a message to retry shortly. */
export const MAX_CONCURRENT_IMPORTS = 2;
let running = 0;

export async function withImportSlot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_IMPORTS) throw new AppError('busy', 'importBusy');
  running++;
  try {
    return await run();
  } finally {
    running--;
  }
}
