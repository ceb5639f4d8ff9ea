import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Box, Button, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { canApprovePrint } from '../../../domain/permissions';
import type { PrintKind } from '../../../domain/printing';
import { apiCall, apiDownload, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { ReasonDialog } from '../common/ReasonDialog';
import { saveBlob } from '../common/files';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { formatDateTime } from '../format';
import { RequestPrintForm } from './RequestPrintForm';

interface PrintRun {
  id: number;
  kind: PrintKind;
  className: string | null;
  grade: number | null;
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
 * Bản in sổ sách (issue 12): the print runs of the school; a VP (or giáo vụ) requests a printed book — a class's
 * grade book or roll-call book, the school's enrolment register — the principal approves or rejects it, and an
 * approved one downloads as the frozen PDF. The buttons follow the rules the server enforces (domain/permissions.ts).
 */
export function PrintRunsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const principal = user?.principal;
  const choices = useGradebookChoices();
  const [runs, setRuns] = useState<PrintRun[]>([]);
  const [rejecting, setRejecting] = useState<PrintRun | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    apiCall<PrintRun[]>('/print-runs?sort=["id","DESC"]&range=[0,99]').then(setRuns, (e) => notify(errorText(e), { type: 'error' }));
  }, [notify]);
  useEffect(load, [load]);

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
  const request = (body: Record<string, unknown>) => act(() => apiCall('/print-runs', { method: 'POST', body }), translate('app.print_runs.requested'));
  // The class of a class's book; the grade or the whole school for the enrolment register.
  const scope = (r: PrintRun) =>
    r.className ?? (r.grade === null ? translate('app.print_runs.whole_school') : translate('app.print_runs.grade_n', { grade: r.grade }));
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
      {principal && user && <RequestPrintForm principal={principal} schoolId={user.schoolId} classes={choices.allClasses} busy={busy} onRequest={(body) => void request(body)} />}
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
                <TableCell>{translate(`app.print_runs.book_${r.kind}`)}</TableCell>
                <TableCell>{scope(r)} ({r.schoolYear})</TableCell>
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
