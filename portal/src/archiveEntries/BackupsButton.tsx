import BackupIcon from '@mui/icons-material/Backup';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, List, ListItem, ListItemText } from '@mui/material';
import { useState } from 'react';
import { useGetIdentity, useNotify, useRefresh, useTranslate } from 'react-admin';
import { archiveBackupSchoolIds } from '../../../domain/permissions';
import { apiCall, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDateTime } from '../format';

/** GET /api/archive-entries/backups (server/archive/backups.ts). */
interface Pending {
  file: string;
  createdAt: string | null;
  sizeBytes: number;
  sha256: string | null;
  problem: string | null;
}

/**
 * "Ghi nhận bản sao lưu": shows the backups on the server that the register does not list yet, each checked against
 * its manifest, and records the intact ones. Only for those who may (văn thư, admin); the server checks again.
 */
export function BackupsButton() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const [pending, setPending] = useState<Pending[] | null>(null);
  const [busy, setBusy] = useState(false);
  if (!principal || archiveBackupSchoolIds(principal).length === 0) return null;

  const open = async () => {
    setBusy(true);
    try {
      setPending(await apiCall<Pending[]>('/archive-entries/backups'));
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const register = async () => {
    setBusy(true);
    try {
      const res = await apiCall<{ registered: unknown[]; refused: Array<{ file: string; message: string }> }>('/archive-entries/from-backups', { method: 'POST' });
      for (const r of res.refused) notify(translate('app.archive.backups_refused', r), { type: 'warning', multiLine: true, autoHideDuration: 15_000 });
      if (res.registered.length > 0) notify(translate('app.archive.backups_registered', { smart_count: res.registered.length }), { type: 'success' });
      setPending(null);
      refresh();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const intact = (pending ?? []).filter((p) => !p.problem).length;
  return (
    <>
      <Button size="small" startIcon={busy ? <CircularProgress size={16} color="inherit" /> : <BackupIcon />} disabled={busy} onClick={() => void open()} data-testid="archive-backups">
        {translate('app.archive.backups_button')}
      </Button>
      <Dialog open={pending !== null} onClose={() => setPending(null)} maxWidth="md" fullWidth>
        <DialogTitle>{translate('app.archive.backups_title')}</DialogTitle>
        <DialogContent>
          {pending && pending.length === 0 ? (
            <Alert severity="success">{translate('app.archive.backups_none')}</Alert>
          ) : (
            <>
              <Alert severity="info" sx={{ mb: 1 }}>
                {translate('app.archive.backups_intro')}
              </Alert>
              <List dense>
                {(pending ?? []).map((p) => (
                  <ListItem key={p.file}>
                    <ListItemText
                      primary={`${p.file}${p.createdAt ? ` · ${formatDateTime(p.createdAt)}` : ''}`}
                      secondary={p.problem ?? translate('app.archive.backup_ok')}
                      slotProps={{ secondary: { color: p.problem ? 'error' : 'success.main' } }}
                    />
                  </ListItem>
                ))}
              </List>
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(null)}>{translate('app.archive.close')}</Button>
          {intact > 0 && (
            <Button variant="contained" disabled={busy} onClick={() => void register()}>
              {translate('app.archive.backups_register', { smart_count: intact })}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
