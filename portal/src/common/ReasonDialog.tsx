import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';

/** Asks for a note or reason before a state change (approve, reject, lift, revoke…); `required` refuses an empty one. */
export function ReasonDialog({
  open,
  title,
  content,
  label,
  required = false,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  content?: string;
  label: string;
  required?: boolean;
  confirmLabel: string;
  onConfirm: (reason: string) => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {content && <DialogContentText sx={{ mb: 2 }}>{content}</DialogContentText>}
        {children}
        <TextField label={label} value={reason} onChange={(e) => setReason(e.target.value)} multiline minRows={2} fullWidth required={required} autoFocus slotProps={{ htmlInput: { maxLength: 1000 } }} sx={{ mt: 1 }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button
          variant="contained"
          disabled={required && reason.trim() === ''}
          onClick={() => {
            onConfirm(reason.trim());
            setReason('');
          }}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
