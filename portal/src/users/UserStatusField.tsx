import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import { isLocked } from './userActions';

/** Active / disabled / locked, at a glance. */
export function UserStatusField(_props: { label?: string; source?: string }) {
  const record = useRecordContext<{ disabled?: boolean; lockedUntil?: string | null }>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.disabled) return <Chip size="small" label={translate('app.users.disabled')} />;
  if (isLocked(record)) return <Chip size="small" color="warning" label={translate('app.users.locked')} />;
  return <Chip size="small" color="success" variant="outlined" label={translate('app.users.active')} />;
}
