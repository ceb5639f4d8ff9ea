import AddIcon from '@mui/icons-material/Add';
import { Alert, Box, Button, Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDateTime } from '../format';
import { DifferencesView } from './DifferencesView';
import { EntryForm, type EntryTarget } from './EntryForm';
import { ReviewPanel } from './ReviewPanel';
import type { Digitisation } from './types';

const COLOURS: Record<string, 'default' | 'info' | 'warning' | 'success' | 'primary'> = {
  entering: 'default',
  awaiting_second: 'info',
  to_reconcile: 'warning',
  reviewing: 'primary',
  signing: 'primary',
  sealed: 'success',
};

/**
 * Số hóa học bạ giấy (docs/digitisation.md): the academic staff's list of paper years being digitised with their
 * status, the entry form (first entry, or the second one when the school enters twice), the differences to
 * reconcile, and the review of departed teachers' content before the principal signs in their place.
 */
export function DigitisationPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const userId = (identity as PortalIdentity | undefined)?.user?.id;
  const [rows, setRows] = useState<Digitisation[]>([]);
  const [form, setForm] = useState<EntryTarget | null>(null);
  const [open, setOpen] = useState<Digitisation | null>(null);

  const load = useCallback(() => {
    apiCall<Digitisation[]>('/transcript-digitisations').then(setRows, (e) => notify(errorText(e), { type: 'error' }));
  }, [notify]);
  useEffect(load, [load]);

  const act = async (path: string, body: unknown = {}) => {
    try {
      const r = await apiCall<{ status: string }>(path, { method: 'POST', body });
      notify(translate(`app.digitisation.status.${r.status}`), { type: 'success' });
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const done = () => {
    setForm(null);
    load();
  };

  return (
    <Box p={2}>
      <Title title={translate('app.digitisation.title')} />
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.digitisation.intro')}</Typography>
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setForm({ kind: 'first' })} data-testid="digitisation-new">
            {translate('app.digitisation.new')}
          </Button>
        </CardContent>
      </Card>
      {form && <EntryForm target={form} onDone={done} onCancel={() => setForm(null)} />}
      {rows.length === 0 ? (
        <Alert severity="info">{translate('app.digitisation.empty')}</Alert>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              {['student', 'year', 'class', 'status', 'updated', 'actions'].map((h) => (
                <TableCell key={h}>{translate(`app.digitisation.col_${h}`)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} hover selected={open?.id === r.id} onClick={() => setOpen(r)} sx={{ cursor: 'pointer' }} data-testid="digitisation-row">
                <TableCell>{r.studentName}</TableCell>
                <TableCell>{r.schoolYear}</TableCell>
                <TableCell>{r.className}</TableCell>
                <TableCell>
                  <Chip size="small" color={COLOURS[r.status] ?? 'default'} label={translate(`app.digitisation.status.${r.status}`)} />
                  {r.doubleEntry && <small> · {translate('app.digitisation.double')}</small>}
                </TableCell>
                <TableCell>{formatDateTime(r.updatedAt)}</TableCell>
                <TableCell onClick={(e) => e.stopPropagation()}>
                  <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }}>
                    {r.status === 'entering' && r.entry1By === userId && (
                      <>
                        <Button size="small" onClick={() => setForm({ kind: 'edit', row: r })}>{translate('app.digitisation.edit')}</Button>
                        <Button size="small" variant="outlined" onClick={() => void act(`/transcript-digitisations/${r.id}/submit`)}>{translate('app.digitisation.submit')}</Button>
                      </>
                    )}
                    {r.status === 'awaiting_second' && r.entry1By !== userId && (
                      <Button size="small" variant="outlined" onClick={() => setForm({ kind: 'second', row: r })}>{translate('app.digitisation.second')}</Button>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {open?.status === 'to_reconcile' && <DifferencesView key={open.id} row={open} onDone={load} />}
      {open && ['reviewing', 'signing'].includes(open.status) && <ReviewPanel key={open.id} row={open} onReopened={() => { setOpen(null); load(); }} />}
    </Box>
  );
}
