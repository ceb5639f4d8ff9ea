import { Alert, Box, Button, Card, CardContent, CircularProgress, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { errorBody } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { NewPasswordFields, newPasswordErrors, PasswordField } from '../auth/passwordFields';
import { authApi } from '../auth/session';

/** "Đổi mật khẩu": the signed-in user changes their own password (POST /api/auth/change-password). */
export function ChangePasswordPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const username = (identity as PortalIdentity | undefined)?.user.username ?? '';
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {
      ...(current ? {} : { currentPassword: translate('ra.validation.required') }),
      ...newPasswordErrors(translate, { next, confirm, current, username }),
    };
    setFields(errs);
    setMessage(null);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      await authApi.changePassword(current, next);
      notify('app.password.changed', { type: 'success' });
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (err) {
      const { message, errors } = errorBody(err);
      setFields(errors);
      setMessage(translate(message || 'ra.notification.http_error', { _: message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ maxWidth: 520, mt: 2 }}>
      <Title title={translate('app.password.page_title')} />
      <Card>
        <CardContent component="form" onSubmit={submit} noValidate>
          <Typography variant="h6" gutterBottom>
            {translate('app.password.page_title')}
          </Typography>
          {message && (
            <Alert severity="error" sx={{ mb: 2 }}>
              {message}
            </Alert>
          )}
          <PasswordField
            label="app.password.current"
            name="currentPassword"
            value={current}
            onChange={setCurrent}
            error={fields.currentPassword}
            autoComplete="current-password"
            autoFocus
            disabled={busy}
          />
          <NewPasswordFields next={next} onNext={setNext} confirm={confirm} onConfirm={setConfirm} errors={fields} username={username} current={current} disabled={busy} />
          <Typography variant="caption" color="text.secondary" component="p" sx={{ my: 1 }}>
            {translate('app.password.sessions_note')}
          </Typography>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
          >
            {translate('app.password.submit')}
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}
