import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import DownloadIcon from '@mui/icons-material/Download';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import SendIcon from '@mui/icons-material/Send';
import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography, useMediaQuery, type Theme } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { requiresTotp } from '../../../domain/permissions';
import { apiCall, apiDownload, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { saveBlob } from '../common/files';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { YearSelect } from '../common/YearSelect';
import { formatDateTime } from '../format';
import { PinDialog } from '../signing/PinDialog';
import { BatchRecords, type SyncBatch } from './BatchRecords';
import { AutoSyncCard } from './AutoSyncCard';
import { ReceiptDialog } from './ReceiptDialog';
import { SyncStudents } from './SyncStudents';

/**
 * Đồng bộ CSDL (issue 13): the sync batches of a school year with their progress (the share of students accepted);
 * a batch is built by hand — sent to the configured receiver, or exported as a ZIP for the ministry or province
 * portal — after the seal's PIN; a batch opens to its students' statuses, with the reasons in words. Above the
 * batches, every student's status now (SyncStudents), on one class when a reminder's link names it.
 */
export function SyncPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [params, setParams] = useSearchParams();
  const [yearId, setYearId] = useState<number | undefined>(Number(params.get('schoolYearId')) || undefined);
  const choices = useGradebookChoices(yearId);
  const [batches, setBatches] = useState<SyncBatch[]>([]);
  const [open, setOpen] = useState<SyncBatch | null>(null);
  const [transport, setTransport] = useState<'http' | 'file'>('http');
  const [asking, setAsking] = useState(false);
  const [receipt, setReceipt] = useState<number | null>(null);
  const phone = useMediaQuery((t: Theme) => t.breakpoints.down('sm'));
  const classId = Number(params.get('classId')) || undefined;
  const setClass = (id: number | undefined) => setParams(id ? { ...(year ? { schoolYearId: String(year) } : {}), classId: String(id) } : {}, { replace: true });
  const year = yearId ?? choices.years.find((y) => y.isCurrent)?.id ?? choices.years[0]?.id;

  const load = useCallback(() => {
    if (!year) return;
    apiCall<SyncBatch[]>(`/sync/batches?schoolYearId=${year}`).then(setBatches, (e) => notify(errorText(e), { type: 'error' }));
  }, [year, notify]);
  useEffect(load, [load]);
  // A batch being sent: the list follows it until the receiver has answered.
  useEffect(() => {
    if (!batches.some((b) => b.status === 'sending')) return;
    const timer = setTimeout(load, 1000);
    return () => clearTimeout(timer);
  }, [batches, load]);

  const needsTotp = !!user && requiresTotp(user.principal.grants.filter((g) => g.schoolId === user.schoolId));
  const build = async (pin: string, totp: string | undefined): Promise<string | null> => {
    try {
      const r = await apiCall<{ id: number; entries: number; notReady: number }>('/sync/batches', { method: 'POST', body: { schoolYearId: year, transport, pin, totp } });
      setAsking(false);
      notify(translate('app.sync.built', { entries: r.entries, notReady: r.notReady }), { type: 'success' });
      load();
      return null;
    } catch (e) {
      return errorText(e);
    }
  };
  const resend = async (b: SyncBatch) => {
    try {
      await apiCall(`/sync/batches/${b.id}/send`, { method: 'POST' });
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const download = async (b: SyncBatch) => {
    try {
      const { blob, fileName } = await apiDownload(`/sync/batches/${b.id}/zip`);
      saveBlob(blob, fileName);
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };

  const batchStatus = (b: SyncBatch) => (
    <Chip size="small" label={translate(`app.sync.batch_${b.status}`)} color={b.status === 'done' ? 'success' : b.status === 'failed' ? 'error' : 'default'} title={b.error ?? undefined} />
  );
  const batchProgress = (b: SyncBatch) => (
    <>
      <LinearProgress variant="determinate" value={b.progress.percent} color={b.progress.rejected > 0 ? 'warning' : 'primary'} sx={{ mt: 0.5 }} />
      <small>{translate('app.sync.progress', { accepted: b.progress.accepted, entries: b.progress.entries })}</small>
    </>
  );
  const batchActions = (b: SyncBatch) => (
    <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }} onClick={(e) => e.stopPropagation()}>
      {b.transport === 'http' && b.status !== 'sending' && (
        <Button size="small" startIcon={<SendIcon />} onClick={() => void resend(b)}>{translate('app.sync.resend')}</Button>
      )}
      <Button size="small" startIcon={<DownloadIcon />} onClick={() => void download(b)}>{translate('app.sync.download')}</Button>
      {b.transport === 'file' && b.status === 'sent' && (
        <Button size="small" startIcon={<FactCheckIcon />} onClick={() => setReceipt(b.id)} data-testid="sync-receipt-open">{translate('app.sync.receipt')}</Button>
      )}
    </Stack>
  );

  return (
    // Inline-size containment: the long transport names ellipsise in their select instead of widening a phone's page.
    <Box p={{ xs: 1, sm: 2 }} sx={{ contain: 'inline-size' }}>
      <Title title={translate('app.sync.title')} />
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.sync.intro')}</Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} alignItems={{ sm: 'center' }}>
            <YearSelect years={choices.years} value={year} onChange={(y) => { setYearId(y); setParams({}, { replace: true }); }} />
            <TextField select size="small" label={translate('app.sync.transport')} value={transport} onChange={(e) => setTransport(e.target.value as 'http' | 'file')} sx={{ minWidth: 220 }}>
              <MenuItem value="http">{translate('app.sync.transport_http')}</MenuItem>
              <MenuItem value="file">{translate('app.sync.transport_file')}</MenuItem>
            </TextField>
            <Button variant="contained" startIcon={<CloudUploadIcon />} disabled={!year} onClick={() => setAsking(true)} data-testid="sync-build" sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>
              {translate('app.sync.build')}
            </Button>
          </Stack>
        </CardContent>
      </Card>
      <AutoSyncCard needsTotp={needsTotp} onChanged={load} />
      {year && (
        <SyncStudents
          yearId={year}
          classes={choices.allClasses.filter((c) => c.schoolYearId === year)}
          classId={classId}
          onClass={setClass}
          refreshKey={batches.map((b) => `${b.id}:${b.status}`).join(',')}
        />
      )}
      <Typography variant="h6" gutterBottom>{translate('app.sync.batches_title')}</Typography>
      {batches.length === 0 ? (
        <Alert severity="info">{translate('app.sync.empty')}</Alert>
      ) : phone ? (
        <Stack spacing={1}>
          {batches.map((b) => (
            <Card key={b.id} variant="outlined" onClick={() => setOpen(b)} sx={{ cursor: 'pointer', borderColor: open?.id === b.id ? 'primary.main' : undefined }} data-testid="sync-batch">
              <CardContent sx={{ pb: '8px !important' }}>
                <Stack direction="row" justifyContent="space-between" alignItems="center" spacing={1}>
                  <Typography variant="subtitle2">#{b.id} · {formatDateTime(b.createdAt)}</Typography>
                  {batchStatus(b)}
                </Stack>
                <Typography variant="caption" color="text.secondary" component="div">{translate(`app.sync.transport_${b.transport}`)}{b.createdByName ? ` · ${b.createdByName}` : ''}</Typography>
                {batchProgress(b)}
                <Typography variant="caption" component="div">{translate('app.sync.counts', b.counts)}</Typography>
                {batchActions(b)}
              </CardContent>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              {['id', 'created', 'transport', 'status', 'progress', 'counts', 'actions'].map((h) => (
                <TableCell key={h}>{translate(`app.sync.col_${h}`)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {batches.map((b) => (
              <TableRow key={b.id} hover selected={open?.id === b.id} onClick={() => setOpen(b)} sx={{ cursor: 'pointer' }} data-testid="sync-batch">
                <TableCell>#{b.id}<br /><small title={b.packetId}>{b.packetId.slice(0, 8)}</small></TableCell>
                <TableCell>{formatDateTime(b.createdAt)}<br /><small>{b.createdByName ?? ''}</small></TableCell>
                <TableCell>{translate(`app.sync.transport_${b.transport}`)}</TableCell>
                <TableCell>{batchStatus(b)}</TableCell>
                <TableCell sx={{ minWidth: 160 }}>{batchProgress(b)}</TableCell>
                <TableCell><small>{translate('app.sync.counts', b.counts)}</small></TableCell>
                <TableCell>{batchActions(b)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open && <BatchRecords batchId={open.id} key={`${open.id}-${batches.find((b) => b.id === open.id)?.status}`} />}
      {receipt !== null && <ReceiptDialog batchId={receipt} onClose={() => setReceipt(null)} onDone={() => { setReceipt(null); load(); }} />}
      <PinDialog
        open={asking}
        count={0}
        needsTotp={needsTotp}
        title={translate('app.sync.pin_title')}
        help={translate('app.sync.pin_help')}
        onSubmit={build}
        onClose={() => setAsking(false)}
      />
    </Box>
  );
}
