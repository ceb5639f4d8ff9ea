import LockIcon from '@mui/icons-material/Lock';
import { Box } from '@mui/material';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, type ClipboardEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { displayValue } from '../common/scores';
import { liveSemesterResult, liveYearResult, parseCell, parseClipboard } from './cellValue';
import type { Editing, RowDraft, RowProblems } from './gridState';
import { colKey, COMMENT_COL, type AssessmentType, type GridRow, type Kind } from './types';

export type Move = 'up' | 'down' | 'left' | 'right' | 'none';

/** Everything the rows share; memoised by the page so a keystroke does not re-render every row. */
export interface GridMeta {
  type: AssessmentType;
  regularCount: number;
  semesterNumber: number;
  canWrite: boolean;
  locale: string;
  cols: readonly string[];
  /** Translated messages of the client-side check, by error code. */
  errorText: (code: string) => string;
  closedTitle: string;
}

export interface GradeGridProps {
  rows: GridRow[];
  drafts: Readonly<Record<number, RowDraft>>;
  problems: Readonly<Record<number, RowProblems>>;
  focus: { row: number; col: number };
  /** The selected rectangle when more than the focused cell is selected (gridState.selectionOf), else null. */
  selection: { r0: number; r1: number; c0: number; c1: number } | null;
  editing: Editing | null;
  meta: GridMeta;
  header: ReactNode;
  /** Bumped by the page to put the keyboard focus back into the grid (e.g. on the first invalid cell after Lưu). */
  focusNonce: number;
  onFocusCell: (row: number, col: number, extend?: boolean) => void;
  onMove: (dRow: number, dCol: number, wrap?: boolean, extend?: boolean) => void;
  onSelectColumn: (col: number) => void;
  onSelectRow: (row: number) => void;
  onStartEdit: (initial: string | null, mode: 'enter' | 'edit') => void;
  onCommit: (text: string, move: Move) => void;
  onCancel: () => void;
  onClear: () => void;
  onPaste: (block: string[][]) => void;
}

const MOVES: Record<Move, [number, number]> = { up: [-1, 0], down: [1, 0], left: [0, -1], right: [0, 1], none: [0, 0] };
export const moveDelta = (m: Move) => MOVES[m];

/**
 * The spreadsheet-like score grid. One focused cell (a real DOM focus, so screen readers follow it); typing starts
 * editing with that character, Enter/Tab/arrows commit and move, Delete clears, Ctrl+V pastes a block copied from
 * Excel at the focused cell. Keyboard and paste are handled once on the table (event delegation); rows are memoised
 * and receive only their own draft, problems and focus, so a keystroke re-renders one row.
 */
