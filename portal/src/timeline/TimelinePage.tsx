import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  CircularProgress,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  Typography,
  useMediaQuery,
  type Theme,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title, useGetIdentity, useGetList, useLocale, useNotify, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { canEditTimeline, canReadTimeline } from '../../../domain/permissions';
import { PROFILES, type ProfileKey } from '../../../domain/timeline/profiles';
import type { Step } from '../../../domain/timeline/types';
import { apiCall, errorBody, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDate, formatDateTime } from '../format';
import { DeadlineDashboard } from './DeadlineDashboard';
import { TimelineEditor } from './TimelineEditor';
import { CompletionBar, Countdown, type TimelineView } from './shared';

const WEEKDAYS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The schools' current year (the timeline is per school year). */
export function useCurrentYear() {
  const { data: years, isPending } = useGetList<{ id: number; isCurrent: boolean; name: string; schoolId: number }>('school-years', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'startDate', order: 'DESC' },
  });
  return { year: years?.find((y) => y.isCurrent) ?? years?.[0], isPending };
}

export function StepLabel({ step }: { step: Step }) {
  const translate = useTranslate();
  const days = /remind-D-(\d+)/.exec(step.step)?.[1];
  const key = step.step === 'weekly-remind' ? 'weekly_remind' : step.step === 'weekly-escalate' ? 'weekly_cutoff' : step.kind;
  return <>{translate(`app.timeline.step.${key}`, { days, level: step.level ?? 1 })}</>;
}

/**
 * Lộ trình năm học: each milestone with its due instant, a countdown, how complete it is in the reader's reach (or
 * why it cannot be counted) and the steps done; the holidays and the weekly rule. The principal and the admin start
 * one from a profile and change it; the leadership's deadline dashboard is the second tab.
 */
export function TimelinePage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const { year, isPending } = useCurrentYear();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'milestones';
  const [data, setData] = useState<TimelineView | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [profile, setProfile] = useState<ProfileKey>('khanh-phu');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    if (!year) return;
    setError(null);
    apiCall<TimelineView>(`/timelines/${year.id}`)
      .then((d) => {
        setData(d);
        setMissing(false);
      })
      .catch((e) => {
        const b = errorBody(e);
        if (b.status === 404) setMissing(true);
        else setError(b.message);
      });
  }, [year]);
  useEffect(load, [load]);

  const schoolId = year?.schoolId ?? data?.schoolId;
  const mayEdit = !!principal && schoolId !== undefined && canEditTimeline(principal, schoolId);
  const mayRead = !!principal && schoolId !== undefined && canReadTimeline(principal, schoolId);

  const start = async () => {
    if (!year) return;
    setBusy(true);
    try {
      await apiCall('/timelines', { method: 'POST', body: { schoolYearId: year.id, profile } });
      notify('app.timeline.started', { type: 'success' });
      load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    // minWidth 0: wide content (the heat table, the milestone table) scrolls inside its card, not the page.
    <Box sx={{ mt: 1, minWidth: 0, maxWidth: '100%' }}>
      <Title title={translate('app.timeline.title')} />
      {(isPending || (!data && !missing && !error)) && <CircularProgress sx={{ m: 4 }} />}
      {!isPending && !year && <Alert severity="info">{translate('app.timeline.no_year')}</Alert>}
      {error && <Alert severity="error">{error}</Alert>}
      {missing && (
        <Card data-testid="timeline-missing">
          <CardHeader title={translate('app.timeline.none_title', { year: year?.name ?? '' })} />
          <CardContent sx={{ pt: 0 }}>
            {mayEdit ? (
              <>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {translate('app.timeline.choose_profile')}
                </Typography>
                <RadioGroup value={profile} onChange={(e) => setProfile(e.target.value as ProfileKey)}>
                  {(Object.keys(PROFILES) as ProfileKey[]).map((k) => (
                    <FormControlLabel key={k} value={k} control={<Radio />} label={PROFILES[k]} sx={{ mb: 1 }} />
                  ))}
                </RadioGroup>
                <Button variant="contained" onClick={() => void start()} disabled={busy} data-testid="timeline-start">
                  {translate('app.timeline.start')}
                </Button>
              </>
            ) : (
              <Typography color="text.secondary">{translate('app.timeline.none_ask')}</Typography>
            )}
          </CardContent>
        </Card>
      )}
      {data && mayRead !== false && (
        <>
          <Tabs value={tab} onChange={(_, v) => setParams({ tab: v })} variant="scrollable" sx={{ mb: 1 }}>
            <Tab value="milestones" label={translate('app.timeline.tab_milestones')} />
            <Tab value="dashboard" label={translate('app.timeline.tab_dashboard')} data-testid="tab-dashboard" />
            {mayEdit && <Tab value="settings" label={translate('app.timeline.tab_settings')} data-testid="tab-settings" />}
          </Tabs>
          {tab === 'milestones' && <Milestones data={data} />}
          {tab === 'dashboard' && <DeadlineDashboard timeline={data} />}
          {tab === 'settings' && mayEdit && <TimelineEditor timeline={data} onSaved={load} />}
        </>
      )}
    </Box>
  );
}

