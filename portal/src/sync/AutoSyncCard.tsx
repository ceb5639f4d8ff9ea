import { Alert, Button, Stack } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import { formatDateTime } from '../format';
import { PinDialog } from '../signing/PinDialog';

interface AutoStatus {
  enabled: boolean;
  enabledAt: string | null;
  enabledByName: string | null;
  mayChange: boolean;
}

/**
 * Tự động đồng bộ theo lộ trình: whether the timeline's sync milestones seal and send a batch of what is ready at
 * their reminders and due instant, by whose consent; a seal holder turns it on with the seal's PIN (and TOTP) or off.
 */
export function AutoSyncCard({ needsTotp, onChanged }: { needsTotp: boolean; onChanged: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [status, setStatus] = useState<AutoStatus | null>(null);
  const [asking, setAsking] = useState(false);
  const load = useCallback(() => {
    apiCall<AutoStatus>('/sync/auto').then(setStatus, (e) => notify(errorText(e), { type: 'error' }));
  }, [notify]);
  useEffect(load, [load]);
  const enable = async (pin: string, totp: string | undefined): Promise<string | null> => {
    try {
      setStatus(await apiCall<AutoStatus>('/sync/auto', { method: 'PUT', body: { pin, totp } }));
      setAsking(false);
      onChanged();
      return null;
    } catch (e) {
      return errorText(e);
    }
  };
  const disable = async () => {
    try {
      setStatus(await apiCall<AutoStatus>('/sync/auto', { method: 'DELETE' }));
      onChanged();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  if (!status) return null;
  return (
    <Alert
      severity={status.enabled ? 'success' : 'info'}
      sx={{ mb: 2 }}
      data-testid="sync-auto"
      action={
        status.mayChange && (
          <Stack direction="row">
            {status.enabled ? (
              <Button color="inherit" size="small" onClick={() => void disable()}>{translate('app.sync.auto_off')}</Button>
            ) : (
              <Button color="inherit" size="small" onClick={() => setAsking(true)} data-testid="sync-auto-on">{translate('app.sync.auto_on')}</Button>
            )}
          </Stack>
        )
      }
    >
      {status.enabled ? translate('app.sync.auto_enabled', { name: status.enabledByName ?? '', at: formatDateTime(status.enabledAt!) }) : translate('app.sync.auto_disabled')}
      <PinDialog open={asking} count={0} needsTotp={needsTotp} title={translate('app.sync.auto_pin_title')} help={translate('app.sync.auto_pin_help')} onSubmit={enable} onClose={() => setAsking(false)} />
    </Alert>
  );
}
