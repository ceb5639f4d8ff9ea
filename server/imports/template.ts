import { searchKey } from '../../domain/text';
import type { Cell, SheetRow } from './table';
import { AppError } from '../core/errors';

/** One column of an import template (docs/import-templates.md): its Vietnamese header and accepted variants. */
export interface ColumnSpec {
  key: string;
  header: string;
  aliases?: string[];
  /** The column must be present and every row must give a value. */
  required?: boolean;
}

/** A data row of the file: the template's values by key, and its spreadsheet row number. */
export interface ImportRow {
  row: number;
  values: Record<string, Cell>;
}

/** The header row may sit under a title ("DANH SÁCH HỌC SINH LỚP 6A1"): it is looked for among the first rows. */
const HEADER_SEARCH_ROWS = 10;

/** Where the header row is (its index in the sheet) and which column each known header sits in. */
export interface HeaderRow {
  index: number;
  positions: Map<string, number>;
}

/**
 * Finds the header row (the first that names every required column, matched without case or diacritics) and
 * returns the data rows below it, fully empty rows left out. Columns the template does not know (STT, Ghi chú …)
 * are ignored.
 */
export function locateColumns(sheet: SheetRow[], columns: ColumnSpec[]): ImportRow[] {
  return rowsBelow(sheet, columns, locateHeader(sheet, columns));
}

/** The header row alone: a template whose columns vary (the score import) checks which ones the file has. */
export function locateHeader(sheet: SheetRow[], columns: ColumnSpec[]): HeaderRow {
  const keyOfHeader = new Map<string, string>();
  for (const c of columns) for (const h of [c.header, ...(c.aliases ?? [])]) keyOfHeader.set(searchKey(h), c.key);
  const required = columns.filter((c) => c.required);

  let best: { index: number; positions: Map<string, number>; found: number } | null = null;
  for (const [index, r] of sheet.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const positions = new Map<string, number>();
    r.cells.forEach((cell, i) => {
      const key = typeof cell === 'string' ? keyOfHeader.get(searchKey(cell)) : undefined;
      if (key && !positions.has(key)) positions.set(key, i);
    });
    const found = required.filter((c) => positions.has(c.key)).length;
    if (positions.size > 0 && (!best || found > best.found)) best = { index, positions, found };
    if (found === required.length && positions.size > 0) break;
  }
  const missing = required.filter((c) => !best?.positions.has(c.key)).map((c) => c.header);
  if (!best || missing.length > 0) {
    const list = (missing.length > 0 ? missing : required.map((c) => c.header)).join(', ');
    throw new AppError('invalid', 'importMissingColumns', { columns: list }, { fileName: { key: 'importMissingColumns', params: { columns: list } } });
  }
  return { index: best.index, positions: best.positions };
}

/** The data rows under a header row, by the template's keys (a column the file lacks reads as empty). */
export function rowsBelow(sheet: SheetRow[], columns: ColumnSpec[], { index, positions }: HeaderRow): ImportRow[] {
  return sheet
    .slice(index + 1)
    .map((r) => ({ row: r.row, values: Object.fromEntries(columns.map((c) => [c.key, positions.has(c.key) ? (r.cells[positions.get(c.key)!] ?? null) : null])) }))
    .filter((r) => Object.values(r.values).some((v) => v !== null));
}
