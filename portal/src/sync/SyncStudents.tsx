import { Alert, Box, Chip, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography, useMediaQuery, type Theme } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import type { ClassChoice } from '../common/useGradebookChoices';

type Status = 'not_ready' | 'ready' | 'sent' | 'accepted' | 'rejected' | 'nothing';

interface StudentLine {
  studentId: number;
  studentCode: string;
  fullName: string;
  className: string;
  status: Status;
  next: { sukien: 'NEW' | 'UPDATE' | 'CANCEL'; phienban: number } | null;
  transcriptVersion: number | null;
  reason: string | null;
}

const STATUSES: Status[] = ['not_ready', 'rejected', 'sent', 'ready', 'accepted', 'nothing'];
const COLOR = { accepted: 'success', rejected: 'error', not_ready: 'warning', sent: 'info', ready: 'default', nothing: 'default' } as const;

/**
 * Each student's sync status now — before any batch too: not ready and who still has to sign, ready (and whether it
 * goes as a new record or an update), sent and waiting, accepted, rejected with the receiver's reason. A reminder's
 * link opens it on one class (`/sync?classId=`); the chips filter by status.
 */
export function SyncStudents({ yearId, classes, classId, onClass, refreshKey }: { yearId: number; classes: ClassChoice[]; classId: number | undefined; onClass: (id: number | undefined) => void; refreshKey: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [data, setData] = useState<{ counts: Record<Status, number>; students: StudentLine[] } | null>(null);
  const [only, setOnly] = useState<Status | null>(null);
  const [loading, setLoading] = useState(true);
  const phone = useMediaQuery((t: Theme) => t.breakpoints.down('sm'));
  // What was shown stays until the new answer arrives (a batch's progress refreshes it): no flicker, a bar instead.
  useEffect(() => {
    let live = true;
    setLoading(true);
    apiCall<{ counts: Record<Status, number>; students: StudentLine[] }>(`/sync/students?schoolYearId=${yearId}${classId ? `&classId=${classId}` : ''}`)
      .then((d) => live && setData(d), (e) => live && notify(errorText(e), { type: 'error' }))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [yearId, classId, refreshKey, notify]);
  const shown = data?.students.filter((s) => !only || s.status === only) ?? [];
  return (
    <Box mb={3} data-testid="sync-students">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} alignItems={{ sm: 'center' }} mb={1}>
        <Typography variant="h6" sx={{ flexGrow: 1 }}>{translate('app.sync.students_title')}</Typography>
        <TextField select size="small" label={translate('app.sync.class')} value={classId ?? ''} onChange={(e) => onClass(e.target.value === '' ? undefined : Number(e.target.value))} SelectProps={{ displayEmpty: true }} InputLabelProps={{ shrink: true }} sx={{ minWidth: 180, width: { sm: 220 }, flexShrink: 0 }} data-testid="sync-class">
          <MenuItem value="">{translate('app.sync.all_classes')}</MenuItem>
          {classes.map((c) => (
            <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>
          ))}
        </TextField>
      </Stack>
      {loading && <LinearProgress sx={{ mb: 1 }} data-testid="sync-students-loading" />}
      {data && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
          {STATUSES.filter((s) => data.counts[s] > 0).map((s) => (
            <Chip
              key={s}
              size="small"
              color={COLOR[s]}
              variant={only === s ? 'filled' : 'outlined'}
              label={`${translate(`app.sync.status_${s}`)}: ${data.counts[s]}`}
              onClick={() => setOnly(only === s ? null : s)}
              data-testid={`sync-count-${s}`}
            />
          ))}
        </Stack>
      )}
      {data && data.students.length === 0 ? (
        <Alert severity="info">{translate('app.sync.no_students')}</Alert>
      ) : phone ? (
        <Stack divider={<Box sx={{ borderTop: 1, borderColor: 'divider' }} />}>
          {shown.map((s) => (
            <Box key={s.studentId} py={1} data-testid="sync-student">
              <Stack direction="row" spacing={1} alignItems="center" justifyContent="space-between">
                <Typography variant="body2" fontWeight={500}>{s.fullName}</Typography>
                <Chip size="small" color={COLOR[s.status]} label={translate(`app.sync.status_${s.status}`)} />
              </Stack>
              <Typography variant="caption" color="text.secondary" component="div">
                {s.studentCode} · {s.className}
                {s.next ? ` · ${translate('app.sync.next', { event: translate(`app.sync.event_${s.next.sukien}`), version: s.transcriptVersion ?? '' })}` : ''}
              </Typography>
              {s.reason && <Typography variant="caption" component="div" sx={{ wordBreak: 'break-word' }}>{s.reason}</Typography>}
            </Box>
          ))}
        </Stack>
      ) : (
        <Box sx={{ maxHeight: 420, overflow: 'auto' }}>
          <Table size="small" stickyHeader>
            <TableHead>
              <TableRow>
                {['student', 'class', 'status', 'event', 'reason'].map((h) => (
                  <TableCell key={h}>{translate(`app.sync.col_${h}`)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map((s) => (
                <TableRow key={s.studentId} data-testid="sync-student">
                  <TableCell>{s.fullName}<br /><small>{s.studentCode}</small></TableCell>
                  <TableCell>{s.className}</TableCell>
                  <TableCell><Chip size="small" color={COLOR[s.status]} label={translate(`app.sync.status_${s.status}`)} /></TableCell>
                  <TableCell>{s.next ? translate('app.sync.next', { event: translate(`app.sync.event_${s.next.sukien}`), version: s.transcriptVersion ?? '' }) : '—'}</TableCell>
                  <TableCell sx={{ maxWidth: 520, whiteSpace: 'normal', wordBreak: 'break-word' }}>{s.reason ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
