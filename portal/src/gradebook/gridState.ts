import { parseCell, type CellErrorCode } from './cellValue';
import { colKey, COMMENT_COL, type ClosedCell, type GridData, type GridRow, type Kind, type SaveCell, type SaveComment } from './types';

/**
 * The grid's editing state, as pure functions over an immutable value: the page keeps it in one useState and each
 * change replaces only the objects of the row it touches, so memoised rows that did not change skip rendering.
 */

/**
 * What the teacher typed in one row and has not saved yet (raw text; comment = the subject comment), with the
 * version each cell had when they started typing over it: a save over a colleague's later change is then refused
 * (409) instead of silently overwriting it, even when the grid was reloaded in between.
 */
export interface RowDraft {
  cells: Readonly<Record<string, string>>;
  versions: Readonly<Record<string, number>>;
  comment?: string;
  commentVersion?: number;
}

/** Why the server refused a cell of the last save (400 per-cell message or 423 closure), by column key. */
export type RowProblems = Readonly<Record<string, string>>;

export interface Editing {
  row: number;
  col: number;
  /** The text the editor starts with: the typed character ('enter' mode) or the current value ('edit' mode). */
  initial: string;
  /** 'enter': started by typing, arrows leave the cell (as in Excel); 'edit': F2 / double click, arrows move the caret. */
  mode: 'enter' | 'edit';
}

export interface GridState {
  data: GridData;
  /** Navigable columns: the assessment columns then the comment ('regular:1', …, 'final:1', 'comment'). */
  cols: readonly string[];
  drafts: Readonly<Record<number, RowDraft>>;
  problems: Readonly<Record<number, RowProblems>>;
  focus: { row: number; col: number };
  /**
   * The other corner of a selection (Shift+arrows, Shift+click, a drag, a column header, a student's name): the
   * selection is the rectangle between it and the focus. Null: just the focused cell.
   */
  anchor: { row: number; col: number } | null;
  editing: Editing | null;
}

/** The selected rectangle (rows and columns, inclusive), the focused cell alone when nothing is selected. */
export function selectionOf(s: Pick<GridState, 'focus' | 'anchor'>): { r0: number; r1: number; c0: number; c1: number } {
  const a = s.anchor ?? s.focus;
  return { r0: Math.min(a.row, s.focus.row), r1: Math.max(a.row, s.focus.row), c0: Math.min(a.col, s.focus.col), c1: Math.max(a.col, s.focus.col) };
}

/** The score cells of the selection (never the comment column), row by row. */
export function selectedCells(s: GridState): Array<{ row: number; key: string }> {
  const { r0, r1, c0, c1 } = selectionOf(s);
  const out: Array<{ row: number; key: string }> = [];
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) if (s.cols[col] !== COMMENT_COL) out.push({ row, key: s.cols[col] });
  }
  return out;
}

/** A whole column, top to bottom (its header clicked). */
export function selectColumn(s: GridState, col: number): GridState {
  const last = s.data.rows.length - 1;
  if (last < 0) return s;
  return { ...s, anchor: { row: 0, col }, focus: { row: last, col }, editing: null };
}

/** A student's row, every score column (their name clicked). */
export function selectRow(s: GridState, row: number): GridState {
  const lastScore = s.cols.filter((k) => k !== COMMENT_COL).length - 1;
  return { ...s, anchor: { row, col: 0 }, focus: { row, col: Math.max(0, lastScore) }, editing: null };
}

export function navColumns(data: GridData): string[] {
  return [...data.columns.map((c) => colKey(c.kind, c.seq)), COMMENT_COL];
}

export function initialState(data: GridData): GridState {
  return { data, cols: navColumns(data), drafts: {}, problems: {}, focus: { row: 0, col: 0 }, anchor: null, editing: null };
}

export const splitKey = (key: string): { kind: Kind; seq: number } => {
  const [kind, seq] = key.split(':');
  return { kind: kind as Kind, seq: Number(seq) };
};

/** Is the (server-computed) closure of this cell in force? The comment has no weekly cutoff. */
export function isClosed(row: GridRow, key: string): boolean {
  return key !== COMMENT_COL && !!row.cells[key]?.closed;
}

/** The text a cell shows in the editor when edited in place (F2): the draft, else the stored value. */
export function currentText(s: GridState, rowIdx: number, key: string, display: (v: string | null) => string): string {
  const row = s.data.rows[rowIdx];
  const draft = s.drafts[row.student.id];
  if (key === COMMENT_COL) return draft?.comment ?? row.comment.text;
  const d = draft?.cells[key];
  return d !== undefined ? d : display(row.cells[key]?.value ?? null);
}

function withoutKey<T>(obj: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _drop, ...rest } = obj;
  return rest;
}

