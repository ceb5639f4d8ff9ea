import SecurityIcon from '@mui/icons-material/Security';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { Title, useGetIdentity, useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorBody } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { PasswordField } from '../auth/passwordFields';
import { authApi } from '../auth/session';
import { TotpEnrol } from '../auth/TotpEnrol';

/**
 * "Xác thực hai bước": turn TOTP on (QR + code) or, for roles where it is optional, off (with the password).
 * Principals and admins are enrolled at sign-in and cannot turn it off.
 */
export function TotpPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { identity, refetch } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [enrolling, setEnrolling] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = async () => {
    await authApi.me(true);
    await refetch();
    refresh();
  };

  const enable = async (code: string) => {
    await authApi.enableTotp(code);
    setEnrolling(false);
    notify('app.totp.enabled_done', { type: 'success' });
    await reload();
  };

  const disable = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setError(translate('ra.validation.required'));
    setBusy(true);
    setError(null);
    try {
      await authApi.disableTotp(password);
      setPassword('');
      notify('app.totp.disabled_done', { type: 'success' });
      await reload();
    } catch (err) {
      const { message, errors } = errorBody(err);
      setError(errors.password ?? translate(message || 'ra.notification.http_error', { _: message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ maxWidth: 560, mt: 2 }}>
      <Title title={translate('app.totp.page_title')} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
            <SecurityIcon color={user?.totpEnabled ? 'success' : 'disabled'} />
            <Typography variant="h6">{translate('app.totp.page_title')}</Typography>
          </Stack>
          {!user ? (
            <CircularProgress size={24} />
          ) : (
            <>
              <Alert severity={user.totpEnabled ? 'success' : 'info'} sx={{ mb: 2 }} data-testid="totp-status">
                {translate(user.totpEnabled ? 'app.totp.status_on' : 'app.totp.status_off')}
              </Alert>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                {translate(user.totpRequired ? 'app.totp.required_note' : 'app.totp.optional_note')}
              </Typography>
              {!user.totpEnabled &&
                (enrolling ? (
                  <TotpEnrol onEnable={enable} onCancel={() => setEnrolling(false)} />
                ) : (
                  <Button variant="contained" onClick={() => setEnrolling(true)}>
                    {translate('app.totp.start')}
                  </Button>
                ))}
              {user.totpEnabled && !user.totpRequired && (
                <Box component="form" onSubmit={disable} noValidate>
                  <Typography variant="body2" sx={{ mb: 1 }}>
                    {translate('app.totp.disable_prompt')}
                  </Typography>
                  <PasswordField
                    label="app.password.current"
                    name="password"
                    value={password}
                    onChange={setPassword}
                    error={error ?? undefined}
                    autoComplete="current-password"
                    disabled={busy}
                  />
                  <Button type="submit" color="error" variant="outlined" disabled={busy}>
                    {translate('app.totp.disable')}
                  </Button>
                </Box>
              )}
            </>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
