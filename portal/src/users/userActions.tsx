import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import LockResetIcon from '@mui/icons-material/LockReset';
import {
  Alert,
  Box,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Button as MuiButton,
  Stack,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import {
  Button,
  Confirm,
  useCanAccess,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import type { PortalDataProvider } from '../api/dataProvider';

interface UserRecord {
  id: number;
  schoolId: number;
  username: string;
  lockedUntil?: string | null;
  failedLoginCount?: number;
  roles?: Array<{ role: string }>;
}

export const isLocked = (r?: Pick<UserRecord, 'lockedUntil'> | null) => !!r?.lockedUntil && Date.parse(r.lockedUntil) > Date.now();

/**
 * "Đặt lại mật khẩu": POST /api/users/:id/reset-password after a confirmation; the temporary password comes back
 * once and is shown once, in a dialog, for the admin to hand over in person.
 */
export function ResetPasswordButton() {
  const record = useRecordContext<UserRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<PortalDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'reset_password', record });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [temporary, setTemporary] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  if (!record || !canAccess) return null;

  const reset = async () => {
    setBusy(true);
    try {
      const { temporaryPassword } = await dataProvider.resetPassword(record.id);
      setConfirming(false);
      setCopied(false);
      setTemporary(temporaryPassword);
      refresh();
    } catch (e) {
      setConfirming(false);
      notify((e as Error).message || 'ra.notification.http_error', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button label="app.users.reset_password" onClick={() => setConfirming(true)}>
        <LockResetIcon />
      </Button>
      <Confirm
        isOpen={confirming}
        loading={busy}
        title="app.users.reset_confirm_title"
        content="app.users.reset_confirm_content"
        translateOptions={{ username: record.username }}
        onConfirm={reset}
        onClose={() => setConfirming(false)}
      />
      <Dialog open={temporary !== null} onClose={() => setTemporary(null)} aria-labelledby="temp-password-title">
        <DialogTitle id="temp-password-title">{translate('app.users.temp_password_title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {record.username}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Box
              data-testid="temporary-password"
              sx={{ fontFamily: 'monospace', fontSize: 22, px: 2, py: 1, bgcolor: 'action.hover', borderRadius: 1, userSelect: 'all' }}
            >
              {temporary}
            </Box>
            <Tooltip title={translate(copied ? 'app.users.copied' : 'app.users.copy')}>
              <IconButton
                aria-label={translate('app.users.copy')}
                onClick={() => void navigator.clipboard?.writeText(temporary ?? '').then(() => setCopied(true))}
              >
                <ContentCopyIcon />
              </IconButton>
            </Tooltip>
          </Stack>
          <Alert severity="warning" sx={{ mt: 2 }}>
            {translate('app.users.temp_password_note')}
          </Alert>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setTemporary(null)} variant="contained">
            {translate('ra.action.close')}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** "Mở khóa": POST /api/users/:id/unlock, shown while the account is locked after failed sign-ins. */
export function UnlockButton() {
  const record = useRecordContext<UserRecord>();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<PortalDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'edit', record });
  const [busy, setBusy] = useState(false);
  if (!record || !canAccess || !(isLocked(record) || (record.failedLoginCount ?? 0) > 0)) return null;
  const unlock = async () => {
    setBusy(true);
    try {
      await dataProvider.unlockUser(record.id);
      notify('app.users.unlocked', { type: 'success' });
      refresh();
    } catch (e) {
      notify((e as Error).message || 'ra.notification.http_error', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="app.users.unlock" onClick={unlock} disabled={busy}>
      <LockOpenIcon />
    </Button>
  );
}
