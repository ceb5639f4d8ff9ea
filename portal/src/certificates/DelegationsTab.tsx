import SaveIcon from '@mui/icons-material/Save';
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetList, useNotify, useTranslate } from 'react-admin';
import { errorText } from '../api/client';
import { listDelegations, saveDelegations, type Delegation } from './api';

const THCS_GRADES = [6, 7, 8, 9];

/** Ủy quyền ký duyệt: per grade, the principal signs step 3 or names a vice principal (PUT /signing/delegations). */
export function DelegationsTab({ canEdit }: { canEdit: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [rows, setRows] = useState<Delegation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: vps } = useGetList<{ id: number; fullName: string }>('staff', {
    filter: { post: 'vice_principal', status: 'active' },
    pagination: { page: 1, perPage: 50 },
    sort: { field: 'fullName', order: 'ASC' },
  });
  useEffect(() => {
    listDelegations()
      .then((d) => setRows(THCS_GRADES.map((grade) => d.find((x) => x.grade === grade) ?? { grade, staffId: null })))
      .catch((e) => setError(errorText(e)));
  }, []);
  const save = async () => {
    if (!rows) return;
    setBusy(true);
    try {
      await saveDelegations(rows);
      notify('app.hocba.certificates.saved', { type: 'success' });
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box sx={{ maxWidth: 560 }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('app.hocba.certificates.delegations_help')}
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <Stack spacing={2} data-testid="delegations">
        {(rows ?? []).map((d) => (
          <TextField
            key={d.grade}
            select
            size="small"
            label={`${translate('app.hocba.certificates.grade')} ${d.grade}`}
            value={d.staffId ?? ''}
            disabled={!canEdit}
            onChange={(e) => {
              const v = e.target.value === '' ? null : Number(e.target.value);
              setRows((rs) => (rs ?? []).map((x) => (x.grade === d.grade ? { ...x, staffId: v } : x)));
            }}
            slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{translate('app.hocba.certificates.principal_self')}</MenuItem>
            {(vps ?? []).map((s) => (
              <MenuItem key={s.id} value={s.id}>
                {s.fullName}
              </MenuItem>
            ))}
            {d.staffId != null && !(vps ?? []).some((s) => s.id === d.staffId) && <MenuItem value={d.staffId}>{d.staffName ?? `#${d.staffId}`}</MenuItem>}
          </TextField>
        ))}
      </Stack>
      {canEdit && rows && (
        <Button variant="contained" startIcon={<SaveIcon />} sx={{ mt: 2 }} disabled={busy} onClick={() => void save()}>
          {translate('ra.action.save')}
        </Button>
      )}
    </Box>
  );
}
