import DrawIcon from '@mui/icons-material/Draw';
import DoneAllIcon from '@mui/icons-material/DoneAll';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  LinearProgress,
  Stack,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title, useGetIdentity, useTranslate } from 'react-admin';
import { requiresTotp } from '../../../domain/permissions';
import { errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { SIGNING_STEPS, type SigningStep, type SigningTask } from '../transcripts/types';
import { fetchTasks } from './api';
import { PinDialog } from './PinDialog';
import { useSigningRun, type RunState } from './useSigningRun';

/** "6A1 · Toán", "Lớp 6A1", "Khối 6": from the names when the server sends them, else its label. */
function taskTitle(translate: (k: string, o?: Record<string, unknown>) => string, t: SigningTask): string {
  if ((t.step === 'approver' || t.step === 'seal') && t.grade != null) return translate('app.hocba.signing.task_approver', { grade: t.grade });
  if (t.step === 'subject' && t.className && t.subjectName) return translate('app.hocba.signing.task_subject', { className: t.className, subjectName: t.subjectName });
  if (t.step === 'homeroom' && t.className) return translate('app.hocba.signing.task_homeroom', { className: t.className });
  return t.label ?? translate(`app.hocba.signing.task_${t.step}`, { className: '', subjectName: '', grade: '' });
}

function TaskRow({ task, disabled, onSign }: { task: SigningTask; disabled: boolean; onSign: () => void }) {
  const translate = useTranslate();
  const missing = task.missing ?? [];
  return (
    <Box
      sx={{ display: 'flex', gap: 1, alignItems: { xs: 'stretch', sm: 'center' }, flexDirection: { xs: 'column', sm: 'row' }, py: 1.5, borderTop: 1, borderColor: 'divider' }}
      data-testid="signing-task"
    >
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 500 }}>
          {taskTitle(translate, task)}
          {task.schoolYear ? (
            <Typography component="span" variant="body2" color="text.secondary">
              {' '}
              · {task.schoolYear}
            </Typography>
          ) : null}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 0.5 }}>
          <Chip size="small" color={task.ready > 0 ? 'primary' : 'default'} label={translate('app.hocba.signing.ready', { count: task.ready })} />
          {task.waiting > 0 && <Chip size="small" color="warning" variant="outlined" label={translate('app.hocba.signing.waiting', { count: task.waiting })} />}
          {(task.signed ?? 0) > 0 && <Chip size="small" color="success" variant="outlined" label={translate('app.hocba.signing.signed', { count: task.signed })} />}
        </Stack>
        {task.waiting > 0 && missing.length > 0 && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            {translate('app.hocba.signing.waiting_for', { names: missing.join(', ') })}
          </Typography>
        )}
      </Box>
      <Button variant="outlined" startIcon={<DrawIcon />} disabled={disabled || task.ready === 0} onClick={onSign} data-testid="sign-task">
        {translate('app.hocba.signing.sign')}
      </Button>
    </Box>
  );
}

