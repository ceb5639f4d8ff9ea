import ScheduleIcon from '@mui/icons-material/Schedule';
import { Alert, Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetIdentity, useLocaleState, useTranslate } from 'react-admin';
import { archiveBackupSchoolIds } from '../../../domain/permissions';
import { apiCall } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDateTime } from '../format';
import type { NightlyRunRecord, NightlyStatus } from '../../../domain/backup-schedule';
import { formatSize } from '../../../domain/text';

function RunLine({ run, label }: { run: NightlyRunRecord; label: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const when = formatDateTime(run.finishedAt ?? run.claimedAt, locale);
  const result = run.status === 'running' ? 'running' : run.status === 'ok' ? 'ok' : 'failed';
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography variant="body2">
        {translate(label)}: <strong>{when}</strong>
        {run.sizeBytes !== null && ` · ${formatSize(run.sizeBytes, locale === 'en' ? 'en' : 'vi')}`}
        {run.file && ` · ${run.file}`}
      </Typography>
      <Chip size="small" color={result === 'ok' ? 'success' : result === 'failed' ? 'error' : 'default'} label={translate(`app.nightly.result_${result}`)} />
      {run.prunedAt && <Chip size="small" variant="outlined" label={translate('app.nightly.pruned')} />}
    </Stack>
  );
}

/**
 * "Sao lưu tự động hằng đêm" above the archive register, for those who register backups (the admin, the records
 * clerk): the last nightly backup (when, size, whether it passed its checks), the last good one when the last
 * failed, and the next scheduled run — or that the job is off.
 */
export function NightlyBackupCard() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const allowed = !!principal && archiveBackupSchoolIds(principal).length > 0;
  const [status, setStatus] = useState<NightlyStatus | null>(null);
  useEffect(() => {
    if (!allowed) return;
    apiCall<NightlyStatus>('/backups/nightly').then(setStatus, () => setStatus(null));
  }, [allowed]);
  if (!allowed || !status) return null;
  return (
    <Card sx={{ mt: 2 }} data-testid="nightly-backup">
      <CardHeader avatar={<ScheduleIcon color="action" />} title={translate('app.nightly.title')} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        <Stack spacing={1}>
          {status.last ? <RunLine run={status.last} label="app.nightly.last" /> : <Typography variant="body2">{translate('app.nightly.none_yet')}</Typography>}
          {status.last?.status === 'failed' && status.last.detail && <Alert severity="error">{status.last.detail}</Alert>}
          {status.lastGood && <RunLine run={status.lastGood} label="app.nightly.last_good" />}
          <Typography variant="body2">
            {status.enabled && status.next
              ? translate('app.nightly.next', { when: formatDateTime(status.next, locale), keep: status.keep })
              : translate('app.nightly.off')}
          </Typography>
        </Stack>
      </CardContent>
    </Card>
  );
}
