import SecurityIcon from '@mui/icons-material/Security';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { Title, useGetIdentity, useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorBody } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { PasswordField } from '../auth/passwordFields';
import { authApi, type TotpSetup } from '../auth/session';
import { isTotpCode, TotpCodeField, TotpEnrol } from '../auth/TotpEnrol';

/**
 * "Xác thực hai bước": turn TOTP on (QR + code) or, for roles where it is optional, off (with the password).
 * Principals and admins are enrolled at sign-in and cannot turn it off. Moving it to a new phone (re-enrolment)
 * asks for the password and a current code of the old one first.
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
  const [reenrolling, setReenrolling] = useState(false);
  const [reenrolPassword, setReenrolPassword] = useState('');
  const [reenrolCode, setReenrolCode] = useState('');
  const [reenrolErrors, setReenrolErrors] = useState<{ password?: string; code?: string; form?: string }>({});
  const [reenrolSetup, setReenrolSetup] = useState<TotpSetup | null>(null);

  const reload = async () => {
    await authApi.me(true);
    await refetch();
    refresh();
  };

  const enable = async (code: string) => {
    await authApi.enableTotp(code);
    setEnrolling(false);
    setReenrolling(false);
    setReenrolSetup(null);
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

  const cancelReenrol = () => {
    setReenrolling(false);
    setReenrolSetup(null);
    setReenrolPassword('');
    setReenrolCode('');
    setReenrolErrors({});
  };

  const proveReenrol = async (e: FormEvent) => {
    e.preventDefault();
    const problems: typeof reenrolErrors = {};
    if (!reenrolPassword) problems.password = translate('ra.validation.required');
    if (!isTotpCode(reenrolCode)) problems.code = translate('app.validation.code_6_digits');
    setReenrolErrors(problems);
    if (problems.password || problems.code) return;
    setBusy(true);
    try {
      setReenrolSetup(await authApi.setupTotp({ password: reenrolPassword, code: reenrolCode.trim() }));
      setReenrolPassword('');
      setReenrolCode('');
    } catch (err) {
      const e2 = err as { message?: string; body?: { errors?: Record<string, string> } };
      const fields = e2.body?.errors ?? {};
      setReenrolErrors({
        password: fields.password,
        code: fields.code,
        form: fields.password || fields.code ? undefined : translate(e2.message ?? 'ra.notification.http_error', { _: e2.message }),
      });
      setReenrolCode('');
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
              {user.totpEnabled &&
                (reenrolSetup ? (
                  <TotpEnrol initialSetup={reenrolSetup} onEnable={enable} onCancel={cancelReenrol} />
                ) : reenrolling ? (
                  <Box component="form" onSubmit={proveReenrol} noValidate sx={{ mb: 2 }} data-testid="totp-reenrol">
                    <Typography variant="body2" sx={{ mb: 1 }}>
                      {translate('app.totp.reenrol_prompt')}
                    </Typography>
                    {reenrolErrors.form && (
                      <Alert severity="error" sx={{ mb: 1 }}>
                        {reenrolErrors.form}
                      </Alert>
                    )}
                    <PasswordField
                      label="app.password.current"
                      name="reenrol-password"
                      value={reenrolPassword}
                      onChange={setReenrolPassword}
                      error={reenrolErrors.password}
                      autoComplete="current-password"
                      disabled={busy}
                    />
                    <TotpCodeField value={reenrolCode} onChange={setReenrolCode} error={reenrolErrors.code} disabled={busy} />
                    <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
                      <Button onClick={cancelReenrol} disabled={busy}>
                        {translate('app.totp.cancel_setup')}
                      </Button>
                      <Button type="submit" variant="contained" disabled={busy}>
                        {translate('app.totp.reenrol_continue')}
                      </Button>
                    </Stack>
                  </Box>
                ) : (
                  <Button variant="outlined" onClick={() => setReenrolling(true)} sx={{ mb: 2 }}>
                    {translate('app.totp.reenrol_start')}
                  </Button>
                ))}
              {user.totpEnabled && !user.totpRequired && !reenrolling && !reenrolSetup && (
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
