import { Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';

interface SentRecord {
  studentId: number;
  studentName: string;
  studentCode: string;
  status: string;
}

/**
 * Ghi nhận kết quả từ cổng: a ZIP batch's answer comes from the portal it was uploaded to. The person ticks the
 * students the portal refused and types its reason; everyone else in the batch is recorded as accepted.
 */
export function ReceiptDialog({ batchId, onClose, onDone }: { batchId: number; onClose: () => void; onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [records, setRecords] = useState<SentRecord[] | null>(null);
  const [refused, setRefused] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    apiCall<{ records: SentRecord[] }>(`/sync/batches/${batchId}`).then((b) => setRecords(b.records.filter((r) => r.status === 'sent')), (e) => setError(errorText(e)));
  }, [batchId]);
  const toggle = (id: number) => setRefused((m) => {
    const next = new Map(m);
    if (next.has(id)) next.delete(id);
    else next.set(id, '');
    return next;
  });
  const missingReason = [...refused.values()].some((r) => r.trim().length < 3);
  const submit = async () => {
    setSaving(true);
    try {
      const r = await apiCall<{ accepted: number; rejected: number }>(`/sync/batches/${batchId}/receipt`, { method: 'POST', body: { rejected: [...refused].map(([studentId, reason]) => ({ studentId, reason })) } });
      notify(translate('app.sync.receipt_done', r), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" data-testid="sync-receipt">
      <DialogTitle>{translate('app.sync.receipt_title', { id: batchId })}</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" gutterBottom>{translate('app.sync.receipt_help')}</Typography>
        {error && <Alert severity="error" sx={{ mb: 1 }}>{error}</Alert>}
        <Stack spacing={0.5}>
          {(records ?? []).map((r) => (
            <Box key={r.studentId}>
              <FormControlLabel
                control={<Checkbox size="small" checked={refused.has(r.studentId)} onChange={() => toggle(r.studentId)} />}
                label={`${r.studentName} (${r.studentCode}) — ${translate(refused.has(r.studentId) ? 'app.sync.status_rejected' : 'app.sync.status_accepted')}`}
              />
              {refused.has(r.studentId) && (
                <TextField
                  size="small"
                  fullWidth
                  required
                  label={translate('app.sync.receipt_reason')}
                  value={refused.get(r.studentId)}
                  onChange={(e) => setRefused((m) => new Map(m).set(r.studentId, e.target.value))}
                  inputProps={{ maxLength: 500, 'data-testid': 'receipt-reason' }}
                  sx={{ mb: 1 }}
                />
              )}
            </Box>
          ))}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={!records || records.length === 0 || missingReason || saving} onClick={() => void submit()} data-testid="receipt-submit">
          {translate('app.sync.receipt_submit', { accepted: (records?.length ?? 0) - refused.size, rejected: refused.size })}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
