import LockOutlinedIcon from '@mui/icons-material/LockOutlined';
import {
  Alert,
  Avatar,
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState, type FormEvent, type ReactNode } from 'react';
// ra-core, not react-admin: this form is also the standalone sign-in screen's (SignInScreen), whose script must stay
// small, so nothing here may pull react-admin's UI in.
import { useTranslate } from 'ra-core';
import { errorBody } from '../api/client';
import type { LoginParams } from './authProvider';
import { NewPasswordFields, newPasswordErrors, PasswordField } from './passwordFields';
import { authApi, StageRequiredError, type Stage } from './session';
import { isTotpCode, TotpCodeField, TotpEnrol } from './TotpEnrol';

type Step = 'credentials' | Exclude<Stage, 'ok'>;

const STEP_TITLES: Record<Step, string> = {
  credentials: 'app.login.submit',
  totp_required: 'app.login.totp_title',
  totp_setup_required: 'app.login.setup_title',
  password_change_required: 'app.login.password_change_title',
};

interface ErrorState {
  message: string | null;
  fields: Record<string, string>;
}
const NO_ERROR: ErrorState = { message: null, fields: {} };

/**
 * The sign-in form: username and password, then whatever the server's `stage` asks for — a TOTP code, a TOTP
 * enrolment (QR code + secret + code), or a forced password change — until the session is `ok`. `login` is the
 * auth provider's (it rejects with StageRequiredError while a step remains); `localeSwitcher` sits top right.
 */
export function LoginForm({ login, localeSwitcher, initial }: { login: (params: LoginParams) => Promise<unknown>; localeSwitcher: ReactNode; initial?: { stage: Step; username: string; password: string } }) {
  const translate = useTranslate();
  // `initial`: a sign-in the quick screen (QuickSignIn) began, at the step the server asked for next.
  const [step, setStep] = useState<Step>(initial?.stage ?? 'credentials');
  const [username, setUsername] = useState(initial?.username ?? '');
  const [password, setPassword] = useState(initial?.password ?? '');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorState>(NO_ERROR);

  const tr = (m: string) => translate(m, { _: m });

  /** Runs one step; rejects so callers embedded in other components (TOTP enrolment) can show the error. */
  async function attempt(params: LoginParams): Promise<void> {
    try {
      await login(params);
    } catch (e) {
      if (e instanceof StageRequiredError) {
        setStep(e.stage);
        setError(NO_ERROR);
        setCode('');
        return;
      }
      throw e;
    }
  }

  async function run(params: LoginParams) {
    setBusy(true);
    setError(NO_ERROR);
    try {
      await attempt(params);
    } catch (e) {
      const { message, errors } = errorBody(e);
      setError({ message: tr(message || 'ra.auth.sign_in_error'), fields: errors });
    } finally {
      setBusy(false);
    }
  }

  const submitCredentials = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!username.trim()) fields.username = translate('ra.validation.required');
    if (!password) fields.password = translate('ra.validation.required');
    if (Object.keys(fields).length > 0) return setError({ message: null, fields });
    void run({ username: username.trim(), password });
  };

  const submitTotp = (e: FormEvent) => {
    e.preventDefault();
    if (!isTotpCode(code)) return setError({ message: null, fields: { code: translate('app.validation.code_6_digits') } });
    void run({ step: 'totp', code: code.trim() });
  };

  const submitNewPassword = (e: FormEvent) => {
    e.preventDefault();
    const fields = newPasswordErrors(translate, { next: newPassword, confirm, current: password, username: username.trim() });
    if (Object.keys(fields).length > 0) return setError({ message: null, fields });
    void run({ step: 'password_change', currentPassword: password, newPassword });
  };

  const backToCredentials = () => {
    void authApi.logout();
    setStep('credentials');
    setPassword('');
    setCode('');
    setNewPassword('');
    setConfirm('');
    setError(NO_ERROR);
  };

  let body: ReactNode;
  switch (step) {
    case 'credentials':
      body = (
        <Box component="form" onSubmit={submitCredentials} noValidate>
          <TextField
            label={translate('app.login.username')}
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={!!error.fields.username}
            helperText={error.fields.username ?? ' '}
            autoComplete="username"
            autoFocus
            disabled={busy}
            fullWidth
                  slotProps={{ htmlInput: { autoCapitalize: 'none', spellCheck: false } }}
          />
          <PasswordField
            label="app.login.password"
            name="password"
            value={password}
            onChange={setPassword}
            error={error.fields.password}
            autoComplete="current-password"
            disabled={busy}
          />
          <SubmitButton busy={busy} label={translate('app.login.submit')} />
        </Box>
      );
      break;
    case 'totp_required':
      body = (
        <Box component="form" onSubmit={submitTotp} noValidate>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('app.login.totp_prompt')}
          </Typography>
          <TotpCodeField value={code} onChange={setCode} error={error.fields.code} autoFocus disabled={busy} />
          <SubmitButton busy={busy} label={translate('app.login.verify')} />
        </Box>
      );
      break;
    case 'totp_setup_required':
      body = (
        <>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate('app.login.setup_prompt')}
          </Typography>
          <TotpEnrol onEnable={(c) => attempt({ step: 'totp_enable', code: c })} />
        </>
      );
      break;
    case 'password_change_required':
      body = (
        <Box component="form" onSubmit={submitNewPassword} noValidate>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('app.login.password_change_prompt')}
          </Typography>
          <NewPasswordFields
            next={newPassword}
            onNext={setNewPassword}
            confirm={confirm}
            onConfirm={setConfirm}
            errors={error.fields}
            username={username.trim()}
            current={password}
            autoFocus
            disabled={busy}
          />
          <SubmitButton busy={busy} label={translate('app.login.save_password')} />
        </Box>
      );
      break;
  }

  return (
    <Box
      sx={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        px: 2,
        background: 'linear-gradient(160deg, #0d47a1 0%, #1976d2 55%, #e3f2fd 100%)',
        position: 'relative',
      }}
    >
      <Box sx={{ position: 'absolute', top: 8, right: 8, color: '#fff' }}>
        {localeSwitcher}
      </Box>
      <Card sx={{ width: '100%', maxWidth: 440 }} elevation={6}>
        <CardContent sx={{ p: { xs: 2, sm: 4 } }}>
          <Stack sx={{ alignItems: 'center', mb: 2 }} spacing={1}>
            <Avatar sx={{ bgcolor: 'primary.main' }}>
              <LockOutlinedIcon />
            </Avatar>
            <Typography component="h1" variant="h6" sx={{ textAlign: 'center' }}>
              {translate('app.title')}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'center' }}>
              {step === 'credentials' ? translate('app.login.subtitle') : translate(STEP_TITLES[step])}
            </Typography>
          </Stack>
          {error.message && (
            <Alert severity="error" sx={{ mb: 2 }} role="alert">
              {error.message}
            </Alert>
          )}
          {body}
          {step !== 'credentials' && (
            <Button onClick={backToCredentials} size="small" sx={{ mt: 1 }} disabled={busy}>
              {translate('app.login.back')}
            </Button>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}

function SubmitButton({ busy, label }: { busy: boolean; label: string }) {
  return (
    <Button
      type="submit"
      variant="contained"
      fullWidth
      size="large"
      disabled={busy}
      startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
      sx={{ mt: 1 }}
    >
      {label}
    </Button>
  );
}
