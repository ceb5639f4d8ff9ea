import { searchKey } from '../../domain/text';
import type { Closed, Kind } from '../gradebook/cells';
import type { gridView } from '../gradebook/grid';
import { columnAliases, columnHeader, HEADERS, semesterRoman, TITLE_LABELS, type TitleField } from '../gradebook/sheet';
import { parseCellValue } from '../gradebook/values';
import { AppError, type FieldError } from '../core/errors';
import type { SheetRow } from './table';
import type { ColumnSpec, HeaderRow, ImportRow } from './template';
import { RowReader, SeenInFile } from './values';

/**
 * What a score file would change in one grade book (docs/import-templates.md, "Scores"): read against the grid as
 * gridView shows it — its roster, its values and versions, and why each cell is closed — so the import writes
 * exactly what the grid would accept, through saveGrid.
 */
export type Grid = Awaited<ReturnType<typeof gridView>>;

export interface CellChange {
  studentId: number;
  kind: Kind;
  seq: number;
  value: string;
  version: number;
  column: string;
  from: string | null;
}
export interface CommentChange {
  studentId: number;
  text: string;
  version: number;
  from: string;
}
export interface ClosedChange {
  column: string;
  from: string | null;
  to: string;
  reason: string;
}
export type ScoreRowStatus = 'update' | 'unchanged' | 'closed' | 'error';
export interface PlannedScoreRow {
  row: number;
  status: ScoreRowStatus;
  studentCode: string | null;
  fullName: string | null;
  errors: Record<string, FieldError>;
  cells: CellChange[];
  comment: CommentChange | null;
  closed: ClosedChange[];
}

const COMMENT = 'comment';
const CODE = 'code';

/** The template of this grade book: the student code (required), its score columns and the comment. */
export function columnsOf(grid: Grid): ColumnSpec[] {
  return [
    { key: CODE, header: HEADERS.studentCode, aliases: [...HEADERS.studentCodeAliases], required: true },
    ...grid.columns.map((c) => ({ key: `${c.kind}:${c.seq}`, header: columnHeader(c.kind, c.seq), aliases: columnAliases(c.kind, c.seq) })),
    { key: COMMENT, header: HEADERS.comment, aliases: [...HEADERS.commentAliases] },
  ];
}

/**
 * The header must name at least one column to write, and no regular column the subject does not have (a file of
 * a subject with four ĐĐGtx read into one with three would lose the fourth without a word).
 */
export function checkHeader(sheet: SheetRow[], header: HeaderRow, grid: Grid, columns: ColumnSpec[]): void {
  if (![...header.positions.keys()].some((k) => k !== CODE)) {
    const list = columns.filter((c) => c.key !== CODE).map((c) => c.header).join(', ');
    throw new AppError('invalid', 'scoreImportNoColumns', { columns: list }, { fileName: { key: 'scoreImportNoColumns', params: { columns: list } } });
  }
  for (const cell of sheet[header.index].cells) {
    if (typeof cell !== 'string') continue;
    const m = /^(?:ddg|dg|diem)?tx(\d+)$/.exec(searchKey(cell).replace(/\s+/g, ''));
    const regular = grid.subject.regularCount;
    if (m && Number(m[1]) > regular) {
      const params = { header: cell, count: regular };
      throw new AppError('invalid', 'scoreImportExtraColumn', params, { fileName: { key: 'scoreImportExtraColumn', params } });
    }
  }
}

const FIELD_OF_LABEL: Record<string, TitleField> = {
  [searchKey(TITLE_LABELS.class)]: 'class',
  [searchKey(TITLE_LABELS.subject)]: 'subject',
  mon: 'subject',
  [searchKey(TITLE_LABELS.semester)]: 'semester',
  hk: 'semester',
  [searchKey(TITLE_LABELS.year)]: 'year',
};
const compact = (s: string) => searchKey(s).replace(/\s+/g, '');

/** 'I', 'II', '1', '2', 'HK I', 'Học kỳ 2' → 1 or 2 (null: unreadable). */
function semesterOf(v: string): number | null {
  const k = searchKey(v).replace(/^(hoc ky|hk)\s*/, '');
  return k === 'i' || k === '1' ? 1 : k === 'ii' || k === '2' ? 2 : null;
}

/**
 * The title above the header ("Lớp: 6A1", "Môn học: Toán", "Học kỳ: I", "Năm học: 2026-2027", as the export
 * writes it): each of these a file gives must be this grade book's. A file without a title is read by student
 * codes alone — a student of another class is then an unknown code.
 */