export function GradeGrid(props: GradeGridProps) {
  const { rows, drafts, problems, focus, editing, meta, header, focusNonce } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  /** The grid owns the keyboard only after the user went into it: loading a grid never steals the focus. */
  const activeRef = useRef(false);
  /** The open editor's "commit now" (a click elsewhere in the grid must not lose what was typed). */
  const finishEditRef = useRef<((move: Move) => void) | null>(null);
  const cb = useRef(props);
  cb.current = props;

  const lastNonce = useRef(focusNonce);
  useLayoutEffect(() => {
    if (lastNonce.current !== focusNonce) {
      lastNonce.current = focusNonce;
      activeRef.current = true;
    }
    if (editing || !activeRef.current) return;
    const td = containerRef.current?.querySelector<HTMLElement>(`td[data-row="${focus.row}"][data-col="${focus.col}"]`);
    if (td && document.activeElement !== td) td.focus();
  }, [focus.row, focus.col, editing, focusNonce]);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (target.dataset.col === undefined) return; // the editor and the header inputs handle their own keys
    const p = cb.current;
    const shift = e.shiftKey;
    switch (e.key) {
      // Shift+arrows select a range, as in a spreadsheet.
      case 'ArrowUp':
        return void (e.preventDefault(), p.onMove(-1, 0, false, shift));
      case 'ArrowDown':
        return void (e.preventDefault(), p.onMove(1, 0, false, shift));
      case 'ArrowLeft':
        return void (e.preventDefault(), p.onMove(0, -1, false, shift));
      case 'ArrowRight':
        return void (e.preventDefault(), p.onMove(0, 1, false, shift));
      case 'Enter':
        return void (e.preventDefault(), p.onMove(shift ? -1 : 1, 0));
      case 'Tab':
        return void (e.preventDefault(), p.onMove(0, shift ? -1 : 1, true));
      case 'Home':
        return void (e.preventDefault(), p.onMove(0, -99));
      case 'End':
        return void (e.preventDefault(), p.onMove(0, 99));
      case 'F2':
        return void (e.preventDefault(), p.onStartEdit(null, 'edit'));
      case 'Delete':
      case 'Backspace':
        return void (e.preventDefault(), p.onClear());
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Typing overwrites, as in a spreadsheet: the editor opens with this character.
      e.preventDefault();
      p.onStartEdit(e.key, 'enter');
    }
  }, []);

  const onPaste = useCallback((e: ClipboardEvent<HTMLDivElement>) => {
    const text = e.clipboardData.getData('text/plain');
    const isEditor = (e.target as HTMLElement).tagName === 'INPUT';
    // One value pasted into an open editor is ordinary typing; a column or block goes to the grid.
    if (isEditor && !/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return;
    if (isEditor && !(e.target as HTMLElement).closest('td[data-col]')) return;
    e.preventDefault();
    if (isEditor) finishEditRef.current?.('none');
    cb.current.onPaste(parseClipboard(text));
  }, []);

  /** A drag from a cell selects the cells it passes over. */
  const dragging = useRef(false);
  const onMouseDown = useCallback((e: MouseEvent<HTMLDivElement>) => {
    activeRef.current = true;
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT') return;
    const head = target.closest<HTMLElement>('th[data-select-col]');
    if (head) return void (finishEditRef.current?.('none'), cb.current.onSelectColumn(Number(head.dataset.selectCol)));
    const name = target.closest<HTMLElement>('th[data-select-row]');
    if (name) return void (finishEditRef.current?.('none'), cb.current.onSelectRow(Number(name.dataset.selectRow)));
    const td = target.closest<HTMLElement>('td[data-col]');
    if (!td) return;
    finishEditRef.current?.('none');
    dragging.current = e.button === 0;
    cb.current.onFocusCell(Number(td.dataset.row), Number(td.dataset.col), e.shiftKey);
  }, []);
  /** A finger has no double click: on a touch screen one tap on a cell opens its editor (with the keypad). */
  const pointer = useRef<string>('mouse');
  const onClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    if (pointer.current !== 'touch') return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' || !target.closest('td[data-col]')) return;
    cb.current.onStartEdit(null, 'edit');
  }, []);
  const onMouseOver = useCallback((e: MouseEvent<HTMLDivElement>) => {
    if (!dragging.current || (e.buttons & 1) === 0) return void (dragging.current = false);
    const td = (e.target as HTMLElement).closest<HTMLElement>('td[data-col]');
    if (td) cb.current.onFocusCell(Number(td.dataset.row), Number(td.dataset.col), true);
  }, []);

  const onDoubleClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest('td[data-col]') && (e.target as HTMLElement).tagName !== 'INPUT') cb.current.onStartEdit(null, 'edit');
  }, []);

  const onCommit = useCallback((text: string, move: Move) => cb.current.onCommit(text, move), []);
  const onCancel = useCallback(() => cb.current.onCancel(), []);

  return (
    <Box
      ref={containerRef}
      data-testid="gradebook-grid"
      role="grid"
      aria-readonly={!meta.canWrite}
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      onPointerDown={(e) => (pointer.current = e.pointerType)}
      onMouseDown={onMouseDown}
      onClick={onClick}
      onMouseOver={onMouseOver}
      onMouseUp={() => (dragging.current = false)}
      onDoubleClick={onDoubleClick}
      onFocus={() => (activeRef.current = true)}
      onBlur={(e) => {
        if (!containerRef.current?.contains(e.relatedTarget as Node | null) && e.relatedTarget) activeRef.current = false;
      }}
      sx={gridSx}
    >
      <table>
        {header}
        <tbody>
          {rows.map((row, i) => (
            <GridRowView
              key={row.student.id}
              rowIdx={i}
              row={row}
              draft={drafts[row.student.id]}
              problems={problems[row.student.id]}
              focusCol={focus.row === i ? focus.col : -1}
              selCols={props.selection && i >= props.selection.r0 && i <= props.selection.r1 ? selCols(props.selection) : null}
              editing={editing && editing.row === i ? editing : null}
              meta={meta}
              finishEditRef={finishEditRef}
              onCommit={onCommit}
              onCancel={onCancel}
            />
          ))}
        </tbody>
      </table>
    </Box>
  );
}

