import { Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useRef, useState } from 'react';
import { useTranslate } from 'react-admin';

/**
 * Asks for the certificate PIN (masked) and, for the principal, the TOTP code. The PIN lives in the input element
 * only: it is read once on submit, the field is emptied at once, and it is never put in React state.
 * `onSubmit` resolves with an error message to show (e.g. the server's "Mã PIN không đúng") or null when signing
 * has started.
 */
export function PinDialog({
  open,
  count,
  needsTotp,
  onSubmit,
  onClose,
  title,
  help,
}: {
  open: boolean;
  count: number;
  /** Another purpose than signing transcripts (the sync batch's seal): its own title and help text. */
  title?: string;
  help?: string;
  needsTotp: boolean;
  onSubmit: (pin: string, totp: string | undefined) => Promise<string | null>;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const pinRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const input = pinRef.current;
    const pin = input?.value ?? '';
    if (input) input.value = '';
    const totp = totpRef.current?.value.trim() || undefined;
    if (!pin) return;
    setBusy(true);
    setError(null);
    const message = await onSubmit(pin, totp);
    setBusy(false);
    if (message) {
      setError(message);
      if (totpRef.current) totpRef.current.value = '';
      pinRef.current?.focus();
    }
  };
  const close = () => {
    setError(null);
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} maxWidth="xs" fullWidth>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        autoComplete="off"
      >
        <DialogTitle>{title ?? translate('app.hocba.signing.pin_title', { count })}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{help ?? translate('app.hocba.signing.pin_help')}</DialogContentText>
          {error && (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="pin-error">
              {error}
            </Alert>
          )}
          <TextField
            inputRef={pinRef}
            type="password"
            label={translate('app.hocba.signing.pin')}
            fullWidth
            autoFocus
            required
            slotProps={{ htmlInput: { autoComplete: 'off', inputMode: 'numeric', 'data-testid': 'pin-input', maxLength: 32 } }}
          />
          {needsTotp && (
            <TextField
              inputRef={totpRef}
              label={translate('app.hocba.signing.totp')}
              fullWidth
              required
              sx={{ mt: 2 }}
              slotProps={{ htmlInput: { autoComplete: 'one-time-code', inputMode: 'numeric', pattern: '\\d{6}', maxLength: 6, 'data-testid': 'totp-input' } }}
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="pin-submit">
            {translate('app.hocba.signing.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
