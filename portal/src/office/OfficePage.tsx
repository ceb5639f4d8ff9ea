import { Alert, Box, Button, Card, CardContent, CircularProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import { FiguresTable, type FiguresRow } from './FiguresTable';
import type { OfficeList, OfficeSchoolDetail } from './types';


/**
 * Phòng/Sở GDĐT (issue 13, "Education office (S1)"): the schools the office supervises, read only — per school the
 * timeline's milestones, the sealed share and the sync share — furthest behind first (the server's order); a click
 * on a school shows its classes with the same figures. The office account's home page.
 */
export function OfficePage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [year, setYear] = useState('');
  const [list, setList] = useState<OfficeList | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [detail, setDetail] = useState<OfficeSchoolDetail | null>(null);
  const classesRef = useRef<HTMLDivElement>(null);
  const query = year ? `?schoolYear=${encodeURIComponent(year)}` : '';

  useEffect(() => {
    setList(null);
    setOpen(null);
    apiCall<OfficeList>(`/office/schools${query}`).then(setList, (e) => notify(errorText(e), { type: 'error' }));
  }, [query, notify]);
  useEffect(() => {
    setDetail(null);
    if (open === null) return;
    apiCall<OfficeSchoolDetail>(`/office/schools/${open}${query}`).then(
      (d) => {
        setDetail(d);
        requestAnimationFrame(() => classesRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' }));
      },
      (e) => notify(errorText(e), { type: 'error' }),
    );
  }, [open, query, notify]);

  const rows: FiguresRow[] = (list?.schools ?? []).map((s) => ({
    id: s.id,
    head: (
      <>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>{s.name}</Typography>
        <Typography variant="caption" color="text.secondary">{s.code}{s.schoolYear && !s.hasTimeline ? ` · ${translate('app.office.no_timeline')}` : ''}</Typography>
      </>
    ),
    figures: s.figures,
    // No figures only when the school has no such school year (a school without a timeline still counts signing and sync).
    note: s.schoolYear ? undefined : translate('app.office.no_year'),
  }));

  // A one-column grid whose column may shrink to nothing: the wide tables then scroll inside their boxes instead of
  // widening the layout (and the whole page) on a phone.
  return (
    <Box p={{ xs: 1, sm: 2 }} sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }} data-testid="office-page">
      <Title title={translate('app.office.title')} />
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.office.intro')}</Typography>
          <TextField select size="small" label={translate('app.office.school_year')} value={year} onChange={(e) => setYear(e.target.value)} sx={{ minWidth: 200 }} SelectProps={{ displayEmpty: true }} InputLabelProps={{ shrink: true }} data-testid="office-year">
            <MenuItem value="">{translate('app.office.current_year')}</MenuItem>
            {(list?.years ?? []).map((y) => (
              <MenuItem key={y} value={y}>{y}</MenuItem>
            ))}
          </TextField>
        </CardContent>
      </Card>
      {!list ? (
        <CircularProgress size={24} />
      ) : list.schools.length === 0 ? (
        <Alert severity="info">{translate('app.office.empty')}</Alert>
      ) : (
        <Card>
          <CardContent sx={{ px: { xs: 0, sm: 2 } }}>
            <Typography variant="subtitle2" sx={{ px: { xs: 2, sm: 0 } }} gutterBottom>{translate('app.office.order')}</Typography>
            <FiguresTable rows={rows} headLabel={translate('app.office.col_school')} onOpen={(id) => setOpen(id === open ? null : id)} testId="office-schools" />
          </CardContent>
        </Card>
      )}
      {open !== null && (
        <Card sx={{ mt: 2 }} ref={classesRef} data-testid="office-classes-card">
          <CardContent sx={{ px: { xs: 0, sm: 2 } }}>
            <Stack direction="row" justifyContent="space-between" alignItems="center" sx={{ px: { xs: 2, sm: 0 }, mb: 1 }}>
              <Typography variant="h6" component="h2">{translate('app.office.classes_of', { name: detail?.school.name ?? '…' })}</Typography>
              <Button size="small" onClick={() => setOpen(null)}>{translate('app.office.close')}</Button>
            </Stack>
            {!detail ? (
              <CircularProgress size={24} />
            ) : detail.classes.length === 0 ? (
              <Alert severity="info">{translate('app.office.no_classes')}</Alert>
            ) : (
              <FiguresTable
                rows={detail.classes.map((c) => ({ id: c.id, head: <Typography variant="body2" sx={{ fontWeight: 600 }}>{c.name}</Typography>, figures: c.figures }))}
                headLabel={translate('app.office.col_class')}
                testId="office-classes"
              />
            )}
          </CardContent>
        </Card>
      )}
    </Box>
  );
}