function Progress({ run, onClose }: { run: RunState; onClose: () => void }) {
  const translate = useTranslate();
  const processed = run.done + run.failed;
  const percent = run.total > 0 ? Math.round((processed / run.total) * 100) : run.finished ? 100 : 0;
  if (!run.finished) {
    return (
      <Card variant="outlined" data-testid="batch-progress">
        <CardContent>
          <Typography variant="body1" sx={{ mb: 1 }} data-testid="batch-progress-text">
            {translate('app.hocba.signing.running', { done: run.done, total: run.total })}
            {run.failed > 0 ? ` · ${translate('app.hocba.signing.failed_count', { count: run.failed })}` : ''}
          </Typography>
          <LinearProgress variant="determinate" value={percent} aria-valuenow={percent} sx={{ height: 10, borderRadius: 5 }} />
        </CardContent>
      </Card>
    );
  }
  return (
    <Alert
      severity={run.failed > 0 || run.errors.length > 0 ? 'warning' : 'success'}
      data-testid="batch-summary"
      action={
        <Button color="inherit" size="small" onClick={onClose}>
          {translate('app.hocba.signing.close')}
        </Button>
      }
    >
      <AlertTitle>{translate('app.hocba.signing.summary_title')}</AlertTitle>
      <LinearProgress variant="determinate" value={percent} aria-valuenow={percent} color={run.failed > 0 ? 'warning' : 'success'} sx={{ height: 6, borderRadius: 3, mb: 1 }} />
      <div>{translate('app.hocba.signing.summary_signed', { count: run.done })}</div>
      {(run.failed > 0 || run.errors.length > 0) && (
        <>
          <div>{translate('app.hocba.signing.summary_failed', { count: run.failed })}</div>
          <Box component="ul" sx={{ my: 0, pl: 2 }}>
            {run.errors.slice(0, 50).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </Box>
        </>
      )}
    </Alert>
  );
}

/**
 * Ký học bạ, the teachers' landing page in May: what the user can sign now, grouped by the chain's steps
 * (class × subject, homeroom class, grade, the seal), each with its ready / waiting counts and who the waiting ones
 * wait for. "Ký" signs one group, "Ký tất cả" every ready group, after the PIN dialog; the bar follows the batch.
 */
export function SigningPage() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [tasks, setTasks] = useState<SigningTask[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pending, setPending] = useState<SigningTask[] | null>(null);
  // The dialog keeps its title while it closes (pending is already null then).
  const [pinCount, setPinCount] = useState(0);
  useEffect(() => {
    if (pending) setPinCount(pending.reduce((n, t) => n + t.ready, 0));
  }, [pending]);
  const load = useCallback(() => {
    fetchTasks()
      .then((t) => {
        setTasks(t);
        setLoadError(null);
      })
      .catch((e) => setLoadError(errorText(e)));
  }, []);
  useEffect(load, [load]);
  const { run, start, clear } = useSigningRun(load);
  const running = !!run && !run.finished;
  const ready = (tasks ?? []).filter((t) => t.ready > 0);
  const readyCount = ready.reduce((n, t) => n + t.ready, 0);
  // Admin and principal accounts confirm every batch with a fresh TOTP code (server/transcripts/batches.ts).
  const needsTotp = (pending ?? []).some((t) => t.totpRequired) || (!!user && requiresTotp(user.principal.grants.filter((g) => g.schoolId === user.schoolId)));

  const groups = SIGNING_STEPS.map((step) => ({ step, items: (tasks ?? []).filter((t) => t.step === step) })).filter((g) => g.items.length > 0);
  return (
    <Box sx={{ p: { xs: 1, sm: 2 }, maxWidth: 960 }}>
      <Title title={translate('app.hocba.signing.title')} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' }, mb: 2 }}>
        <Typography variant="body1" sx={{ flex: 1 }}>
          {translate('app.hocba.signing.intro')}
        </Typography>
        <Button variant="contained" startIcon={<DoneAllIcon />} disabled={running || readyCount === 0} onClick={() => setPending(ready)} data-testid="sign-all">
          {translate('app.hocba.signing.sign_all', { count: readyCount })}
        </Button>
      </Stack>
      {run && (
        <Box sx={{ mb: 2 }}>
          <Progress run={run} onClose={clear} />
        </Box>
      )}
      {loadError && <Alert severity="error">{loadError}</Alert>}
      {!tasks && !loadError && <CircularProgress />}
      {tasks && tasks.length === 0 && (
        <Alert severity="info" data-testid="signing-empty">
          <AlertTitle>{translate('app.hocba.signing.empty')}</AlertTitle>
          {translate('app.hocba.signing.empty_help')}
        </Alert>
      )}
      <Stack spacing={2}>
        {groups.map((g) => (
          <Card key={g.step} variant="outlined" data-testid={`signing-group-${g.step}`}>
            <CardContent sx={{ pb: 1 }}>
              <Typography variant="h6">{translate(`app.hocba.signing.group_${g.step satisfies SigningStep}`)}</Typography>
              {g.items.map((t, i) => (
                <TaskRow key={`${t.step}-${t.classId ?? ''}-${t.subjectId ?? ''}-${t.grade ?? ''}-${i}`} task={t} disabled={running} onSign={() => setPending([t])} />
              ))}
            </CardContent>
          </Card>
        ))}
      </Stack>
      <PinDialog
        open={pending !== null}
        count={pinCount}
        needsTotp={needsTotp}
        onClose={() => setPending(null)}
        onSubmit={async (pin, totp) => {
          const refusal = await start(pending ?? [], pin, totp);
          if (!refusal) setPending(null);
          return refusal;
        }}
      />
    </Box>
  );
}