/** On a phone: one card per milestone instead of a wide table. */
function MilestoneCards({ data }: { data: TimelineView }) {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Stack spacing={1} data-testid="timeline-milestones">
      {data.milestones.map((m) => (
        <Card key={m.key} data-testid="timeline-row">
          <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {m.title}
            </Typography>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', my: 0.5 }}>
              {m.due ? (
                <>
                  <Typography variant="body2">{formatDateTime(m.due, locale)}</Typography>
                  <Countdown due={m.due} now={data.now} />
                </>
              ) : (
                <Typography variant="body2" color="text.secondary">
                  {m.kind === 'inspection' ? translate('app.timeline.monthly', { day: data.config.inspection.dayOfMonth, at: data.config.inspection.at }) : '—'}
                </Typography>
              )}
            </Stack>
            {m.kind !== 'inspection' && <CompletionBar completion={m.completion} />}
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
              {translate('app.timeline.steps_done')}: {m.stepsDone}/{m.stepsTotal}
              {m.next && (
                <>
                  {' · '}
                  <StepLabel step={m.next} /> {formatDateTime(m.next.at, locale)}
                </>
              )}
            </Typography>
          </CardContent>
        </Card>
      ))}
    </Stack>
  );
}

function Milestones({ data }: { data: TimelineView }) {
  const translate = useTranslate();
  const locale = useLocale();
  const phone = useMediaQuery((t: Theme) => t.breakpoints.down('sm'));
  const w = data.config.weekly;
  return (
    <Stack spacing={2}>
      {phone ? (
        <MilestoneCards data={data} />
      ) : (
      <Card>
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="timeline-milestones">
            <TableHead>
              <TableRow>
                <TableCell>{translate('app.timeline.milestone')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.timeline.due')}</TableCell>
                <TableCell sx={{ minWidth: 160 }}>{translate('app.timeline.completion')}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{translate('app.timeline.steps_done')}</TableCell>
                <TableCell>{translate('app.timeline.next_step')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.milestones.map((m) => (
                <TableRow key={m.key} data-testid="timeline-row">
                  <TableCell sx={{ minWidth: 180 }}>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {m.title}
                    </Typography>
                    {m.milestone?.lockAtDue && (
                      <Typography variant="caption" color="text.secondary">
                        {translate('app.timeline.locks_at_due')}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {m.due ? (
                      <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
                        <span>{formatDateTime(m.due, locale)}</span>
                        <Countdown due={m.due} now={data.now} />
                      </Stack>
                    ) : (
                      <Typography variant="body2" color="text.secondary">
                        {m.kind === 'inspection' ? translate('app.timeline.monthly', { day: data.config.inspection.dayOfMonth, at: data.config.inspection.at }) : '—'}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{m.kind === 'inspection' ? '—' : <CompletionBar completion={m.completion} />}</TableCell>
                  <TableCell>
                    {m.stepsDone}/{m.stepsTotal}
                  </TableCell>
                  <TableCell sx={{ minWidth: 150 }}>
                    {m.next ? (
                      <>
                        <Typography variant="body2">
                          <StepLabel step={m.next} />
                        </Typography>
                        <Typography variant="caption" color="text.secondary">
                          {formatDateTime(m.next.at, locale)}
                        </Typography>
                      </>
                    ) : (
                      <Typography variant="body2" color="text.secondary">
                        {translate('app.timeline.no_next')}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      </Card>
      )}
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <Card sx={{ flex: 1 }}>
          <CardHeader title={translate('app.timeline.weekly_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
          <CardContent sx={{ pt: 0 }}>
            <Typography variant="body2" data-testid="weekly-rule">
              {w.enabled
                ? translate('app.timeline.weekly_rule', { day: translate(`app.timeline.weekday.${WEEKDAYS[w.remindWeekday]}`), at: w.remindAt })
                : translate('app.timeline.weekly_off')}
            </Typography>
            {w.enabled && w.escalation.length > 0 && (
              <Typography variant="body2" color="text.secondary">
                {translate('app.timeline.weekly_escalation', {
                  chain: w.escalation.map((e) => translate('app.timeline.after_weeks', { role: translate(`app.timeline.role.${e.role}`), n: e.afterWeeks })).join(' → '),
                })}
              </Typography>
            )}
            <Typography variant="body2" color="text.secondary">
              {translate('app.timeline.remind_at', { at: data.config.remindAt })}
            </Typography>
          </CardContent>
        </Card>
        <Card sx={{ flex: 1 }}>
          <CardHeader title={translate('app.timeline.holidays')} slotProps={{ title: { variant: 'subtitle1' } }} />
          <CardContent sx={{ pt: 0 }}>
            {data.config.holidays.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                {translate('app.timeline.no_holidays')}
              </Typography>
            ) : (
              data.config.holidays.map((h) => (
                <Typography key={`${h.name}${h.from}`} variant="body2">
                  {h.name}: {formatDate(h.from, locale)} – {formatDate(h.to, locale)}
                </Typography>
              ))
            )}
          </CardContent>
        </Card>
      </Stack>
    </Stack>
  );
}
