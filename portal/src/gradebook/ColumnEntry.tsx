import LockIcon from '@mui/icons-material/Lock';
import { Box, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useRef, type KeyboardEvent } from 'react';
import { useTranslate } from 'react-admin';
import { columnLabel } from '../common/scores';
import { parseCell } from './cellValue';
import { currentText, isClosed, splitKey, type GridState } from './gridState';
import { COMMENT_COL } from './types';

/**
 * Nhập theo cột: one assessment at a time, the students down the page, one input each, for a phone: a teacher
 * going down the class list with the numeric keypad. Typing goes into the same drafts as the grid (Lưu saves
 * both); closed cells show their lock and reason and cannot be typed into.
 */
export function ColumnEntry({
  state,
  column,
  onColumn,
  onText,
  display,
}: {
  state: GridState;
  column: string;
  onColumn: (key: string) => void;
  onText: (row: number, key: string, text: string) => void;
  display: (v: string | null) => string;
}) {
  const translate = useTranslate();
  const inputs = useRef<Array<HTMLInputElement | null>>([]);
  const keys = state.cols.filter((k) => k !== COMMENT_COL);
  const { kind, seq } = splitKey(column);
  const type = state.data.subject.assessmentType;
  // Enter goes to the next student who can still be entered, as Enter goes down in the grid.
  const next = (i: number) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const later = inputs.current.slice(i + 1).find((el) => el && !el.disabled);
    (later ?? e.currentTarget).focus();
  };
  return (
    <Box data-testid="column-entry">
      <TextField select size="small" fullWidth label={translate('app.gradebook.column')} value={column} onChange={(e) => onColumn(e.target.value)} sx={{ mb: 1 }}>
        {keys.map((k) => (
          <MenuItem key={k} value={k}>
            {columnLabel(splitKey(k).kind, splitKey(k).seq)}
          </MenuItem>
        ))}
      </TextField>
      <Stack spacing={0.5}>
        {state.data.rows.map((row, i) => {
          const closed = isClosed(row, column) && state.drafts[row.student.id]?.cells[column] === undefined ? row.cells[column].closed : null;
          const text = currentText(state, i, column, display);
          const typed = state.drafts[row.student.id]?.cells[column];
          const parsed = typed !== undefined && typed !== '' ? parseCell(type, typed) : null;
          const error = parsed && !parsed.ok ? translate(`app.gradebook.error.${parsed.error}`) : (state.problems[row.student.id]?.[column] ?? null);
          return (
            <Stack key={row.student.id} direction="row" spacing={1} sx={{ alignItems: 'center', bgcolor: typed !== undefined ? '#fff8e1' : 'background.paper', px: 1, py: 0.5, borderRadius: 1, border: 1, borderColor: error ? 'error.main' : 'divider' }} data-testid="column-entry-row">
              <Typography variant="body2" color="text.secondary" sx={{ width: 24, textAlign: 'right' }}>
                {i + 1}
              </Typography>
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Typography variant="body2" noWrap>
                  {row.student.fullName}
                </Typography>
                {(error || closed) && (
                  <Typography variant="caption" color={error ? 'error' : 'text.secondary'} sx={{ display: 'block', lineHeight: 1.2 }}>
                    {error ?? closed!.message}
                  </Typography>
                )}
              </Box>
              {closed && <LockIcon fontSize="small" color="disabled" />}
              <input
                ref={(el) => void (inputs.current[i] = el)}
                aria-label={`${row.student.fullName} ${columnLabel(kind, seq)}`}
                value={text}
                disabled={!!closed || !state.data.canWrite}
                inputMode={type === 'scored' ? 'decimal' : 'text'}
                enterKeyHint="next"
                onChange={(e) => onText(i, column, e.target.value)}
                onKeyDown={next(i)}
                style={{ width: 64, font: 'inherit', fontSize: 16, textAlign: 'center', padding: '6px 4px', border: '1px solid #bbb', borderRadius: 4 }}
              />
            </Stack>
          );
        })}
      </Stack>
    </Box>
  );
}
