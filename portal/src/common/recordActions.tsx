import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import { Button, type ButtonProps } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useCanAccess, useRecordContext, useTranslate } from 'react-admin';
import { ReasonDialog } from './ReasonDialog';
import { useRecordAction } from './useRecordAction';

/**
 * Ends a record with an optional reason — lifting a lock, revoking a delegation: DELETE with the reason in the body
 * (the record stays, marked). Shown while `isOpen(record)` and the user may delete from `resource`. Every text is a
 * translation key; `title` gets the record's `id`.
 */
export function DeleteWithReasonButton<R extends { id: number }>({
  resource,
  isOpen,
  label,
  title,
  content,
  reasonLabel,
  done,
  icon,
  color,
}: {
  resource: string;
  isOpen: (record: R) => boolean;
  label: string;
  title: string;
  content?: string;
  reasonLabel: string;
  done: string;
  icon?: ReactNode;
  color?: ButtonProps['color'];
}) {
  const record = useRecordContext<R>();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource, action: 'delete' });
  const [open, setOpen] = useState(false);
  const { run, busy } = useRecordAction();
  if (!record || !isOpen(record) || !canAccess) return null;
  // In a list row the dialog is rendered inside the row: clicks in it (the reason field, the buttons) must not
  // bubble up to the row and open the record.
  return (
    <span onClick={(e) => e.stopPropagation()}>
      <Button size="small" color={color} startIcon={icon} disabled={busy} onClick={() => setOpen(true)}>
        {translate(label)}
      </Button>
      <ReasonDialog
        open={open}
        title={translate(title, { id: record.id })}
        content={content && translate(content)}
        label={translate(reasonLabel)}
        confirmLabel={translate(label)}
        onClose={() => setOpen(false)}
        onConfirm={(reason) => {
          setOpen(false);
          void run((dp) => dp.deleteWithReason(resource, record.id, reason || undefined), done);
        }}
      />
    </span>
  );
}

/** Phê duyệt / Từ chối, the two buttons of a pending request; `onPick` opens the caller's dialog for the step. */
export function ApproveRejectButtons({ busy, onPick }: { busy: boolean; onPick: (step: 'approve' | 'reject') => void }) {
  const translate = useTranslate();
  return (
    <>
      <Button variant="contained" color="success" startIcon={<CheckIcon />} disabled={busy} onClick={() => onPick('approve')}>
        {translate('app.requests.approve')}
      </Button>
      <Button variant="outlined" color="error" startIcon={<CloseIcon />} disabled={busy} onClick={() => onPick('reject')}>
        {translate('app.requests.reject')}
      </Button>
    </>
  );
}