/** One array per selection shape, so rows whose part of the selection did not change keep their memo. */
const selColsCache = new Map<string, readonly [number, number]>();
function selCols(sel: { c0: number; c1: number }): readonly [number, number] {
  const key = `${sel.c0}:${sel.c1}`;
  let v = selColsCache.get(key);
  if (!v) selColsCache.set(key, (v = [sel.c0, sel.c1] as const));
  return v;
}

interface RowProps {
  rowIdx: number;
  /** The selected columns of this row (inclusive), or null. */
  selCols: readonly [number, number] | null;
  row: GridRow;
  draft: RowDraft | undefined;
  problems: RowProblems | undefined;
  focusCol: number;
  editing: Editing | null;
  meta: GridMeta;
  finishEditRef: { current: ((move: Move) => void) | null };
  onCommit: (text: string, move: Move) => void;
  onCancel: () => void;
}

const GridRowView = memo(function GridRowView({ rowIdx, row, draft, problems, focusCol, selCols, editing, meta, finishEditRef, onCommit, onCancel }: RowProps) {
  const { type, locale, cols } = meta;
  // The results follow the typing: typed values where valid, the stored ones elsewhere (Điều 9.1).
  const { semester, year, live } = useMemo(() => {
    if (!draft || Object.keys(draft.cells).length === 0) return { semester: row.semesterResult, year: row.yearResult ?? null, live: false };
    const value = (kind: Kind, seq: number) => {
      const key = colKey(kind, seq);
      const typed = draft.cells[key];
      if (typed !== undefined) {
        const p = parseCell(type, typed);
        if (p.ok) return p.value;
      }
      return row.cells[key]?.value ?? null;
    };
    const s = liveSemesterResult(type, meta.regularCount, value);
    return { semester: s, year: meta.semesterNumber === 2 ? liveYearResult(type, row.firstSemesterResult, s) : null, live: true };
  }, [draft, row, type, meta.regularCount, meta.semesterNumber]);

  return (
    <tr>
      <td className="gb-num">{rowIdx + 1}</td>
      <th scope="row" className="gb-name" data-select-row={rowIdx} title={`${row.student.fullName} · ${row.student.code}`}>
        <span>{row.student.fullName}</span>
        <small>{row.student.code}</small>
      </th>
      {cols.map((key, c) => {
        const focused = focusCol === c;
        const isEditing = editing !== null && editing.col === c;
        const results =
          key === COMMENT_COL ? (
            <ResultCells key="results" semester={semester} year={year} live={live} first={row.firstSemesterResult ?? null} meta={meta} />
          ) : null;
        if (key === COMMENT_COL) {
          const text = draft?.comment ?? row.comment.text;
          const problem = problems?.[key];
          const cls = ['gb-cell', 'gb-comment', draft?.comment !== undefined && 'is-dirty', problem && 'is-refused', focused && 'is-focus'];
          return [
            results,
            <td key={key} data-row={rowIdx} data-col={c} data-key={key} tabIndex={focused ? 0 : -1} className={cls.filter(Boolean).join(' ')} title={problem ?? text} aria-invalid={!!problem}>
              {isEditing ? <CellEditor editing={editing} finishEditRef={finishEditRef} onCommit={onCommit} onCancel={onCancel} inputMode="text" /> : text}
            </td>,
          ];
        }
        const cell = row.cells[key];
        const typed = draft?.cells[key];
        const parsed = typed !== undefined ? parseCell(type, typed) : null;
        const problem = problems?.[key];
        const closed = cell?.closed && typed === undefined ? cell.closed : null;
        const invalid = parsed !== null && !parsed.ok;
        const shown = parsed === null ? displayValue(cell?.value ?? null, locale) : parsed.ok ? displayValue(parsed.value, locale) : typed;
        const title = invalid ? meta.errorText((parsed as { error: string }).error) : (problem ?? (closed ? `${meta.closedTitle}: ${closed.message}` : undefined));
        const cls = [
          'gb-cell',
          'gb-score',
          typed !== undefined && 'is-dirty',
          invalid && 'is-invalid',
          problem && 'is-refused',
          closed && 'is-closed',
          selCols && c >= selCols[0] && c <= selCols[1] && 'is-selected',
          focused && 'is-focus',
        ];
        return (
          <td
            key={key}
            data-row={rowIdx}
            data-col={c}
            data-key={key}
            tabIndex={focused ? 0 : -1}
            className={cls.filter(Boolean).join(' ')}
            title={title}
            aria-invalid={invalid || !!problem}
            aria-readonly={!!closed || !meta.canWrite}
          >
            {isEditing ? (
              // The phone's numeric keypad for scores (with the decimal separator); Đ/CĐ need letters.
              <CellEditor editing={editing} finishEditRef={finishEditRef} onCommit={onCommit} onCancel={onCancel} inputMode={type === 'scored' ? 'decimal' : 'text'} />
            ) : (
              <>
                {closed && <LockIcon className="gb-lock" aria-label={meta.closedTitle} />}
                {shown}
              </>
            )}
          </td>
        );
      })}
    </tr>
  );
});

