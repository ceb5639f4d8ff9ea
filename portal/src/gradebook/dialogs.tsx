import LockOpenIcon from '@mui/icons-material/LockOpen';
import EditNoteIcon from '@mui/icons-material/EditNote';
import {
  Alert,
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
} from '@mui/material';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { WitnessPicker } from '../correctionRequests/WitnessPicker';
import { errorText } from '../api/client';
import { gradebookApi, type GradebookRef } from './api';
import { columnLabel, displayValue } from '../common/scores';
import { parseCell } from './cellValue';
import type { AssessmentType, ClosedCell, Kind } from './types';

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

/** Đề nghị mở khóa: the named cells and a reason, to the principal (POST /api/unlock-requests). */
export function UnlockRequestDialog({ gradebook, lines, onClose }: { gradebook: GradebookRef; lines: CellLine[]; onClose: (sent: boolean) => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cells = lines.filter((l): l is CellLine & { kind: Kind } => l.kind !== 'comment');
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await gradebookApi.requestUnlock(
        reason.trim(),
        cells.map((l) => ({ ...gradebook, studentId: l.studentId, kind: l.kind, seq: l.seq })),
      );
      notify('app.gradebook.unlock_sent', { type: 'success' });
      onClose(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="sm" fullWidth data-testid="unlock-dialog">
      <DialogTitle>{translate('app.gradebook.request_unlock')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 1 }}>{translate('app.gradebook.unlock_help', { count: cells.length })}</DialogContentText>
        <ul style={{ marginTop: 0 }}>
          {cells.map((l) => (
            <li key={`${l.studentId}:${l.kind}:${l.seq}`}>
              {l.studentName} — {columnLabel(l.kind, l.seq)}
            </li>
          ))}
        </ul>
        <TextField
          label={translate('app.gradebook.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          required
          autoFocus
          slotProps={{ htmlInput: { maxLength: 1000 } }}
        />
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={busy || reason.trim() === '' || cells.length === 0} onClick={() => void send()}>
          {translate('app.gradebook.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Đề nghị sửa điểm for one closed cell: old → new value and the reason (POST /api/correction-requests). The
 * principal approves, the VP and a witness confirm, then the teacher applies it (timeline.md).
 */
export function CorrectionDialog({
  gradebook,
  line,
  type,
  oldValue,
  proposed,
  locale,
  onClose,
}: {
  gradebook: GradebookRef;
  line: CellLine & { kind: Kind };
  type: AssessmentType;
  oldValue: string | null;
  proposed: string;
  locale: string;
  onClose: (sent: boolean) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [value, setValue] = useState(proposed);
  const [reason, setReason] = useState('');
  const [witness, setWitness] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseCell(type, value);
  const valueError = parsed.ok ? null : translate(`app.gradebook.error.${parsed.error}`);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await gradebookApi.requestCorrection({
        ...gradebook,
        studentId: line.studentId,
        kind: line.kind,
        seq: line.seq,
        newValue: value.trim() === '' ? null : value.trim(),
        reason: reason.trim(),
        ...(witness !== null ? { witnessUserId: witness } : {}),
      });
      notify('app.gradebook.correction_sent', { type: 'success' });
      onClose(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => onClose(false)} maxWidth="sm" fullWidth data-testid="correction-dialog">
      <DialogTitle>{translate('app.gradebook.request_correction')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {line.studentName} — {columnLabel(line.kind, line.seq)}. {translate('app.gradebook.correction_help')}
        </DialogContentText>
        <TextField label={translate('app.gradebook.old_value')} value={displayValue(oldValue, locale) || translate('app.gradebook.empty')} disabled sx={{ mr: 2, width: 140 }} />
        <TextField
          label={translate('app.gradebook.new_value')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={!!valueError}
          helperText={valueError ?? ' '}
          sx={{ width: 200 }}
          autoFocus
        />
        <TextField
          label={translate('app.gradebook.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          required
          sx={{ mt: 1 }}
          slotProps={{ htmlInput: { maxLength: 1000 } }}
        />
        <WitnessPicker target={gradebook} value={witness} onChange={setWitness} disabled={busy} />
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={busy || reason.trim() === '' || !!valueError} onClick={() => void send()}>
          {translate('app.gradebook.send')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export type { ClosedCell };
