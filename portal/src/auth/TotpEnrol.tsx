import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Alert, Box, Button, CircularProgress, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslate } from 'ra-core';
import { authApi, type TotpSetup } from './session';

export const isTotpCode = (code: string) => /^\d{6}$/.test(code.trim());

/** A 6-digit one-time code field (numeric keyboard on phones, autofill from authenticator apps). */
export function TotpCodeField({
  value,
  onChange,
  error,
  autoFocus,
  disabled,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  const translate = useTranslate();
  return (
    <TextField
      label={translate('app.login.totp_code')}
      name="code"
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      error={!!error}
      helperText={error ?? ' '}
      autoFocus={autoFocus}
      disabled={disabled}
      fullWidth
      slotProps={{
        htmlInput: {
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
          maxLength: 6,
          pattern: '[0-9]{6}',
          style: { letterSpacing: '0.4em', fontSize: 22, textAlign: 'center' },
        },
      }}
    />
  );
}

/**
 * TOTP enrolment: asks the server for a new pending secret (POST /api/auth/totp/setup), shows its QR code and the
 * secret as text, and hands the code the user types to `onEnable` (which calls POST /api/auth/totp/enable).
 */
export function TotpEnrol({
  onEnable,
  submitLabel = 'app.login.enable',
  onCancel,
  initialSetup,
}: {
  onEnable: (code: string) => Promise<void>;
  submitLabel?: string;
  onCancel?: () => void;
  /** A setup already obtained (a re-enrolment proven with password and code): not asked for again. */
  initialSetup?: TotpSetup;
}) {
  const translate = useTranslate();
  const [setup, setSetup] = useState<TotpSetup | null>(initialSetup ?? null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (initialSetup) return;
    let live = true;
    authApi
      .setupTotp()
      .then((s) => live && setSetup(s))
      .catch((e: Error) => live && setLoadError(translate(e.message, { _: e.message })));
    return () => {
      live = false;
    };
  }, [translate, initialSetup]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!isTotpCode(code)) {
      setError(translate('app.validation.code_6_digits'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onEnable(code.trim());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setError(translate(message, { _: message }));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Alert severity="error">{loadError}</Alert>;
  if (!setup) {
    return (
      <Box sx={{ display: 'flex', justifyContent: 'center', p: 3 }}>
        <CircularProgress size={32} aria-label={translate('app.common.loading')} />
      </Box>
    );
  }
  const groupedSecret = setup.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <Box component="form" onSubmit={submit} noValidate>
      <Box sx={{ display: 'flex', justifyContent: 'center', my: 1 }}>
        <Box
          component="img"
          src={setup.qrDataUrl}
          alt={translate('app.login.qr_alt')}
          data-testid="totp-qr"
          sx={{ width: 200, height: 200, imageRendering: 'pixelated', border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }}
        />
      </Box>
      <Typography variant="body2" color="text.secondary">
        {translate('app.login.secret_label')}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography
          data-testid="totp-secret"
          sx={{ fontFamily: 'monospace', fontSize: 16, wordBreak: 'break-all', bgcolor: 'action.hover', px: 1, py: 0.5, borderRadius: 1, flex: 1 }}
        >
          {groupedSecret}
        </Typography>
        <Tooltip title={translate(copied ? 'app.users.copied' : 'app.users.copy')}>
          <IconButton
            aria-label={translate('app.users.copy')}
            onClick={() => {
              void navigator.clipboard?.writeText(setup.secret).then(() => setCopied(true));
            }}
          >
            <ContentCopyIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </Stack>
      <TotpCodeField value={code} onChange={setCode} error={error} autoFocus disabled={busy} />
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        {onCancel && (
          <Button onClick={onCancel} disabled={busy}>
            {translate('app.totp.cancel_setup')}
          </Button>
        )}
        <Button type="submit" variant="contained" disabled={busy} startIcon={busy ? <CircularProgress size={16} /> : undefined}>
          {translate(submitLabel)}
        </Button>
      </Stack>
    </Box>
  );
}
