import SaveIcon from '@mui/icons-material/Save';
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetList, useNotify, useTranslate } from 'react-admin';
import { errorText } from '../api/client';
import { listDelegations, saveDelegations, type Delegation } from './api';

const THCS_GRADES = [6, 7, 8, 9];

interface UserRow {
  id: number;
  fullName: string;
  roles?: Array<{ role: string } | string>;
}
const isVicePrincipal = (u: UserRow) => (u.roles ?? []).some((r) => (typeof r === 'string' ? r : r.role) === 'vice_principal');

/**
 * Ủy quyền ký duyệt: per grade of the year, the principal signs step 3 or names a vice principal's account
 * (GET/PUT /signing/delegations {schoolYearId, delegations: [{grade, userId}]}).
 */
export function DelegationsTab({ schoolYearId, canEdit }: { schoolYearId: number | null; canEdit: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [rows, setRows] = useState<Delegation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: users } = useGetList<UserRow>('users', { pagination: { page: 1, perPage: 500 }, sort: { field: 'fullName', order: 'ASC' } }, { enabled: canEdit });
  const vps = (users ?? []).filter(isVicePrincipal);
  useEffect(() => {
    if (!schoolYearId) return;
    setRows(null);
    listDelegations(schoolYearId)
      .then((d) => setRows(THCS_GRADES.map((grade) => d.find((x) => x.grade === grade) ?? { grade, userId: null })))
      .catch((e) => setError(errorText(e)));
  }, [schoolYearId]);
  const save = async () => {
    if (!rows || !schoolYearId) return;
    setBusy(true);
    try {
      await saveDelegations(schoolYearId, rows);
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
            value={d.userId ?? ''}
            disabled={!canEdit}
            onChange={(e) => {
              const v = e.target.value === '' ? null : Number(e.target.value);
              setRows((rs) => (rs ?? []).map((x) => (x.grade === d.grade ? { ...x, userId: v } : x)));
            }}
            slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{translate('app.hocba.certificates.principal_self')}</MenuItem>
            {vps.map((u) => (
              <MenuItem key={u.id} value={u.id}>
                {u.fullName}
              </MenuItem>
            ))}
            {d.userId != null && !vps.some((u) => u.id === d.userId) && <MenuItem value={d.userId}>{d.fullName ?? `#${d.userId}`}</MenuItem>}
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