export function checkTitle(rows: SheetRow[], grid: Grid, yearName: string): void {
  const ok: Record<TitleField, (v: string) => boolean> = {
    class: (v) => compact(v) === compact(grid.class.name),
    subject: (v) => compact(v) === compact(grid.subject.name) || compact(v) === compact(grid.subject.code),
    semester: (v) => semesterOf(v) === grid.semester.number,
    year: (v) => v.replace(/\s+/g, '') === yearName.replace(/\s+/g, ''),
  };
  for (const r of rows) {
    for (const cell of r.cells) {
      const m = typeof cell === 'string' ? /^([^:]{1,20}):\s*(.+)$/.exec(cell) : null;
      const field = m ? FIELD_OF_LABEL[searchKey(m[1])] : undefined;
      if (!m || !field || ok[field](m[2].trim())) continue;
      const params = {
        label: m[1].trim(),
        found: m[2].trim(),
        expected: `${TITLE_LABELS.class} ${grid.class.name} – ${grid.subject.name} – ${TITLE_LABELS.semester} ${semesterRoman(grid.semester.number)} – ${yearName}`,
      };
      throw new AppError('invalid', 'scoreImportWrongGradebook', params, { fileName: { key: 'scoreImportWrongGradebook', params } });
    }
  }
}

/** The export's apostrophe before = + - @ (domain/text.ts spreadsheetSafe) comes off again on the way in. */
const unneutralise = (v: unknown) => (typeof v === 'string' && /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/**
 * Each data row: the student by code (in this class's roster, once in the file), then every score and the comment
 * it gives. An empty cell changes nothing (clearing a score is done in the grid); a value equal to the stored one
 * is unchanged; any other is checked as the grid checks typing (parseCellValue, TT22 Điều 5) and, if the cell is
 * closed, reported with the grid's reason.
 */
export function planRows(
  grid: Grid,
  rows: ImportRow[],
  columns: ColumnSpec[],
  today: string,
  commentClosed: (studentId: number) => { why: Closed; message: string } | null,
): PlannedScoreRow[] {
  const byCode = new Map(grid.rows.map((r) => [r.student.code, r]));
  const numericCodes = new Map(grid.rows.filter((r) => /^\d{1,15}$/.test(r.student.code)).map((r) => [Number(r.student.code), r.student.code]));
  const seen = new SeenInFile();
  const codeCol = columns.find((c) => c.key === CODE)!;
  const commentCol = columns.find((c) => c.key === COMMENT)!;
  const scoreCols = columns.filter((c) => c.key !== CODE && c.key !== COMMENT);
  return rows.map((input): PlannedScoreRow => {
    const r: ImportRow = { row: input.row, values: Object.fromEntries(Object.entries(input.values).map(([k, v]) => [k, unneutralise(v)])) as ImportRow['values'] };
    // A code of digits that Excel turned into a number (a CSV opened and saved again) lost its leading zeros.
    const typed = r.values[CODE];
    if (typeof typed === 'number') r.values[CODE] = numericCodes.get(typed) ?? String(typed);
    const rd = new RowReader(r, today);
    const code = rd.code(codeCol);
    const gridRow = code === null ? undefined : byCode.get(code);
    if (code !== null && !gridRow) rd.errs.add(codeCol, 'scoreImportUnknownStudent', { code, className: grid.class.name });
    const dup = seen.check(code, r.row);
    if (dup !== undefined) rd.errs.add(codeCol, 'importDuplicateInFile', { value: code!, row: dup });
    const planned: PlannedScoreRow = { row: r.row, status: 'unchanged', studentCode: code, fullName: gridRow?.student.fullName ?? null, errors: rd.errs.errors, cells: [], comment: null, closed: [] };

    for (const col of scoreCols) {
      const raw = rd.raw(col);
      if (raw === null) continue;
      const parsed = parseCellValue(grid.subject.assessmentType, raw instanceof Date ? raw.toISOString() : raw);
      if ('error' in parsed) {
        rd.errs.errors[col.header] ??= parsed.error;
        continue;
      }
      if (parsed.value === null || !gridRow) continue;
      const cell = gridRow.cells[col.key] as { value: string | null; version: number; closed: { message: string } | null };
      if (cell.value === parsed.value) continue;
      if (cell.closed) planned.closed.push({ column: col.header, from: cell.value, to: parsed.value, reason: cell.closed.message });
      else {
        const [kind, seq] = col.key.split(':');
        planned.cells.push({ studentId: gridRow.student.id, kind: kind as Kind, seq: Number(seq), value: parsed.value, version: cell.version, column: col.header, from: cell.value });
      }
    }

    const text = rd.text(commentCol, 2000)?.replace(/\r\n?/g, '\n') ?? null;
    if (text !== null && gridRow && text !== gridRow.comment.text) {
      const closed = commentClosed(gridRow.student.id);
      if (closed) planned.closed.push({ column: commentCol.header, from: gridRow.comment.text, to: text, reason: closed.message });
      else planned.comment = { studentId: gridRow.student.id, text, version: gridRow.comment.version, from: gridRow.comment.text };
    }
    planned.status = rd.errs.any ? 'error' : planned.closed.length > 0 ? 'closed' : planned.cells.length > 0 || planned.comment ? 'update' : 'unchanged';
    return planned;
  });
}
