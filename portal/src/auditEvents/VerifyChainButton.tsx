import FactCheckIcon from '@mui/icons-material/FactCheck';
import { Alert, Button as MuiButton, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, useCanAccess, useDataProvider, useTranslate } from 'react-admin';
import type { AuditChainResult, PortalDataProvider } from '../api/dataProvider';

/** "Kiểm tra chuỗi": GET /api/audit-events/verify — is the hash chain intact, and if not, where does it break? */
export function VerifyChainButton() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<PortalDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'audit-events', action: 'verify' });
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<AuditChainResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!canAccess) return null;

  const verify = async () => {
    setOpen(true);
    setResult(null);
    setError(null);
    try {
      setResult(await dataProvider.verifyAuditChain());
    } catch (e) {
      const m = (e as Error).message || 'ra.notification.http_error';
      setError(translate(m, { _: m }));
    }
  };

  return (
    <>
      <Button label="app.audit.verify" onClick={verify}>
        <FactCheckIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="verify-title" maxWidth="sm" fullWidth>
        <DialogTitle id="verify-title">{translate('app.audit.verify_title')}</DialogTitle>
        <DialogContent>
          {!result && !error && (
            <Typography sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <CircularProgress size={20} /> {translate('app.audit.verifying')}
            </Typography>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          {result?.ok && (
            <Alert severity="success" data-testid="verify-result">
              {translate('app.audit.verify_ok', { checked: result.checked })}
            </Alert>
          )}
          {result?.ok && (result.notCheckpointed ?? 0) > 0 && (
            <Alert severity="warning" sx={{ mt: 1 }}>
              {translate('app.audit.verify_unsigned', { count: result.notCheckpointed })}
            </Alert>
          )}
          {result && !result.ok && (
            <Alert severity="error" data-testid="verify-result">
              {translate('app.audit.verify_broken', { id: result.firstBrokenId ?? '?', checked: result.checked })}
              {result.reason && (
                <Typography variant="body2" sx={{ mt: 1 }}>
                  {translate('app.audit.verify_reason', { reason: result.reason })}
                </Typography>
              )}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          {result && !result.ok && result.firstBrokenId !== null && (
            <MuiButton component={Link} to={`/audit-events/${result.firstBrokenId}/show`} onClick={() => setOpen(false)}>
              {translate('app.audit.open_broken', { id: result.firstBrokenId })}
            </MuiButton>
          )}
          <MuiButton onClick={() => setOpen(false)} variant="contained">
            {translate('ra.action.close')}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}
