import { Button, Card, CardContent, FormControlLabel, Radio, RadioGroup, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { Digitisation } from './types';

interface Difference {
  path: string;
  first: unknown;
  second: unknown;
}

const shown = (v: unknown) => (v === undefined ? '—' : v === null ? '(trống)' : String(v).replace(/^(\d+)\.(\d)$/, '$1,$2'));

/** The two entries' differences field by field; the reconciler picks the right value of each (docs/digitisation.md). */
export function DifferencesView({ row, onDone }: { row: Digitisation; onDone: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [diffs, setDiffs] = useState<Difference[]>([]);
  const [choices, setChoices] = useState<Record<string, 'first' | 'second'>>({});
  useEffect(() => {
    apiCall<{ differences: Difference[] }>(`/transcript-digitisations/${row.id}/differences`).then((r) => setDiffs(r.differences), (e) => notify(errorText(e), { type: 'error' }));
  }, [row.id, notify]);
  const reconcile = async () => {
    try {
      await apiCall(`/transcript-digitisations/${row.id}/reconcile`, { method: 'POST', body: { choices } });
      notify(translate('app.digitisation.reconciled'), { type: 'success' });
      onDone();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  return (
    <Card sx={{ mt: 2 }} data-testid="digitisation-differences">
      <CardContent>
        <Typography variant="h6">{translate('app.digitisation.differences', { count: diffs.length })}</Typography>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('app.digitisation.field')}</TableCell>
              <TableCell>{translate('app.digitisation.choose')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {diffs.map((d) => (
              <TableRow key={d.path}>
                <TableCell><code>{d.path}</code></TableCell>
                <TableCell>
                  <RadioGroup row value={choices[d.path] ?? ''} onChange={(e) => setChoices({ ...choices, [d.path]: e.target.value as 'first' | 'second' })}>
                    <FormControlLabel value="first" control={<Radio size="small" />} label={`${translate('app.digitisation.entry1')}: ${shown(d.first)}`} />
                    <FormControlLabel value="second" control={<Radio size="small" />} label={`${translate('app.digitisation.entry2')}: ${shown(d.second)}`} />
                  </RadioGroup>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Button sx={{ mt: 1 }} variant="contained" disabled={diffs.some((d) => !choices[d.path])} onClick={() => void reconcile()}>
          {translate('app.digitisation.reconcile')}
        </Button>
      </CardContent>
    </Card>
  );
}
