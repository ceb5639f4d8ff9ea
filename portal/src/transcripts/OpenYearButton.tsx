import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, MenuItem, TextField } from '@mui/material';
import { useState } from 'react';
import { useGetList, useNotify, usePermissions, useRefresh, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { Principal } from '../access';
import { canOpenTranscripts } from './access';

interface SchoolYear {
  id: number;
  name: string;
  isCurrent?: boolean;
}

/**
 * "Lập học bạ": the principal (or giáo vụ, the admin) opens the year's transcripts from the year's results
 * (POST /transcripts/open {schoolYearId} → {opened, reused, incomplete}); students whose results are incomplete are
 * named, and the server refuses with its message when nobody is ready.
 */
export function OpenYearButton({ variant = 'text' }: { variant?: 'text' | 'contained' }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Principal | null>();
  const [open, setOpen] = useState(false);
  const [yearId, setYearId] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);
  const { data: years } = useGetList<SchoolYear>('school-years', { pagination: { page: 1, perPage: 50 }, sort: { field: 'startDate', order: 'DESC' } }, { enabled: open });
  if (!permissions || !canOpenTranscripts(permissions)) return null;
  const chosen = yearId || years?.find((y) => y.isCurrent)?.id || years?.[0]?.id || '';
  const yearName = years?.find((y) => y.id === chosen)?.name ?? '';
  const submit = async () => {
    setBusy(true);
    try {
      const r = await apiCall<{ opened: number; reused: number; incomplete: Array<{ name: string }> }>('/transcripts/open', { method: 'POST', body: { schoolYearId: chosen } });
      const incomplete = r.incomplete ?? [];
      const done = translate('app.hocba.list.open_year_done', { count: (r.opened ?? 0) + (r.reused ?? 0) });
      const left = incomplete.length > 0 ? ` ${translate('app.hocba.list.open_year_incomplete', { count: incomplete.length, names: incomplete.slice(0, 5).map((s) => s.name).join(', ') })}` : '';
      notify(done + left, { type: incomplete.length > 0 ? 'warning' : 'success', multiLine: true });
      setOpen(false);
      refresh();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant={variant} size="small" startIcon={<PlaylistAddCheckIcon />} onClick={() => setOpen(true)} data-testid="open-year">
        {translate('app.hocba.list.open_year')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} maxWidth="sm" fullWidth>
        <DialogTitle>{translate('app.hocba.list.open_year_title', { year: yearName })}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{translate('app.hocba.list.open_year_help')}</DialogContentText>
          <TextField select fullWidth label={translate('app.hocba.list.pick_year')} value={chosen} onChange={(e) => setYearId(Number(e.target.value))}>
            {(years ?? []).map((y) => (
              <MenuItem key={y.id} value={y.id}>
                {y.name}
              </MenuItem>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={busy || !chosen} onClick={() => void submit()}>
            {translate('app.hocba.list.open_year')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
