import CloudUploadIcon from '@mui/icons-material/CloudUpload';
import DownloadIcon from '@mui/icons-material/Download';
import SendIcon from '@mui/icons-material/Send';
import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
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

/**
 * Đồng bộ CSDL (issue 13): the sync batches of a school year with their progress (the share of students accepted);
 * a batch is built by hand — sent to the configured receiver, or exported as a ZIP for the ministry or province
 * portal — after the seal's PIN; a batch opens to its students' statuses, with the reasons in words.
 */
export function SyncPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [yearId, setYearId] = useState<number | undefined>(undefined);
  const choices = useGradebookChoices(yearId);
  const [batches, setBatches] = useState<SyncBatch[]>([]);
  const [open, setOpen] = useState<SyncBatch | null>(null);
  const [transport, setTransport] = useState<'http' | 'file'>('http');
  const [asking, setAsking] = useState(false);
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

  return (
    <Box p={2}>
      <Title title={translate('app.sync.title')} />
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.sync.intro')}</Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} alignItems={{ sm: 'center' }}>
            <YearSelect years={choices.years} value={year} onChange={setYearId} />
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
      {batches.length === 0 ? (
        <Alert severity="info">{translate('app.sync.empty')}</Alert>
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
                <TableCell>
                  <Chip size="small" label={translate(`app.sync.batch_${b.status}`)} color={b.status === 'done' ? 'success' : b.status === 'failed' ? 'error' : 'default'} title={b.error ?? undefined} />
                </TableCell>
                <TableCell sx={{ minWidth: 160 }}>
                  <LinearProgress variant="determinate" value={b.progress.percent} color={b.progress.rejected > 0 ? 'warning' : 'primary'} />
                  <small>{translate('app.sync.progress', { accepted: b.progress.accepted, entries: b.progress.entries })}</small>
                </TableCell>
                <TableCell><small>{translate('app.sync.counts', b.counts)}</small></TableCell>
                <TableCell onClick={(e) => e.stopPropagation()}>
                  <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }}>
                    {b.transport === 'http' && b.status !== 'sending' && (
                      <Button size="small" startIcon={<SendIcon />} onClick={() => void resend(b)}>{translate('app.sync.resend')}</Button>
                    )}
                    <Button size="small" startIcon={<DownloadIcon />} onClick={() => void download(b)}>{translate('app.sync.download')}</Button>
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open && <BatchRecords batchId={open.id} key={`${open.id}-${batches.find((b) => b.id === open.id)?.status}`} />}
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
