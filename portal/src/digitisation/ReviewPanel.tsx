import { Alert, Button, Card, CardContent, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { Digitisation } from './types';

interface Detail {
  signers: Record<string, { staffId: number; name: string; left: boolean }> | null;
  reviews: Array<{ slot: string }>;
}

/**
 * Who signs each part of the digitised year: a current teacher signs their own (in Ký học bạ); a departed
 * teacher's part is reviewed here by the academic staff, then the principal signs it in their place.
 */
export function ReviewPanel({ row }: { row: Digitisation }) {
  const translate = useTranslate();
  const notify = useNotify();
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
      </CardContent>
    </Card>
  );
}
