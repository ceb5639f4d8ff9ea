/**
 * The grade-book grid's editing rules (portal/src/gradebook): what a teacher's typing and pasting turn into, and
 * what one save sends. Pure functions, no browser: the end-to-end test drives the same code through Chromium.
 */
import { describe, expect, it } from 'vitest';
import { displayValue } from '../../portal/src/common/scores';
import { liveSemesterResult, parseCell, parseClipboard } from '../../portal/src/gradebook/cellValue';
import { buildPayload, focusCell, initialState, moveFocus, pasteBlock, problemsFromClosed, problemsFromErrors, reload, selectColumn, selectedCells, selectRow, setCellText, summarize } from '../../portal/src/gradebook/gridState';
import type { GridData, GridRow } from '../../portal/src/gradebook/types';

const closedRegular = { rule: 'regular_weekly', since: '2026-11-20T08:00:00.000Z', message: 'Đã quá hạn nhập điểm thường xuyên (15:00 thứ Sáu).' };

function row(id: number, cells: Record<string, { value: string | null; version: number; closed?: typeof closedRegular | null }> = {}): GridRow {
  const all: GridRow['cells'] = {};
  for (const key of ['regular:1', 'regular:2', 'midterm:1', 'final:1']) {
    const c = cells[key];
    all[key] = { value: c?.value ?? null, version: c?.version ?? 0, updatedAt: null, closed: c?.closed ?? null };
  }
  return { student: { id, code: `HS${id}`, fullName: `Học sinh ${id}` }, cells: all, semesterResult: null, comment: { text: '', version: 0 } };
}

function grid(type: 'scored' | 'comment' = 'scored', rows: GridRow[] = [row(1), row(2), row(3)]): GridData {
  return {
    class: { id: 1, name: '6A1', grade: 6 },
    subject: { id: 4, code: 'GDCD', name: 'Giáo dục công dân', assessmentType: type, departmentId: 2, regularCount: 2 },
    semester: { id: 1, number: 1, startDate: '2026-09-05', endDate: '2027-01-16' },
    columns: [
      { kind: 'regular', seq: 1 },
      { kind: 'regular', seq: 2 },
      { kind: 'midterm', seq: 1 },
      { kind: 'final', seq: 1 },
    ],
    testDates: { midterm: '2026-11-02', final: null },
    settings: { regularCutoffWeekday: 5, regularCutoffTime: '15:00', periodicWindowDays: 7 },
    canWrite: true,
    now: '2026-11-23T01:00:00.000Z',
    rows,
  };
}

describe('typed values (TT22 Điều 5, as the server checks them)', () => {
  it.each([
    ['8,5', { ok: true, value: '8.5' }],
    ['8.5', { ok: true, value: '8.5' }],
    [' 10 ', { ok: true, value: '10' }],
    ['', { ok: true, value: null }],
    ['11', { ok: false, error: 'scoreRange' }],
    ['-1', { ok: false, error: 'scoreRange' }],
    ['8,25', { ok: false, error: 'scorePrecision' }],
    ['Đ', { ok: false, error: 'letterInScoredSubject' }],
    ['8..5', { ok: false, error: 'scoreFormat' }],
  ])('scored subject: %j → %j', (text, expected) => {
    expect(parseCell('scored', text)).toEqual(expected);
  });

  it.each([
    ['Đ', { ok: true, value: 'D' }],
    ['d', { ok: true, value: 'D' }],
    ['CĐ', { ok: true, value: 'CD' }],
    ['cd', { ok: true, value: 'CD' }],
    ['8', { ok: false, error: 'numberInCommentSubject' }],
    ['X', { ok: false, error: 'commentFormat' }],
  ])('comment subject: %j → %j', (text, expected) => {
    expect(parseCell('comment', text)).toEqual(expected);
  });

  it('shows scores with a decimal comma in Vietnamese and Đ/CĐ with their accents', () => {
    expect(displayValue('8.5', 'vi')).toBe('8,5');
    expect(displayValue('8.5', 'en')).toBe('8.5');
    expect(displayValue('CD', 'vi')).toBe('CĐ');
  });

  it('computes ĐTBmhk from what is on screen, half up (Điều 9.1)', () => {
    const values: Record<string, string> = { 'regular:1': '8', 'regular:2': '7', 'midterm:1': '8.5', 'final:1': '8' };
    // (8 + 7 + 2·8.5 + 3·8) / 7 = 56/7 = 8
    expect(liveSemesterResult('scored', 2, (k, s) => values[`${k}:${s}`] ?? null)).toBe('8');
    values['final:1'] = '8.5'; // 57.5/7 = 8.214… → 8.2
    expect(liveSemesterResult('scored', 2, (k, s) => values[`${k}:${s}`] ?? null)).toBe('8.2');
    delete values['regular:2'];
    expect(liveSemesterResult('scored', 2, (k, s) => values[`${k}:${s}`] ?? null)).toBeNull();
  });
});

describe('paste from Excel', () => {
  it('reads a copied column (CRLF, trailing newline) and a block (tabs)', () => {
    expect(parseClipboard('6\r\n7,5\r\n8\r\n')).toEqual([['6'], ['7,5'], ['8']]);
    expect(parseClipboard('6\t7\n8\t9\n')).toEqual([
      ['6', '7'],
      ['8', '9'],
    ]);
  });

  it('fills down from the focused cell, skips closed cells and drops what falls outside', () => {
    const data = grid('scored', [row(1), row(2, { 'regular:2': { value: '5', version: 3, closed: closedRegular } }), row(3)]);
    const s = moveFocus(initialState(data), 0, 1); // ĐĐGtx 2 of the first student
    const r = pasteBlock(s, parseClipboard('6\n7,5\n8\n9\n'));
    expect(r).toMatchObject({ written: 2, skippedClosed: 1, outside: 1 });
    expect(r.state.drafts[1].cells).toEqual({ 'regular:2': '6' });
    expect(r.state.drafts[2]).toBeUndefined();
    expect(r.state.drafts[3].cells).toEqual({ 'regular:2': '8' });
  });
});

