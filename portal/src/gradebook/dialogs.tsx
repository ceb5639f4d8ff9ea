import LockOpenIcon from '@mui/icons-material/LockOpen';
import EditNoteIcon from '@mui/icons-material/EditNote';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Stack,
  type SxProps,
  type Theme,
} from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorText } from '../api/client';
import { columnLabel, displayValue } from '../common/scores';
import { WitnessPicker } from '../common/WitnessPicker';
import { gradebookApi, type GradebookRef } from './api';
import { parseCell } from './cellValue';
import type { AssessmentType, Kind } from './types';

/** One line of a dialog's table: which student, which column. */
export interface CellLine {
  studentId: number;
  studentName: string;
  kind: Kind | 'comment';
  seq: number;
}

const colName = (l: CellLine, commentLabel: string) => (l.kind === 'comment' ? commentLabel : columnLabel(l.kind, l.seq));

/** 409: a colleague saved these cells after the grid was loaded. Nothing was saved; the grid reloads with theirs. */
export function ConflictDialog({
  lines,
  locale,
  onClose,
}: {
  lines: Array<CellLine & { mine: string; theirs: string | null }>;
  locale: string;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const comment = translate('app.gradebook.comment');
  return (
    <Dialog open onClose={onClose} maxWidth="md" data-testid="conflict-dialog">
      <DialogTitle>{translate('app.gradebook.conflict_title')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{translate('app.gradebook.conflict_body')}</DialogContentText>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('app.gradebook.student')}</TableCell>
              <TableCell>{translate('app.gradebook.column')}</TableCell>
              <TableCell>{translate('app.gradebook.your_value')}</TableCell>
              <TableCell>{translate('app.gradebook.current_value')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((l) => (
              <TableRow key={`${l.studentId}:${l.kind}:${l.seq}`}>
                <TableCell>{l.studentName}</TableCell>
                <TableCell>{colName(l, comment)}</TableCell>
                <TableCell>{l.mine === '' ? translate('app.gradebook.empty') : l.mine}</TableCell>
                <TableCell>
                  <strong>{l.theirs === null || l.theirs === '' ? translate('app.gradebook.empty') : l.kind === 'comment' ? l.theirs : displayValue(l.theirs, locale)}</strong>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          {translate('app.gradebook.reload_with_theirs')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * 423: the cells the rules closed since the grid was loaded (weekly cutoff, periodic window, a lock), each with the
 * server's reason. The teacher can ask the principal to reopen them, or file a correction for one cell.
 */
export function RefusedDialog({
  message,
  lines,
  canRequest,
  onUnlock,
  onCorrection,
  onClose,
}: {
  message: string;
  lines: Array<CellLine & { reason: string }>;
  canRequest: boolean;
  onUnlock: () => void;
  onCorrection: (line: CellLine) => void;
  onClose: () => void;
}) {
  const translate = useTranslate();
  return (
    <Dialog open onClose={onClose} maxWidth="md" data-testid="refused-dialog">
      <DialogTitle>{translate('app.gradebook.refused_title')}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {message}
        </Alert>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('app.gradebook.student')}</TableCell>
              <TableCell>{translate('app.gradebook.column')}</TableCell>
              <TableCell>{translate('app.gradebook.reason_closed')}</TableCell>
              {canRequest && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((l) => (
              <TableRow key={`${l.studentId}:${l.kind}:${l.seq}`}>
                <TableCell>{l.studentName}</TableCell>
                <TableCell>{colName(l, translate('app.gradebook.comment'))}</TableCell>
                <TableCell>{l.reason}</TableCell>
                {canRequest && (
                  <TableCell>
                    {l.kind !== 'comment' && (
                      <Button size="small" startIcon={<EditNoteIcon />} onClick={() => onCorrection(l)}>
                        {translate('app.gradebook.request_correction')}
                      </Button>
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
        {canRequest && (
          <Button variant="contained" startIcon={<LockOpenIcon />} onClick={onUnlock}>
            {translate('app.gradebook.request_unlock')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** Sending a request from a dialog: busy while it runs; on success a notification and close, else the server's text. */
function useSend(done: string, onClose: (sent: boolean) => void) {
  const notify = useNotify();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (request: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await request();
      notify(done, { type: 'success' });
      onClose(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send };
}

/** The frame of a request to the principal: the caller's fields, the server's error if any, Hủy bỏ and Gửi. */
function RequestDialog({
  testId,
  title,
  error,
  sendDisabled,
  onSend,
  onClose,
  children,
}: {
  testId: string;
  title: string;
  error: string | null;
  sendDisabled: boolean;
  onSend: () => void;
  onClose: (sent: boolean) => void;
  children: ReactNode;
}) {
  const translate = useTranslate();
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="sm" fullWidth data-testid={testId}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {children}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={sendDisabled} onClick={onSend}>
          {translate('app.gradebook.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The request's reason (required, up to 1000 characters). */
function ReasonField({ value, onChange, autoFocus, sx }: { value: string; onChange: (v: string) => void; autoFocus?: boolean; sx?: SxProps<Theme> }) {
  const translate = useTranslate();
  return (
    <TextField
      label={translate('app.gradebook.reason')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      multiline
      minRows={3}
      fullWidth
      required
      autoFocus={autoFocus}
      sx={sx}
      slotProps={{ htmlInput: { maxLength: 1000 } }}
    />
  );
}

/** Đề nghị mở khóa: the named cells and a reason, to the principal (POST /api/unlock-requests). */
export function UnlockRequestDialog({ gradebook, lines, onClose }: { gradebook: GradebookRef; lines: CellLine[]; onClose: (sent: boolean) => void }) {
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  const { busy, error, send } = useSend('app.gradebook.unlock_sent', onClose);
  const cells = lines.filter((l): l is CellLine & { kind: Kind } => l.kind !== 'comment');
  const submit = () =>
    send(() =>
      gradebookApi.requestUnlock(
        reason.trim(),
        cells.map((l) => ({ ...gradebook, studentId: l.studentId, kind: l.kind, seq: l.seq })),
      ),
    );
  return (
    <RequestDialog
      testId="unlock-dialog"
      title={translate('app.gradebook.request_unlock')}
      error={error}
      sendDisabled={busy || reason.trim() === '' || cells.length === 0}
      onSend={() => void submit()}
      onClose={onClose}
    >
      <DialogContentText sx={{ mb: 1 }}>{translate('app.gradebook.unlock_help', { count: cells.length })}</DialogContentText>
      <ul style={{ marginTop: 0, maxHeight: 240, overflow: 'auto' }} data-testid="unlock-lines">
        {cells.map((l) => (
          <li key={`${l.studentId}:${l.kind}:${l.seq}`}>
            {l.studentName} — {columnLabel(l.kind, l.seq)}
          </li>
        ))}
      </ul>
      <ReasonField value={reason} onChange={setReason} autoFocus />
    </RequestDialog>
  );
}

/** A closed cell to correct: who and which column, what it holds, and what was typed for it (if anything). */
export type CorrectionLine = CellLine & { kind: Kind; oldValue: string | null; proposed: string };

/**
 * Đề nghị sửa điểm for one closed cell or a selection of them: old → new value per cell, one reason and witness for
 * all (POST /api/correction-requests, one request per cell: each is approved, witnessed and applied on its own).
 * The principal approves, the VP and a witness confirm, then the teacher applies it (timeline.md). Sent one after
 * the other; a refused one stops the run with its reason, and those already sent leave the list.
 */
export function CorrectionDialog({
  gradebook,
  lines: initial,
  type,
  locale,
  onClose,
}: {
  gradebook: GradebookRef;
  lines: CorrectionLine[];
  type: AssessmentType;
  locale: string;
  onClose: (sent: boolean) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [lines, setLines] = useState(initial);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(initial.map((l) => [lineKey(l), l.proposed])));
  const [reason, setReason] = useState('');
  const [witness, setWitness] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errors = Object.fromEntries(
    lines.map((l) => {
      const parsed = parseCell(type, values[lineKey(l)] ?? '');
      return [lineKey(l), parsed.ok ? null : translate(`app.gradebook.error.${parsed.error}`)];
    }),
  );
  const submit = async () => {
    setBusy(true);
    setError(null);
    let left = lines;
    try {
      for (const l of lines) {
        const v = (values[lineKey(l)] ?? '').trim();
        await gradebookApi.requestCorrection({ ...gradebook, studentId: l.studentId, kind: l.kind, seq: l.seq, newValue: v === '' ? null : v, reason: reason.trim(), ...(witness !== null ? { witnessUserId: witness } : {}) });
        left = left.filter((x) => x !== l);
      }
      notify('app.gradebook.correction_sent', { type: 'success', messageArgs: { smart_count: lines.length } });
      onClose(true);
    } catch (e) {
      setLines(left);
      setError(`${left[0] ? `${left[0].studentName} — ${columnLabel(left[0].kind, left[0].seq)}: ` : ''}${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <RequestDialog
      testId="correction-dialog"
      title={translate('app.gradebook.request_correction')}
      error={error}
      sendDisabled={busy || reason.trim() === '' || lines.length === 0 || Object.values(errors).some(Boolean)}
      onSend={() => void submit()}
      onClose={onClose}
    >
      <DialogContentText sx={{ mb: 2 }}>
        {lines.length > 1 ? translate('app.gradebook.correction_many', { count: lines.length }) : lines[0] ? `${lines[0].studentName} — ${columnLabel(lines[0].kind, lines[0].seq)}.` : ''}{' '}
        {translate('app.gradebook.correction_help')}
      </DialogContentText>
      <Box sx={{ maxHeight: 280, overflow: 'auto', mb: 1 }}>
        {lines.map((l, i) => (
          <Stack key={lineKey(l)} direction="row" spacing={2} sx={{ alignItems: 'baseline', mb: 0.5 }} data-testid="correction-line">
            {lines.length > 1 && <Box sx={{ width: 200, flexShrink: 0 }}>{`${l.studentName} — ${columnLabel(l.kind, l.seq)}`}</Box>}
            <TextField size="small" label={translate('app.gradebook.old_value')} value={displayValue(l.oldValue, locale) || translate('app.gradebook.empty')} disabled sx={{ width: 110 }} />
            <TextField
              size="small"
              label={translate('app.gradebook.new_value')}
              value={values[lineKey(l)] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [lineKey(l)]: e.target.value }))}
              error={!!errors[lineKey(l)]}
              helperText={errors[lineKey(l)] ?? ' '}
              sx={{ width: 160 }}
              autoFocus={i === 0}
            />
          </Stack>
        ))}
      </Box>
      <ReasonField value={reason} onChange={setReason} sx={{ mt: 1 }} />
      <WitnessPicker target={gradebook} value={witness} onChange={setWitness} disabled={busy} />
    </RequestDialog>
  );
}

const lineKey = (l: CellLine) => `${l.studentId}:${l.kind}:${l.seq}`;

/**
 * Đề nghị sửa ngày kiểm tra: the column is closed (or has scores), so the teacher cannot move its date; the
 * principal approves the right date like an unlock (POST /api/unlock-requests with `testDate`).
 */
export function TestDateFixDialog({
  gradebook,
  kind,
  date,
  message,
  onClose,
}: {
  gradebook: GradebookRef;
  kind: 'midterm' | 'final';
  date: string;
  message: string;
  onClose: (sent: boolean) => void;
}) {
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  const { busy, error, send } = useSend('app.gradebook.test_date_fix_sent', onClose);
  return (
    <RequestDialog
      testId="test-date-fix-dialog"
      title={translate('app.gradebook.test_date_fix_title')}
      error={error}
      sendDisabled={busy || reason.trim() === ''}
      onSend={() => void send(() => gradebookApi.requestTestDateFix(gradebook, kind, date, reason.trim()))}
      onClose={onClose}
    >
      <DialogContentText sx={{ mb: 1 }}>{message}</DialogContentText>
      <DialogContentText sx={{ mb: 1 }}>
        {translate('app.gradebook.test_date_fix_help', { column: columnLabel(kind, 1), date: date.split('-').reverse().join('/') })}
      </DialogContentText>
      <ReasonField value={reason} onChange={setReason} autoFocus />
    </RequestDialog>
  );
}
