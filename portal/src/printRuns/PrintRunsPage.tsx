import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Box, Button, Card, CardContent, Chip, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { canApprovePrint, canRequestPrint } from '../../../domain/permissions';
import { apiCall, apiDownload, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { ReasonDialog } from '../common/ReasonDialog';
import { saveBlob } from '../common/files';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { formatDateTime } from '../format';

interface PrintRun {
  id: number;
  className: string;
  schoolYear: string;
  period: '1' | '2' | 'year';
  status: 'requested' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  verificationCode: string | null;
  pageCount: number | null;
}

/**
 * Bản in sổ điểm (issue 12): the print runs of the school; a VP (or giáo vụ) requests a class's printed grade book,
 * the principal approves or rejects it, and an approved one downloads as the frozen PDF. The buttons follow the
 * same rules the server enforces (domain/permissions.ts).
 */
export function PrintRunsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const principal = user?.principal;
  const choices = useGradebookChoices();
  const [runs, setRuns] = useState<PrintRun[]>([]);
  const [classId, setClassId] = useState<number | ''>('');
  const [period, setPeriod] = useState<'1' | '2' | 'year'>('1');
  const [rejecting, setRejecting] = useState<PrintRun | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    apiCall<PrintRun[]>('/print-runs?sort=["id","DESC"]&range=[0,99]').then(setRuns, (e) => notify(errorText(e), { type: 'error' }));
  }, [notify]);
  useEffect(load, [load]);

  const requestable = useMemo(
    () => (principal ? choices.allClasses.filter((c) => canRequestPrint(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade })) : []),
    [principal, choices.allClasses],
  );
  const mayApprove = !!principal && !!user && canApprovePrint(principal, user.schoolId);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      notify(done, { type: 'success' });
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const request = () => act(() => apiCall('/print-runs', { method: 'POST', body: { kind: 'gradebook', classId, period } }), translate('app.print_runs.requested'));
  const approve = (r: PrintRun) => act(() => apiCall(`/print-runs/${r.id}/decision`, { method: 'POST', body: { decision: 'approve' } }), translate('app.print_runs.approved'));
  const reject = (r: PrintRun, note: string) => act(() => apiCall(`/print-runs/${r.id}/decision`, { method: 'POST', body: { decision: 'reject', note } }), translate('app.print_runs.rejected'));
  const download = async (r: PrintRun) => {
    try {
      const { blob, fileName } = await apiDownload(`/print-runs/${r.id}/pdf`);
      saveBlob(blob, fileName);
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };

  return (
    <Box p={2}>
      <Title title={translate('app.print_runs.title')} />
      {requestable.length > 0 && (
        <Card sx={{ mb: 2 }}>
          <CardContent>
            <Typography variant="subtitle1" gutterBottom>{translate('app.print_runs.request_title')}</Typography>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} alignItems={{ sm: 'center' }}>
              <TextField select size="small" label={translate('app.print_runs.class')} value={classId} onChange={(e) => setClassId(Number(e.target.value))} sx={{ minWidth: 140 }}>
                {requestable.map((c) => (
                  <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>
                ))}
              </TextField>
              <TextField select size="small" label={translate('app.print_runs.period')} value={period} onChange={(e) => setPeriod(e.target.value as '1' | '2' | 'year')} sx={{ minWidth: 140 }}>
                {(['1', '2', 'year'] as const).map((p) => (
                  <MenuItem key={p} value={p}>{translate(`app.print_runs.period_${p}`)}</MenuItem>
                ))}
              </TextField>
              <Button variant="contained" disabled={busy || classId === ''} onClick={request}>{translate('app.print_runs.request')}</Button>
            </Stack>
          </CardContent>
        </Card>
      )}
      {runs.length === 0 ? (
        <Alert severity="info">{translate('app.print_runs.empty')}</Alert>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              {['id', 'book', 'class', 'period', 'status', 'requested_by', 'decided_by', 'code', 'actions'].map((h) => (
                <TableCell key={h}>{translate(`app.print_runs.col_${h}`)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.id}</TableCell>
                <TableCell>{translate('app.print_runs.book_gradebook')}</TableCell>
                <TableCell>{r.className} ({r.schoolYear})</TableCell>
                <TableCell>{translate(`app.print_runs.period_${r.period}`)}</TableCell>
                <TableCell>
                  <Chip size="small" label={translate(`app.print_runs.status_${r.status}`)} color={r.status === 'approved' ? 'success' : r.status === 'rejected' ? 'default' : 'warning'} title={r.decisionNote ?? undefined} />
                </TableCell>
                <TableCell>{r.requestedBy}<br /><small>{formatDateTime(r.requestedAt)}</small></TableCell>
                <TableCell>{r.decidedBy ?? ''}{r.decidedAt && <><br /><small>{formatDateTime(r.decidedAt)}</small></>}</TableCell>
                <TableCell>{r.verificationCode ?? ''}{r.pageCount ? <><br /><small>{translate('app.print_runs.pages', { count: r.pageCount })}</small></> : null}</TableCell>
                <TableCell>
                  {r.status === 'requested' && mayApprove && (
                    <Stack direction="row" spacing={1}>
                      <Button size="small" variant="contained" disabled={busy} onClick={() => approve(r)}>{translate('app.print_runs.approve')}</Button>
                      <Button size="small" disabled={busy} onClick={() => setRejecting(r)}>{translate('app.print_runs.reject')}</Button>
                    </Stack>
                  )}
                  {r.status === 'approved' && (
                    <Button size="small" startIcon={<DownloadIcon />} onClick={() => download(r)}>{translate('app.print_runs.download')}</Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {rejecting && (
        <ReasonDialog
          open
          title={translate('app.print_runs.reject_title')}
          label={translate('app.print_runs.reject_reason')}
          required
          confirmLabel={translate('app.print_runs.reject')}
          onClose={() => setRejecting(null)}
          onConfirm={(note: string) => {
            const r = rejecting;
            setRejecting(null);
            void reject(r, note);
          }}
        />
      )}
    </Box>
  );
}