/** ĐTBmhk (or the Đ/CĐ semester result), and in semester II ĐTBmhk I and ĐTBmcn; italic while computed from unsaved typing. */
function ResultCells({ semester, year, live, first, meta }: { semester: string | null; year: string | null; live: boolean; first: string | null; meta: GridMeta }) {
  const cls = live ? 'gb-result is-live' : 'gb-result';
  return (
    <>
      {meta.semesterNumber === 2 && <td className="gb-result">{displayValue(first, meta.locale)}</td>}
      <td className={cls} data-result="semester">
        {displayValue(semester, meta.locale)}
      </td>
      {meta.semesterNumber === 2 && (
        <td className={cls} data-result="year">
          {displayValue(year, meta.locale)}
        </td>
      )}
    </>
  );
}

function CellEditor({
  editing,
  finishEditRef,
  onCommit,
  onCancel,
  inputMode,
}: {
  editing: Editing;
  finishEditRef: { current: ((move: Move) => void) | null };
  onCommit: (text: string, move: Move) => void;
  onCancel: () => void;
  inputMode: 'decimal' | 'text';
}) {
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  const finish = useCallback(
    (move: Move) => {
      if (done.current || !ref.current) return;
      done.current = true;
      finishEditRef.current = null;
      onCommit(ref.current.value, move);
    },
    [onCommit, finishEditRef],
  );
  useLayoutEffect(() => {
    const el = ref.current!;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    finishEditRef.current = finish;
    return () => {
      if (finishEditRef.current === finish) finishEditRef.current = null;
    };
  }, [finish, finishEditRef]);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const arrows: Record<string, Move> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
    if (e.key === 'Enter') {
      e.preventDefault();
      finish(e.shiftKey ? 'up' : 'down');
    } else if (e.key === 'Tab') {
      e.preventDefault();
      finish(e.shiftKey ? 'left' : 'right');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      done.current = true;
      finishEditRef.current = null;
      onCancel();
    } else if (editing.mode === 'enter' && arrows[e.key]) {
      e.preventDefault();
      finish(arrows[e.key]);
    }
    e.stopPropagation();
  };
  return <input ref={ref} className="gb-editor" defaultValue={editing.initial} onKeyDown={onKeyDown} onBlur={() => finish('none')} aria-label="edit" inputMode={inputMode} enterKeyHint="next" />;
}

