import {
  Alert,
  Box,
  Card,
  CardContent,
  CardHeader,
  CircularProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import { useEffect, useState } from 'react';
import { useLocale, useTranslate } from 'react-admin';
import { Link, useNavigate } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { formatDate, formatDateTime, formatInteger } from '../format';
import { CompletionBar, Countdown, formatPercent, type TimelineView } from './shared';

/** GET /api/timelines/:schoolYearId/dashboard (server/timeline/dashboard.ts). */
interface DashboardData {
  now: string;
  semester: { id: number; number: number } | null;
  departments: Array<{ id: number | null; name: string | null }>;
  weeks: Array<{ cutoff: string; values: Array<{ departmentId: number | null; required: number; entered: number; percent: number | null }> }>;
  teachers: Array<{ id: number; name: string; required: number; entered: number; overdueCells: number; percent: number | null }>;
  heat: {
    classes: Array<{ id: number; name: string; grade: number }>;
    subjects: Array<{ id: number; name: string }>;
    cells: Array<{ classId: number; subjectId: number; required: number; overdueCells: number; maxOverdueHours: number | null }>;
  };
}

/** White → red by share of the worst cell. */
function heatColour(n: number, max: number): string {
  if (n === 0) return '#e8f5e9';
  const t = Math.min(1, 0.2 + (0.8 * n) / Math.max(max, 1));
  const g = Math.round(235 - 170 * t);
  return `rgb(${Math.round(255 - 40 * t)}, ${g}, ${g})`;
}

/**
 * The leadership's deadline dashboard: the next milestones with countdowns and % complete in the reader's reach;
 * completion over the weeks per department; per teacher (a bar opens that teacher's grade books on the progress
 * page); the overdue cells per class × subject (a cell opens its grid).
 */
export function DeadlineDashboard({ timeline }: { timeline: TimelineView }) {
  const translate = useTranslate();
  const locale = useLocale();
  const navigate = useNavigate();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    apiCall<DashboardData>(`/timelines/${timeline.schoolYearId}/dashboard`)
      .then(setData)
      .catch((e) => setError(errorBody(e).message));
  }, [timeline.schoolYearId]);

  const upcoming = timeline.milestones
    .filter((m) => m.due && m.kind !== 'inspection' && Date.parse(m.due) > Date.parse(timeline.now) - 14 * 86_400_000)
    .sort((a, b) => a.due!.localeCompare(b.due!))
    .slice(0, 5);
  const openTeacher = (id: number | undefined) => {
    if (id) navigate(`/progress?view=teacher&teacherId=${id}${data?.semester ? `&semesterId=${data.semester.id}` : ''}`);
  };
  const pct = (v: number | null) => (v === null ? '—' : formatPercent(v, locale));

  return (
    <Stack spacing={2} data-testid="deadline-dashboard" sx={{ minWidth: 0, '& .MuiCard-root': { minWidth: 0 } }}>
      <Card>
        <CardHeader title={translate('app.tl_dashboard.next_title')} slotProps={{ title: { variant: 'subtitle1' } }} />
        <CardContent sx={{ pt: 0 }}>
          {upcoming.length === 0 && <Typography color="text.secondary">{translate('app.tl_dashboard.no_upcoming')}</Typography>}
          <Stack spacing={1.5}>
            {upcoming.map((m) => (
              <Stack key={m.key} direction={{ xs: 'column', sm: 'row' }} spacing={{ xs: 0.5, sm: 2 }} sx={{ alignItems: { sm: 'center' } }} data-testid="upcoming">
                <Box sx={{ flex: 2, minWidth: 0 }}>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {m.title}
                  </Typography>
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <Typography variant="caption" color="text.secondary">
                      {formatDateTime(m.due, locale)}
                    </Typography>
                    <Countdown due={m.due!} now={timeline.now} />
                  </Stack>
                </Box>
                <Box sx={{ flex: 1, minWidth: 160 }}>
                  <CompletionBar completion={m.completion} />
                </Box>
              </Stack>
            ))}
          </Stack>
        </CardContent>
      </Card>
      {error && <Alert severity="error">{error}</Alert>}
      {!data && !error && <CircularProgress sx={{ m: 2 }} />}
      {data && data.heat.cells.length === 0 && <Alert severity="info">{translate('app.progress.empty')}</Alert>}
      {data && data.heat.cells.length > 0 && (
        <>
          <Card>
            <CardHeader
              title={translate('app.tl_dashboard.weeks_title')}
              subheader={translate('app.tl_dashboard.weeks_help')}
              slotProps={{ title: { variant: 'subtitle1' }, subheader: { variant: 'caption' } }}
            />
            <CardContent sx={{ pt: 0 }}>
              {data.weeks.length === 0 ? (
                <Typography color="text.secondary">{translate('app.tl_dashboard.no_weeks')}</Typography>
              ) : (
                <LineChart
                  height={300}
                  xAxis={[{ scaleType: 'point', data: data.weeks.map((w) => formatDate(w.cutoff, locale).slice(0, 5)) }]}
                  yAxis={[{ min: 0, max: 100, valueFormatter: (v: number) => `${v} %` }]}
                  series={data.departments.map((d, i) => ({
                    label: d.name ?? translate('app.tl_dashboard.no_department'),
                    data: data.weeks.map((w) => w.values[i]?.percent ?? null),
                    valueFormatter: (v: number | null) => pct(v),
                    showMark: false,
                    connectNulls: true,
                  }))}
                  slotProps={{ legend: { direction: 'horizontal', position: { vertical: 'bottom', horizontal: 'center' } } }}
                  data-testid="weeks-chart"
                />
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader
              title={translate('app.tl_dashboard.teachers_title', { semester: data.semester?.number ?? '' })}
              subheader={translate('app.tl_dashboard.teachers_help')}
              slotProps={{ title: { variant: 'subtitle1' }, subheader: { variant: 'caption' } }}
            />
            <CardContent sx={{ pt: 0 }} data-testid="teachers-chart">
              <BarChart
                layout="horizontal"
                height={Math.max(160, 26 * data.teachers.length + 60)}
                yAxis={[{ scaleType: 'band', data: data.teachers.map((t) => t.name), width: 150 }]}
                xAxis={[{ min: 0, max: 100, valueFormatter: (v: number) => `${v} %` }]}
                series={[
                  {
                    data: data.teachers.map((t) => t.percent ?? 0),
                    label: translate('app.tl_dashboard.percent_entered'),
                    valueFormatter: (_v, ctx) => {
                      const t = data.teachers[ctx.dataIndex];
                      return t ? `${pct(t.percent)} (${translate('app.tl_dashboard.overdue_cells', { n: formatInteger(t.overdueCells, locale) })})` : '';
                    },
                  },
                ]}
                hideLegend
                onItemClick={(_e, item) => openTeacher(data.teachers[item.dataIndex]?.id)}
                // The whole row is a target too (a bar at 0 % has no width to click).
                onAxisClick={(_e, d) => d && openTeacher(data.teachers[d.dataIndex]?.id)}
                sx={{ cursor: 'pointer' }}
              />
              {/* The same, by keyboard and on any screen. */}
              <TextField
                select
                size="small"
                label={translate('app.tl_dashboard.open_teacher')}
                value=""
                onChange={(e) => openTeacher(Number(e.target.value))}
                sx={{ minWidth: 260, mt: 1 }}
                slotProps={{ htmlInput: { 'data-testid': 'teacher-select' } }}
              >
                {data.teachers.map((t) => (
                  <MenuItem key={t.id} value={t.id}>
                    {t.name} — {pct(t.percent)}
                  </MenuItem>
                ))}
              </TextField>
            </CardContent>
          </Card>
          <Card>
            <CardHeader
              title={translate('app.tl_dashboard.heat_title')}
              subheader={translate('app.tl_dashboard.heat_help')}
              slotProps={{ title: { variant: 'subtitle1' }, subheader: { variant: 'caption' } }}
            />
            <CardContent sx={{ pt: 0 }}>
              <HeatTable data={data} />
            </CardContent>
          </Card>
        </>
      )}
    </Stack>
  );
}

function HeatTable({ data }: { data: DashboardData }) {
  const translate = useTranslate();
  const locale = useLocale();
  const cell = new Map(data.heat.cells.map((c) => [`${c.classId}:${c.subjectId}`, c]));
  const max = Math.max(0, ...data.heat.cells.map((c) => c.overdueCells));
  const subjects = data.heat.subjects;
  return (
    <Box sx={{ overflowX: 'auto', width: '100%', maxWidth: { xs: 'calc(100vw - 48px)', md: '100%' } }}>
      <Table size="small" sx={{ '& td, & th': { px: 0.5, py: 0.25, fontSize: 12, border: '1px solid', borderColor: 'divider' }, width: 'auto' }} data-testid="heat-table">
        <TableHead>
          <TableRow>
            <TableCell sx={{ position: 'sticky', left: 0, bgcolor: 'background.paper', zIndex: 1 }}>{translate('app.tl_dashboard.class')}</TableCell>
            {subjects.map((s) => (
              <TableCell key={s.id} sx={{ maxWidth: 72, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={s.name}>
                {s.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.heat.classes.map((c) => (
            <TableRow key={c.id}>
              <TableCell component="th" sx={{ position: 'sticky', left: 0, bgcolor: 'background.paper', fontWeight: 600, zIndex: 1 }}>
                {c.name}
              </TableCell>
              {subjects.map((s) => {
                const x = cell.get(`${c.id}:${s.id}`);
                if (!x) return <TableCell key={s.id} sx={{ bgcolor: 'action.disabledBackground' }} />;
                const label = translate('app.tl_dashboard.heat_cell', { cls: c.name, subject: s.name, n: formatInteger(x.overdueCells, locale) });
                return (
                  <TableCell key={s.id} align="center" sx={{ bgcolor: heatColour(x.overdueCells, max), p: 0 }}>
                    <Tooltip title={label}>
                      <Box
                        component={Link}
                        to={`/gradebook?classId=${c.id}&subjectId=${s.id}${data.semester ? `&semesterId=${data.semester.id}` : ''}`}
                        aria-label={label}
                        sx={{ display: 'block', minWidth: 28, py: 0.25, color: 'text.primary', textDecoration: 'none' }}
                      >
                        {x.overdueCells > 0 ? formatInteger(x.overdueCells, locale) : '✓'}
                      </Box>
                    </Tooltip>
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