function setRowDraft(s: GridState, studentId: number, draft: RowDraft | null): Record<number, RowDraft> {
  const drafts = { ...s.drafts };
  if (!draft || (Object.keys(draft.cells).length === 0 && draft.comment === undefined)) delete drafts[studentId];
  else drafts[studentId] = draft;
  return drafts;
}

function clearProblem(s: GridState, studentId: number, key: string): GridState['problems'] {
  const p = s.problems[studentId];
  if (!p || !(key in p)) return s.problems;
  const next = withoutKey(p, key);
  const problems = { ...s.problems };
  if (Object.keys(next).length === 0) delete problems[studentId];
  else problems[studentId] = next;
  return problems;
}

/**
 * Puts `text` into one cell. A text equal to the stored value removes the draft (nothing to save); a closed cell
 * is left alone (returns the same state). Read-only grids never change.
 */
export function setCellText(s: GridState, rowIdx: number, key: string, text: string): GridState {
  const row = s.data.rows[rowIdx];
  if (!row || !s.data.canWrite || isClosed(row, key)) return s;
  const id = row.student.id;
  const prev: RowDraft = s.drafts[id] ?? { cells: {}, versions: {} };
  let next: RowDraft;
  if (key === COMMENT_COL) {
    const same = text.trim() === row.comment.text.trim();
    const { comment: _c, commentVersion: _v, ...rest } = prev;
    next = same ? rest : { ...rest, comment: text, commentVersion: prev.commentVersion ?? row.comment.version };
  } else {
    const parsed = parseCell(s.data.subject.assessmentType, text);
    const same = parsed.ok && parsed.value === (row.cells[key]?.value ?? null);
    next = same
      ? { ...prev, cells: withoutKey(prev.cells, key), versions: withoutKey(prev.versions, key) }
      : { ...prev, cells: { ...prev.cells, [key]: text.trim() }, versions: { ...prev.versions, [key]: prev.versions[key] ?? row.cells[key]?.version ?? 0 } };
  }
  return { ...s, drafts: setRowDraft(s, id, next), problems: clearProblem(s, id, key) };
}

/**
 * Clamps and moves the focus; Tab past the last column wraps to the next row, as in a spreadsheet. `extend`
 * (Shift+arrow) keeps the selection's other corner where it was; any other move drops the selection.
 */
export function moveFocus(s: GridState, dRow: number, dCol: number, wrap = false, extend = false): GridState {
  const rows = s.data.rows.length;
  const cols = s.cols.length;
  let row = s.focus.row + dRow;
  let col = s.focus.col + dCol;
  if (wrap && col >= cols && row < rows - 1) {
    col = 0;
    row += 1;
  } else if (wrap && col < 0 && row > 0) {
    col = cols - 1;
    row -= 1;
  }
  row = Math.max(0, Math.min(rows - 1, row));
  col = Math.max(0, Math.min(cols - 1, col));
  const anchor = extend ? (s.anchor ?? s.focus) : null;
  if (row === s.focus.row && col === s.focus.col && anchor === s.anchor) return s.editing ? { ...s, editing: null } : s;
  return { ...s, focus: { row, col }, anchor, editing: null };
}

/** Focuses a cell (a click); `extend` (Shift+click, a drag) selects from the current corner to it. */
export function focusCell(s: GridState, row: number, col: number, extend = false): GridState {
  const anchor = extend ? (s.anchor ?? s.focus) : null;
  if (s.focus.row === row && s.focus.col === col && !s.editing && anchor === s.anchor) return s;
  return { ...s, focus: { row, col }, anchor, editing: null };
}

/**
 * A block copied from Excel pasted at the focused cell: rows go down the roster, columns to the right along the
 * navigable columns. What falls outside the grid is dropped; closed cells are skipped and counted.
 */
export function pasteBlock(s: GridState, block: string[][]): { state: GridState; written: number; skippedClosed: number; outside: number } {
  let state = s;
  let written = 0;
  let skippedClosed = 0;
  let outside = 0;
  block.forEach((line, r) => {
    line.forEach((text, c) => {
      const rowIdx = s.focus.row + r;
      const colIdx = s.focus.col + c;
      const row = s.data.rows[rowIdx];
      const key = s.cols[colIdx];
      if (!row || key === undefined) return void (outside += 1);
      if (isClosed(row, key)) return void (skippedClosed += 1);
      state = setCellText(state, rowIdx, key, text);
      written += 1;
    });
  });
  return { state: { ...state, editing: null }, written, skippedClosed, outside };
}

export interface DraftSummary {
  changed: number;
  invalid: Array<{ row: number; col: number; error: CellErrorCode }>;
}

/** How many cells and comments differ from what is stored, and which typed values are not valid. */
export function summarize(s: GridState): DraftSummary {
  const out: DraftSummary = { changed: 0, invalid: [] };
  const type = s.data.subject.assessmentType;
  s.data.rows.forEach((row, rowIdx) => {
    const d = s.drafts[row.student.id];
    if (!d) return;
    for (const [key, text] of Object.entries(d.cells)) {
      out.changed += 1;
      const p = parseCell(type, text);
      if (!p.ok) out.invalid.push({ row: rowIdx, col: s.cols.indexOf(key), error: p.error });
    }
    if (d.comment !== undefined) out.changed += 1;
  });
  return out;
}