const gridSx = {
  overflow: 'auto',
  // Desktop: the rest of the page's height (GradebookPage is the window's height); phone: most of the screen.
  flex: { md: 1 },
  maxHeight: { xs: 'calc(100dvh - 120px)', md: 'none' },
  minHeight: 240,
  border: 1,
  borderColor: 'divider',
  borderRadius: 1,
  bgcolor: 'background.paper',
  '& table': { borderCollapse: 'separate', borderSpacing: 0, width: '100%', fontSize: 14, fontVariantNumeric: 'tabular-nums' },
  // Compact density: 28 px rows (a 1366×768 screen shows about 17 students instead of 10).
  '& th, & td': { borderRight: '1px solid', borderBottom: '1px solid', borderColor: 'divider', px: 1, py: 0.25, height: 28, boxSizing: 'border-box', whiteSpace: 'nowrap' },
  '& thead th': { position: 'sticky', top: 0, zIndex: 2, bgcolor: 'grey.100', fontWeight: 600, textAlign: 'center', fontSize: 13, height: 30 },
  '& thead tr.gb-dates th': { top: 30, fontWeight: 400, py: 0.25 },
  '& .gb-num': { width: 40, textAlign: 'right', color: 'text.secondary', bgcolor: 'grey.50' },
  // On a phone the name column shrinks (the name is cut with …, the whole name is in the cell bar above the grid).
  '& tbody th.gb-name': { position: 'sticky', left: 0, zIndex: 1, bgcolor: 'background.paper', textAlign: 'left', fontWeight: 400, minWidth: { xs: 0, sm: 200 }, maxWidth: { xs: 128, sm: 'none' }, overflow: 'hidden', textOverflow: 'ellipsis' },
  '& thead th.gb-name': { left: 0, zIndex: 3, textAlign: 'left' },
  // The student code on the name's line (it tells two students of the same name apart).
  '& .gb-name small': { color: 'text.secondary', fontSize: 11, ml: 0.75, display: { xs: 'none', sm: 'inline' } },
  '& .gb-name span': { lineHeight: 1.2 },
  '& .gb-cell': { cursor: 'cell', outline: 'none', position: 'relative' },
  '& .gb-score': { width: 72, minWidth: 64, textAlign: 'center' },
  '& .gb-comment': { minWidth: 240, maxWidth: 420, overflow: 'hidden', textOverflow: 'ellipsis' },
  '& .gb-result': { width: 76, textAlign: 'center', fontWeight: 600, bgcolor: 'grey.50' },
  '& .gb-result.is-live': { fontStyle: 'italic', color: 'primary.dark' },
  '& .is-dirty': { bgcolor: '#fff8e1' },
  '& .is-closed': { bgcolor: 'grey.200', color: 'text.secondary', cursor: 'not-allowed' },
  '& .is-invalid, & .is-refused': { bgcolor: '#ffebee', color: 'error.dark', boxShadow: 'inset 0 0 0 2px #e57373' },
  '& .is-selected': { bgcolor: '#e3f2fd' },
  '& .is-selected.is-closed': { bgcolor: '#cfd8dc' },
  '& .gb-col-head, & tbody th.gb-name': { cursor: 'pointer' },
  '& .is-focus': { boxShadow: 'inset 0 0 0 2px #1565c0' },
  '& .is-focus.is-invalid, & .is-focus.is-refused': { boxShadow: 'inset 0 0 0 2px #1565c0, inset 0 0 0 4px #e57373' },
  '& .gb-lock': { fontSize: 12, position: 'absolute', top: 2, right: 2, opacity: 0.6 },
  '& .gb-editor': { width: '100%', border: 0, outline: 'none', font: 'inherit', textAlign: 'inherit', bgcolor: 'transparent', p: 0 },
  '& tbody tr:hover td, & tbody tr:hover th': { filter: 'brightness(0.98)' },
} as const;