describe('one save', () => {
  it('sends only what differs from the stored values, as typed, with the versions the grid showed', () => {
    const data = grid('scored', [row(1, { 'regular:1': { value: '8.5', version: 2 } }), row(2), row(3)]);
    let s = initialState(data);
    s = setCellText(s, 0, 'regular:1', '8,5'); // the same score: nothing to save
    s = setCellText(s, 1, 'regular:1', '9');
    s = setCellText(s, 1, 'regular:2', '11');
    s = setCellText(s, 2, 'comment', 'Tiến bộ rõ');
    expect(summarize(s)).toEqual({ changed: 3, invalid: [{ row: 1, col: 1, error: 'scoreRange' }] });
    s = setCellText(s, 1, 'regular:2', '7,5');
    const payload = buildPayload(s);
    expect(payload.cells).toEqual([
      { studentId: 2, kind: 'regular', seq: 1, value: '9', version: 0 },
      { studentId: 2, kind: 'regular', seq: 2, value: '7,5', version: 0 },
    ]);
    expect(payload.comments).toEqual([{ studentId: 3, text: 'Tiến bộ rõ', version: 0 }]);
    expect(problemsFromErrors(payload, { 'cells.1': 'Điểm phải từ 0 đến 10.', 'comments.0': 'Đã khóa' })).toEqual({
      2: { 'regular:2': 'Điểm phải từ 0 đến 10.' },
      3: { comment: 'Đã khóa' },
    });
  });

  it('keeps the version a value was typed over across a reload, so a colleague’s change still ends in a 409', () => {
    const before = grid('scored', [row(1, { 'regular:1': { value: '6', version: 4 } }), row(2), row(3)]);
    let s = setCellText(initialState(before), 0, 'regular:1', '7');
    const after = grid('scored', [row(1, { 'regular:1': { value: '9', version: 5 } }), row(2), row(3)]);
    s = reload(s, after);
    expect(buildPayload(s).cells).toEqual([{ studentId: 1, kind: 'regular', seq: 1, value: '7', version: 4 }]);
    // After the conflict dialog the colleague's value stands and the draft over it is dropped.
    expect(reload(s, after, [{ studentId: 1, key: 'regular:1' }]).drafts).toEqual({});
  });

  it('marks the cells a 423 refused with the server’s reason, and never edits closed or read-only cells', () => {
    expect(problemsFromClosed([{ studentId: 2, kind: 'midterm', seq: 1, rule: 'lock', since: null, message: 'Đã khóa sổ' }])).toEqual({ 2: { 'midterm:1': 'Đã khóa sổ' } });
    const closed = grid('scored', [row(1, { 'regular:1': { value: '5', version: 1, closed: closedRegular } })]);
    expect(setCellText(initialState(closed), 0, 'regular:1', '6').drafts).toEqual({});
    const readOnly = { ...grid(), canWrite: false };
    expect(setCellText(initialState(readOnly), 0, 'regular:1', '6').drafts).toEqual({});
  });

  it('moves like a spreadsheet: Tab wraps to the next row, arrows stop at the edges', () => {
    let s = initialState(grid());
    s = moveFocus(s, 0, 4, true); // the comment column (5 navigable columns)
    expect(s.focus).toEqual({ row: 0, col: 4 });
    s = moveFocus(s, 0, 1, true);
    expect(s.focus).toEqual({ row: 1, col: 0 });
    s = moveFocus(s, -5, -5);
    expect(s.focus).toEqual({ row: 0, col: 0 });
  });
});

describe('selecting cells for a request (issue 12, trap 2)', () => {
  const keys = (cells: Array<{ row: number; key: string }>) => cells.map((c) => `${c.row}:${c.key}`);

  it('is the focused cell alone until Shift+arrows or Shift+click extend it into a rectangle', () => {
    let s = initialState(grid());
    expect(keys(selectedCells(s))).toEqual(['0:regular:1']);
    s = moveFocus(s, 1, 0, false, true);
    s = moveFocus(s, 0, 1, false, true);
    expect(keys(selectedCells(s))).toEqual(['0:regular:1', '0:regular:2', '1:regular:1', '1:regular:2']);
    // A plain move drops the selection.
    expect(keys(selectedCells(moveFocus(s, 1, 0)))).toEqual(['2:regular:2']);
    // Shift+click from the focused cell; a drag is the same.
    const clicked = focusCell(initialState(grid()), 2, 2, true);
    expect(keys(selectedCells(clicked))).toHaveLength(9);
    expect(keys(selectedCells(focusCell(clicked, 1, 1)))).toEqual(['1:regular:2']);
  });

  it('takes a whole column from its header, and a student\'s scores from their name, never the comment', () => {
    const s = initialState(grid());
    expect(keys(selectedCells(selectColumn(s, 2)))).toEqual(['0:midterm:1', '1:midterm:1', '2:midterm:1']);
    expect(keys(selectedCells(selectRow(s, 1)))).toEqual(['1:regular:1', '1:regular:2', '1:midterm:1', '1:final:1']);
    // Selecting up to the comment column still leaves it out.
    expect(keys(selectedCells(moveFocus(s, 0, 9, false, true)))).toEqual(['0:regular:1', '0:regular:2', '0:midterm:1', '0:final:1']);
  });
});