/** Where each entry of the request body came from, to put the server's `cells.<i>` errors back on their cells. */
export interface SavePayload {
  cells: SaveCell[];
  comments: SaveComment[];
  cellIndex: Array<{ studentId: number; key: string }>;
  commentIndex: number[];
}

/** The one PUT body of a save: every changed cell (as typed, with the version the grid showed) and comment. */
export function buildPayload(s: GridState): SavePayload {
  const out: SavePayload = { cells: [], comments: [], cellIndex: [], commentIndex: [] };
  for (const row of s.data.rows) {
    const d = s.drafts[row.student.id];
    if (!d) continue;
    for (const [key, text] of Object.entries(d.cells)) {
      const { kind, seq } = splitKey(key);
      out.cells.push({ studentId: row.student.id, kind, seq, value: text === '' ? null : text, version: d.versions[key] ?? row.cells[key]?.version ?? 0 });
      out.cellIndex.push({ studentId: row.student.id, key });
    }
    if (d.comment !== undefined) {
      out.comments.push({ studentId: row.student.id, text: d.comment.trim(), version: d.commentVersion ?? row.comment.version });
      out.commentIndex.push(row.student.id);
    }
  }
  return out;
}

/** The server's per-field errors of a refused save (`cells.3`, `comments.0`) → problems on those cells. */
export function problemsFromErrors(payload: SavePayload, errors: Record<string, string>): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  for (const [field, message] of Object.entries(errors)) {
    const m = /^(cells|comments)\.(\d+)$/.exec(field);
    if (!m) continue;
    const i = Number(m[2]);
    const target = m[1] === 'cells' ? payload.cellIndex[i] : payload.commentIndex[i] !== undefined ? { studentId: payload.commentIndex[i], key: COMMENT_COL } : undefined;
    if (!target) continue;
    (out[target.studentId] ??= {})[target.key] = message;
  }
  return out;
}

/** 423: the refused cells get the server's reason. */
export function problemsFromClosed(closed: ClosedCell[]): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  for (const c of closed) (out[c.studentId] ??= {})[colKey(c.kind, c.seq)] = c.message;
  return out;
}

/**
 * A freshly loaded grid. Drafts are kept (a reload after setting a test date must not throw away the teacher's
 * typing), each with the version it was typed over, so a colleague's change in between still ends in a 409 on
 * save. Dropped: drafts now equal to the stored value (nothing to save) and `drop` — after a conflict, the cells
 * the colleague changed, which now show the colleague's value. `rebase`: the cells just saved by this grid, whose
 * remaining drafts (typed while the save was under way) continue from the new version.
 */
export function reload(
  s: GridState,
  data: GridData,
  drop: Array<{ studentId: number; key: string }> = [],
  keepDrafts = true,
  rebase: Array<{ studentId: number; key: string }> = [],
): GridState {
  const fresh = initialState(data);
  const focus = { row: Math.min(s.focus.row, Math.max(0, data.rows.length - 1)), col: Math.min(s.focus.col, fresh.cols.length - 1) };
  if (!keepDrafts) return { ...fresh, focus };
  const dropSet = new Set(drop.map((d) => `${d.studentId}|${d.key}`));
  const rebaseSet = new Set(rebase.map((d) => `${d.studentId}|${d.key}`));
  const type = data.subject.assessmentType;
  const drafts: Record<number, RowDraft> = {};
  for (const row of data.rows) {
    const id = row.student.id;
    const d = s.drafts[id];
    if (!d) continue;
    const cells: Record<string, string> = {};
    const versions: Record<string, number> = {};
    for (const [key, text] of Object.entries(d.cells)) {
      const cell = row.cells[key];
      if (!cell || dropSet.has(`${id}|${key}`)) continue;
      const p = parseCell(type, text);
      if (p.ok && p.value === cell.value) continue;
      cells[key] = text;
      versions[key] = rebaseSet.has(`${id}|${key}`) ? cell.version : (d.versions[key] ?? cell.version);
    }
    const next: RowDraft = { cells, versions };
    if (d.comment !== undefined && !dropSet.has(`${id}|${COMMENT_COL}`) && d.comment.trim() !== row.comment.text.trim()) {
      next.comment = d.comment;
      next.commentVersion = rebaseSet.has(`${id}|${COMMENT_COL}`) ? row.comment.version : (d.commentVersion ?? row.comment.version);
    }
    if (Object.keys(cells).length > 0 || next.comment !== undefined) drafts[id] = next;
  }
  return { ...fresh, focus, drafts, problems: s.problems };
}
