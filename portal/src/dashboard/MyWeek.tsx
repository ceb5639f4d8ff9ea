import { Alert, Box, Button, Card, CardContent, CardHeader, CircularProgress, LinearProgress, Link as MuiLink, List, ListItemButton, ListItemText, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetIdentity, useLocale, useTranslate } from 'react-admin';
import { canViewOwnRecord } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';
import { Link } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { ArchiveCard } from '../archiveEntries/ArchiveCard';
import { formatDateTime, formatInteger, formatScore } from '../format';
import type { PendingCounts } from './usePending';

/** GET /api/dashboard/week (server/dashboard/week.ts). */
interface Week {
  week: { from: string; until: string } | null;
  semester: { id: number; number: number } | null;
  teaching: Array<{ classId: number; className: string; subjectId: number; subjectName: string; semesterId: number; dueThisWeek: number; overdueCells: number; maxOverdueHours: number | null }>;
  scope: {
    required: number;
    entered: number;
    percent: number | null;
    overdueCells: number;
    teachers: number;
    teachersLate: number;
    furthestBehind: Array<{ teacherId: number; teacherName: string; overdueCells: number; maxOverdueHours: number | null }>;
  } | null;
  pending: PendingCounts | null;
}

const pendingFilter = encodeURIComponent(JSON.stringify({ status: 'pending' }));
const days = (hours: number | null) => Math.max(1, Math.ceil((hours ?? 0) / 24));

/**
 * The home page's "this week": what the signed-in person has to do before the weekly cutoff and what is already
 * late (a teacher), how their scope is doing (those who supervise), what waits for their decision (the principal).
 * Every line leads to the exact page where it is done.
 */
export function MyWeek() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const [week, setWeek] = useState<Week | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    apiCall<Week>('/dashboard/week')
      .then(setWeek)
      .catch((e) => setError(errorBody(e).message));
  }, []);
  if (error) return <Alert severity="error">{error}</Alert>;
  if (!week) return <CircularProgress size={24} sx={{ m: 2 }} />;
  const nothing = !week.pending && week.teaching.length === 0 && !week.scope;
  const family = !!principal && canViewOwnRecord(principal);
  // Văn thư's own work is the archive register (roles.md: archives the printed books).
  const clerk = !!principal && principal.grants.some((g) => g.role === 'records_clerk');
  return (
    <Stack spacing={2} data-testid="my-week">
      {family && (
        <Card data-testid="week-record">
          <CardHeader title={translate('app.record.title')} slotProps={{ title: { variant: 'subtitle1' } }} />
          <CardContent sx={{ pt: 0 }}>
            <Button variant="contained" component={Link} to="/my-record">
              {translate('app.record.open')}
            </Button>
          </CardContent>
        </Card>
      )}
      {week.pending && <PendingCard pending={week.pending} />}
      {week.teaching.length > 0 && <TeachingCard week={week} />}
      {week.scope && <ScopeCard scope={week.scope} />}
      {clerk && <ArchiveCard />}
      {nothing && !family && !clerk && (
        <Card variant="outlined">
          <CardContent>
            <Typography color="text.secondary">{translate('app.week.nothing_for_role')}</Typography>
          </CardContent>
        </Card>
      )}
    </Stack>
  );
}

function PendingCard({ pending }: { pending: PendingCounts }) {
  const translate = useTranslate();
  const total = pending.unlockRequests + pending.correctionRequests;
  return (
    <Card data-testid="week-pending">
      <CardHeader title={translate('app.week.pending_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        {total === 0 ? (
          <Typography color="text.secondary">{translate('app.week.pending_none')}</Typography>
        ) : (
          <List dense disablePadding>
            {pending.unlockRequests > 0 && (
              <ListItemButton component={Link} to={`/unlock-requests?filter=${pendingFilter}`}>
                <ListItemText primary={translate('app.week.pending_unlock', { smart_count: pending.unlockRequests })} />
              </ListItemButton>
            )}
            {pending.correctionRequests > 0 && (
              <ListItemButton component={Link} to={`/correction-requests?filter=${pendingFilter}`}>
                <ListItemText primary={translate('app.week.pending_correction', { smart_count: pending.correctionRequests })} />
              </ListItemButton>
            )}
          </List>
        )}
      </CardContent>
    </Card>
  );
}

function TeachingCard({ week }: { week: Week }) {
  const translate = useTranslate();
  const locale = useLocale();
  const late = week.teaching.filter((b) => b.overdueCells > 0);
  const due = week.teaching.filter((b) => b.overdueCells === 0 && b.dueThisWeek > 0);
  const deadline = week.week ? formatDateTime(week.week.until, locale) : '';
  return (
    <Card data-testid="week-teaching">
      <CardHeader title={translate('app.week.teaching_title')} subheader={deadline && translate('app.week.deadline', { time: deadline })} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        {late.length + due.length === 0 && <Typography color="success.main">{translate('app.week.all_done')}</Typography>}
        <List dense disablePadding>
          {[...late, ...due].map((b) => (
            <ListItemButton key={`${b.classId}:${b.subjectId}`} component={Link} to={`/gradebook?classId=${b.classId}&subjectId=${b.subjectId}&semesterId=${b.semesterId}`} data-testid="week-book">
              <ListItemText
                primary={`${b.className} · ${b.subjectName}`}
                secondary={[
                  b.overdueCells > 0 && translate('app.week.overdue', { smart_count: b.overdueCells, days: days(b.maxOverdueHours) }),
                  b.dueThisWeek > 0 && translate('app.week.due', { smart_count: b.dueThisWeek }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
                slotProps={{ secondary: { color: b.overdueCells > 0 ? 'error' : 'text.secondary' } }}
              />
            </ListItemButton>
          ))}
        </List>
      </CardContent>
    </Card>
  );
}

function ScopeCard({ scope }: { scope: NonNullable<Week['scope']> }) {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Card data-testid="week-scope">
      <CardHeader title={translate('app.week.scope_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Box sx={{ flex: 1 }}>
            <LinearProgress variant="determinate" value={scope.percent ?? 100} color={scope.overdueCells > 0 ? 'warning' : 'success'} sx={{ height: 8, borderRadius: 4 }} />
          </Box>
          <Typography variant="body2" sx={{ minWidth: 48, textAlign: 'right' }}>
            {scope.percent === null ? '—' : `${formatScore(scope.percent, locale)}%`}
          </Typography>
        </Stack>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate('app.week.scope_line', { entered: formatInteger(scope.entered, locale), required: formatInteger(scope.required, locale), late: scope.teachersLate, teachers: scope.teachers, overdue: formatInteger(scope.overdueCells, locale) })}
        </Typography>
        {scope.furthestBehind.length > 0 && (
          <>
            <Typography variant="caption" color="text.secondary">
              {translate('app.week.furthest_behind')}
            </Typography>
            <List dense disablePadding>
              {scope.furthestBehind.map((t) => (
                <ListItemText key={t.teacherId} sx={{ pl: 1 }} primary={t.teacherName} secondary={translate('app.week.overdue', { smart_count: t.overdueCells, days: days(t.maxOverdueHours) })} />
              ))}
            </List>
          </>
        )}
        <MuiLink component={Link} to="/progress">
          {translate('app.week.open_progress')}
        </MuiLink>
      </CardContent>
    </Card>
  );
}
