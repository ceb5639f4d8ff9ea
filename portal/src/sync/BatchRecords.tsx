import { Alert, Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';

export interface SyncBatch {
  id: number;
  packetId: string;
  schoolYear: string;
  transport: 'file' | 'http';
  status: 'built' | 'sending' | 'sent' | 'done' | 'failed';
  createdAt: string;
  createdByName: string | null;
  error: string | null;
  counts: Record<'not_ready' | 'ready' | 'sent' | 'accepted' | 'rejected', number>;
  progress: { entries: number; accepted: number; rejected: number; percent: number };
}

interface SyncRecord {
  id: number;
  studentName: string;
  studentCode: string;
  sukien: 'NEW' | 'UPDATE' | 'CANCEL' | null;
  phienban: number | null;
  transcriptVersion: number | null;
  status: 'not_ready' | 'ready' | 'sent' | 'accepted' | 'rejected';
  reason: string | null;
}

const COLOR = { accepted: 'success', rejected: 'error', not_ready: 'warning', sent: 'info', ready: 'default' } as const;

/** One batch's students: the event sent, its version, and what became of it (with the reason in words). */
export function BatchRecords({ batchId }: { batchId: number }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [batch, setBatch] = useState<(SyncBatch & { records: SyncRecord[] }) | null>(null);
  useEffect(() => {
    apiCall<SyncBatch & { records: SyncRecord[] }>(`/sync/batches/${batchId}`).then(setBatch, (e) => notify(errorText(e), { type: 'error' }));
  }, [batchId, notify]);
  if (!batch) return null;
  return (
    <Box mt={3} data-testid="sync-records">
      <Typography variant="h6" gutterBottom>{translate('app.sync.records_title', { id: batch.id, year: batch.schoolYear })}</Typography>
      {batch.error && <Alert severity="error" sx={{ mb: 1 }}>{batch.error}</Alert>}
      <Table size="small">
        <TableHead>
          <TableRow>
            {['student', 'event', 'status', 'reason'].map((h) => (
              <TableCell key={h}>{translate(`app.sync.col_${h}`)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {batch.records.map((r) => (
            <TableRow key={r.id}>
              <TableCell>{r.studentName}<br /><small>{r.studentCode}</small></TableCell>
              <TableCell>
                {r.sukien ? translate('app.sync.event', { event: translate(`app.sync.event_${r.sukien}`), phienban: r.phienban, version: r.transcriptVersion }) : '—'}
              </TableCell>
              <TableCell><Chip size="small" color={COLOR[r.status]} label={translate(`app.sync.status_${r.status}`)} /></TableCell>
              <TableCell sx={{ maxWidth: 520, whiteSpace: 'normal', wordBreak: 'break-word' }}>{r.reason ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
