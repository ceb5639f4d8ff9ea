import UploadFileIcon from '@mui/icons-material/UploadFile';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslate } from 'react-admin';
import { apiCall } from '../api/client';
import { useImportRun } from '../common/useImportRun';
import { toBase64 } from '../common/files';
import { displayValue } from '../common/scores';
import type { GradebookRef } from './api';

type Status = 'update' | 'unchanged' | 'closed' | 'error';
interface Change {
  column: string;
  from: string | null;
  to: string;
}
/** POST /api/imports/scores (server/imports/scores.ts, docs/import-templates.md "Scores"). */
interface ScoreReport {
  mode: 'dry-run' | 'commit';
  rows: Array<{ row: number; status: Status; studentCode: string | null; fullName: string | null; errors: Record<string, string>; changes: Change[]; closed: Array<Change & { reason: string }> }>;
  summary: Record<Status, number> & { cells: number; closedCells: number };
  saved?: number;
}

const COLOR: Record<Status, 'info' | 'default' | 'warning' | 'error'> = { update: 'info', unchanged: 'default', closed: 'warning', error: 'error' };
/** Imports take 4 MB of JSON and base64 adds a third: about 3 MB of file. */
const MAX_FILE_BYTES = 2.9 * 1024 * 1024;
const COMMENT_COLUMN = 'Nhận xét';

/**
 * "Nhập từ Excel" on the grade book: choose a file laid out like this grade book's export → a dry run lists what
 * each row would change, the closed cells with the grid's reason and the errors → confirm writes it all through the
 * grid's save, or nothing. Closed cells are never written: the teacher empties them in the file and chooses it again.
 */
export function ScoreImportDialog({ gradebook, title, locale, onClose, onImported }: { gradebook: GradebookRef; title: string; locale: string; onClose: () => void; onImported: (saved: number) => void }) {
  const translate = useTranslate();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const { report, setReport, busy, error, setError, run: runImport } = useImportRun<ScoreReport>();
  const inputRef = useRef<HTMLInputElement>(null);

  const run = (mode: 'dry-run' | 'commit', f: { name: string; base64: string }) =>
    runImport(
      mode,
      () => apiCall<ScoreReport>(`/imports/scores?mode=${mode}`, { method: 'POST', body: { ...gradebook, fileName: f.name, contentBase64: f.base64 } }),
      (r) => (mode === 'commit' ? onImported(r.saved ?? 0) : setReport(r)),
    );
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setReport(null);
    if (f.size > MAX_FILE_BYTES) return void setError(translate('app.gradebook.import.too_big', { size: 2.9 }));
    const loaded = { name: f.name, base64: toBase64(await f.arrayBuffer()) };
    setFile(loaded);
    await run('dry-run', loaded);
  };

  const shown = (c: Change, v: string | null) => (v === null || v === '' ? translate('app.gradebook.import.empty_value') : c.column === COMMENT_COLUMN ? v : displayValue(v, locale));
  const lines = report?.rows.filter((r) => r.status !== 'unchanged') ?? [];
  const s = report?.summary;
  const ready = !!s && report?.mode === 'dry-run' && s.error === 0 && s.closedCells === 0 && s.cells > 0 && !error;
  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="lg" fullWidth data-testid="score-import-dialog">
      <DialogTitle>{translate('app.gradebook.import.title', { book: title })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{translate('app.gradebook.import.help')}</DialogContentText>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
          <input ref={inputRef} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" hidden onChange={(e) => void onFile(e)} data-testid="score-import-file" />
          <Button variant="outlined" startIcon={<UploadFileIcon />} onClick={() => inputRef.current?.click()} disabled={busy !== null}>
            {translate('app.gradebook.import.choose')}
          </Button>
          {file && <Typography variant="body2">{file.name}</Typography>}
        </Stack>
        {busy && (
          <Box sx={{ my: 1 }}>
            <LinearProgress />
            <Typography variant="caption">{translate(busy === 'commit' ? 'app.gradebook.import.committing' : 'app.gradebook.import.checking')}</Typography>
          </Box>
        )}
        {error && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {error}
          </Alert>
        )}
        {s && (
          <>
            <Stack direction="row" spacing={1} useFlexGap sx={{ mb: 1, flexWrap: 'wrap' }} data-testid="score-import-summary">
              {(['update', 'unchanged', 'closed', 'error'] as Status[]).map((k) => (
                <Chip key={k} size="small" color={COLOR[k]} variant={s[k] === 0 ? 'outlined' : 'filled'} label={`${translate(`app.gradebook.import.status.${k}`)}: ${s[k]}`} />
              ))}
            </Stack>
            {s.error > 0 && (
              <Alert severity="warning" sx={{ mb: 1 }}>
                {translate('app.gradebook.import.errors_help', { count: s.error })}
              </Alert>
            )}
            {s.closedCells > 0 && (
              <Alert severity="warning" sx={{ mb: 1 }}>
                {translate('app.gradebook.import.closed_help', { count: s.closedCells })}
              </Alert>
            )}
            {lines.length === 0 ? (
              <Alert severity="info">{translate('app.gradebook.import.nothing')}</Alert>
            ) : (
              <Box sx={{ maxHeight: '50vh', overflow: 'auto', border: 1, borderColor: 'divider', borderRadius: 1 }}>
                <Table size="small" stickyHeader>
                  <TableHead>
                    <TableRow>
                      <TableCell>{translate('app.gradebook.import.row')}</TableCell>
                      <TableCell>{translate('app.gradebook.import.student')}</TableCell>
                      <TableCell>{translate('app.gradebook.import.changes')}</TableCell>
                      <TableCell>{translate('app.gradebook.import.problems')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {lines.map((r) => (
                      <TableRow key={r.row} sx={r.status === 'error' ? { bgcolor: '#fff4f4' } : r.status === 'closed' ? { bgcolor: '#fffbe6' } : undefined}>
                        <TableCell>{r.row}</TableCell>
                        <TableCell>
                          {r.fullName ?? ''} {r.studentCode && <Typography component="span" variant="caption" color="text.secondary">({r.studentCode})</Typography>}
                        </TableCell>
                        <TableCell>
                          {r.changes.map((c) => (
                            <div key={c.column}>
                              <strong>{c.column}</strong>: {shown(c, c.from)} → {shown(c, c.to)}
                            </div>
                          ))}
                        </TableCell>
                        <TableCell>
                          {r.closed.map((c) => (
                            <div key={c.column}>
                              <strong>{c.column}</strong> ({shown(c, c.from)} → {shown(c, c.to)}): {c.reason}
                            </div>
                          ))}
                          {Object.entries(r.errors).map(([col, m]) => (
                            <Box key={col} sx={{ color: 'error.main' }}>
                              <strong>{col}</strong>: {m}
                            </Box>
                          ))}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy !== null}>
          {translate('ra.action.cancel')}
        </Button>
        <Button variant="contained" disabled={!ready || busy !== null || !file} onClick={() => file && void run('commit', file)} data-testid="score-import-commit">
          {translate('app.gradebook.import.commit', { count: s?.cells ?? 0 })}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
