import { Alert, Button, Card, CardContent, Stack, Table, TableBody, TableCell, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { canEnterPaperTranscripts } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';
import { apiCall, errorText } from '../api/client';
import type { Digitisation } from './types';

interface Detail {
  signers: Record<string, { staffId: number; name: string; left: boolean }> | null;
  reviews: Array<{ slot: string }>;
}

/**
 * Who signs each part of the digitised year: a current teacher signs their own (in Ký học bạ); a departed
 * teacher's part is reviewed here by the academic staff, then the principal signs it in their place. A mistake
 * found before the seal: the academic staff reopen the entry with a reason (the version is revoked, signing starts
 * over once it is corrected).
 */
export function ReviewPanel({ row, onReopened }: { row: Digitisation; onReopened: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const user = (useGetIdentity().identity as PortalIdentity | undefined)?.user;
  const mayReopen = !!user && user.schoolId !== null && canEnterPaperTranscripts(user.principal, user.schoolId);
  const [reason, setReason] = useState('');
  const reopen = async () => {
    try {
      const r = await apiCall<{ signatures: number }>(`/transcript-digitisations/${row.id}/reopen`, { method: 'POST', body: { reason } });
      notify(translate('app.digitisation.reopened', { signatures: r.signatures }), { type: 'success' });
      onReopened();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const [detail, setDetail] = useState<Detail | null>(null);
  const load = useCallback(() => {
    apiCall<Detail>(`/transcript-digitisations/${row.id}`).then(setDetail, (e) => notify(errorText(e), { type: 'error' }));
  }, [row.id, notify]);
  useEffect(load, [load]);
  const review = async (signatureId: string) => {
    try {
      await apiCall(`/transcript-digitisations/${row.id}/reviews`, { method: 'POST', body: { signatureId } });
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const slots = Object.entries(detail?.signers ?? {});
  const reviewed = new Set((detail?.reviews ?? []).map((r) => r.slot));
  return (
    <Card sx={{ mt: 2 }} data-testid="digitisation-review">
      <CardContent>
        <Typography variant="h6">{translate('app.digitisation.review_title')}</Typography>
        <Alert severity="info" sx={{ my: 1 }}>{translate('app.digitisation.review_help')}</Alert>
        <Table size="small">
          <TableBody>
            {slots.map(([slot, t]) => (
              <TableRow key={slot}>
                <TableCell>{translate(slot.startsWith('sig-gvcn') ? 'app.digitisation.part_homeroom' : 'app.digitisation.part_subject', { code: slot.split('-').slice(4).join('-') })}</TableCell>
                <TableCell>{t.name}{t.left ? ` (${translate('app.digitisation.left')})` : ''}</TableCell>
                <TableCell>
                  {!t.left ? (
                    translate('app.digitisation.signs_own')
                  ) : reviewed.has(slot) ? (
                    translate('app.digitisation.reviewed')
                  ) : (
                    <Button size="small" variant="outlined" onClick={() => void review(slot)}>{translate('app.digitisation.mark_reviewed')}</Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {mayReopen && (
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} mt={2} alignItems={{ sm: 'center' }} data-testid="digitisation-reopen">
            <TextField size="small" label={translate('app.digitisation.reopen_reason')} value={reason} onChange={(e) => setReason(e.target.value)} inputProps={{ maxLength: 500 }} sx={{ flexGrow: 1 }} helperText={translate('app.digitisation.reopen_help')} />
            <Button variant="outlined" color="warning" disabled={reason.trim().length < 5} onClick={() => void reopen()} sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}>{translate('app.digitisation.reopen')}</Button>
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}
