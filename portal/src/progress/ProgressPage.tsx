import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Alert,
  Box,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  IconButton,
  LinearProgress,
  Link as MuiLink,
  Stack,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { Fragment, useEffect, useState } from 'react';
import { Title, useLocale, useTranslate } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { ExportButton } from '../common/ExportButton';
import { SemesterSelect } from '../common/SemesterSelect';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { formatDateTime, formatInteger } from '../format';

const GROUPS = ['teacher', 'class', 'subject', 'department'] as const;
type GroupBy = (typeof GROUPS)[number];
interface Figures {
  required: number;
  entered: number;
  percent: number | null;
  overdueCells: number;
  maxOverdueHours: number;
  week: { required: number; entered: number; percent: number | null };
}
interface Item extends Figures {
  classId: number;
  className: string;
  subjectId: number;
  subjectName: string;
  teacherName: string;
}
/** GET /api/progress (docs/progress.md). */
interface Progress {
  now: string;
  semester: { id: number; number: number; startDate: string; endDate: string };
  week: { from: string; until: string };
  totals: Figures;
  rows: Array<Figures & { key: number; label: string; items?: Item[] }>;
}
/** GET /api/progress/overdue: one line per student cell (`by=cell`) or per grade-book column (`by=column`). */
interface Overdue {
  by: 'cell' | 'column';
  total: number;
  /** by=column: the overdue cells the lines add up to. */
  cells?: number;
  semester: { id: number };
  items: Array<{
    teacher: { id: number; name: string };
    class: { id: number; name: string };
    subject: { id: number; name: string };
    student?: { id: number; code: string; fullName: string };
    students?: number;
    someStudents?: string[];
    column: string;
    due: string;
    overdueHours: number;
    overdueText: string;
    assumedTestDate?: boolean;
  }>;
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * Tiến độ nhập điểm: how complete the required scores are per teacher, class, subject or department for the
 * semester and the current week, with what is overdue and by how much (server/progress, docs/progress.md).
 */
export function ProgressPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const choices = useGradebookChoices();
  const [params, setParams] = useSearchParams();
  const view = (params.get('view') ?? 'teacher') as GroupBy | 'overdue';
  // Chasing late entry: the most overdue first unless asked A to Z; the overdue list one line per column.
  const sort = params.get('sort') === 'name' ? 'name' : 'late';
  const by = params.get('by') === 'cell' ? 'cell' : 'column';
  const semesterId = num(params.get('semesterId'));
  // From the deadline dashboard: one teacher's grade books, opened (each links to its grid).
  const teacherId = num(params.get('teacherId'));
  const [data, setData] = useState<Progress | null>(null);
  const [overdue, setOverdue] = useState<Overdue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    setError(null);
    setData(null);
    setOverdue(null);
    const sem = (semesterId ? `&semesterId=${semesterId}` : '') + (teacherId ? `&teacherId=${teacherId}` : '');
    const req =
      view === 'overdue'
        ? apiCall<Overdue>(`/progress/overdue?by=${by}&limit=300${sem}`).then(setOverdue)
        : apiCall<Progress>(`/progress?groupBy=${view}&sort=${sort}${sem}`).then((d) => {
            setData(d);
            if (teacherId && d.rows.length === 1) setOpen(d.rows[0].key);
          });
    req.catch((e) => setError(errorBody(e).message));
  }, [view, semesterId, teacherId, sort, by]);

  const filterQuery = (semesterId ? `&semesterId=${semesterId}` : '') + (teacherId ? `&teacherId=${teacherId}` : '');
  const set = (next: Record<string, string>) =>
    setParams({ view, sort, by, ...(semesterId ? { semesterId: String(semesterId) } : {}), ...(teacherId ? { teacherId: String(teacherId) } : {}), ...next });
  const bookLink = (classId: number, subjectId: number, semester: number) => `/gradebook?classId=${classId}&subjectId=${subjectId}&semesterId=${semester}`;

  return (
    // minmax(0, 1fr): wide tables scroll inside the page, never widen it (a 390 px phone).
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title={translate('app.progress.title')} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={{ xs: 1, md: 2 }} sx={{ alignItems: { md: 'center' }, mb: 1 }}>
        <Tabs value={view} onChange={(_, v) => set({ view: v })} variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile sx={{ flex: 1, minWidth: 0 }}>
          {GROUPS.map((g) => (
            <Tab key={g} value={g} label={translate(`app.progress.by.${g}`)} />
          ))}
          <Tab value="overdue" label={translate('app.progress.overdue_tab')} />
        </Tabs>
        {view === 'overdue' ? (
          <ToggleButtonGroup size="small" exclusive value={by} onChange={(_, v) => v && set({ by: v })} data-testid="overdue-by">
            <ToggleButton value="column">{translate('app.progress.by_column')}</ToggleButton>
            <ToggleButton value="cell">{translate('app.progress.by_cell')}</ToggleButton>
          </ToggleButtonGroup>
        ) : (
          <ToggleButtonGroup size="small" exclusive value={sort} onChange={(_, v) => v && set({ sort: v })} data-testid="progress-sort">
            <ToggleButton value="late">{translate('app.progress.sort_late')}</ToggleButton>
            <ToggleButton value="name">{translate('app.progress.sort_name')}</ToggleButton>
          </ToggleButtonGroup>
        )}
        <SemesterSelect semesters={choices.semesters} value={semesterId ?? choices.current?.id ?? ''} onChange={(id) => set({ semesterId: String(id) })} sx={{ width: { xs: '100%', md: 160 }, flexShrink: 0 }} />
        {/* What the page shows: this grouping (or the overdue list, per column or per cell), this semester and teacher. */}
        <ExportButton path={data || overdue ? (view === 'overdue' ? `/exports/overdue.xlsx?by=${by}${filterQuery}` : `/exports/progress.xlsx?groupBy=${view}&sort=${sort}${filterQuery}`) : null} />
      </Stack>
      {teacherId && (
        <Chip
          sx={{ mb: 1 }}
          color="primary"
          variant="outlined"
          label={translate('app.progress.one_teacher', { name: data?.rows[0]?.label ?? '…' })}
          onDelete={() => setParams({ view, ...(semesterId ? { semesterId: String(semesterId) } : {}) })}
          data-testid="progress-teacher-filter"
        />
      )}
      {error && <Alert severity="error">{error}</Alert>}
      {!error && !data && !overdue && <CircularProgress sx={{ m: 4 }} />}
      {data && (
        <>
          <Card sx={{ mb: 1 }} data-testid="progress-totals">
            <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
              <Stack direction={{ xs: 'column', md: 'row' }} spacing={3} sx={{ alignItems: { md: 'center' } }}>
                <Box sx={{ flex: 1 }}>
                  <Typography variant="subtitle2">{translate('app.progress.semester_total')}</Typography>
                  <Bar figures={data.totals} />
                </Box>
                <Box sx={{ flex: 1 }}>
                  <Typography variant="subtitle2">
                    {translate('app.progress.this_week', { until: formatDateTime(data.week.until, locale) })}
                  </Typography>
                  <Bar figures={data.totals.week} />
                </Box>
                <OverdueChip figures={data.totals} />
              </Stack>
            </CardContent>
          </Card>
          {data.rows.length === 0 ? (
            <Alert severity="info">{translate('app.progress.empty')}</Alert>
          ) : (
            <Box sx={{ overflowX: 'auto' }}>
            <Table size="small" sx={{ bgcolor: 'background.paper' }}>
              <TableHead>
                <TableRow>
                  <TableCell />
                  <TableCell>{translate(`app.progress.by.${view}`)}</TableCell>
                  <TableCell sx={{ width: '28%' }}>{translate('app.progress.semester_total')}</TableCell>
                  <TableCell sx={{ width: '22%' }}>{translate('app.progress.week')}</TableCell>
                  <TableCell>{translate('app.progress.overdue')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.rows.map((r) => (
                  <Fragment key={r.key}>
                    <TableRow sx={r.overdueCells > 0 ? { bgcolor: '#fff4f4' } : undefined} data-testid="progress-row">
                      <TableCell padding="checkbox">
                        {r.items && r.items.length > 0 && (
                          <IconButton size="small" onClick={() => setOpen(open === r.key ? null : r.key)} aria-label={translate('app.progress.details')}>
                            {open === r.key ? <ExpandLessIcon /> : <ExpandMoreIcon />}
                          </IconButton>
                        )}
                      </TableCell>
                      <TableCell>{r.label}</TableCell>
                      <FigureCells figures={r} />
                    </TableRow>
                    {open === r.key &&
                      r.items?.map((it) => (
                        <TableRow key={`${it.classId}:${it.subjectName}`} sx={{ '& td': { color: 'text.secondary', fontSize: 13 } }}>
                          <TableCell />
                          <TableCell sx={{ pl: 4 }}>
                            <MuiLink component={RouterLink} to={bookLink(it.classId, it.subjectId, data.semester.id)} data-testid="progress-item-link">
                              {it.className} · {it.subjectName}
                            </MuiLink>{' '}
                            · {it.teacherName}
                          </TableCell>
                          <FigureCells figures={it} />
                        </TableRow>
                      ))}
                  </Fragment>
                ))}
              </TableBody>
            </Table>
            </Box>
          )}
        </>
      )}
      {overdue &&
        (overdue.items.length === 0 ? (
          <Alert severity="success">{translate('app.progress.nothing_overdue')}</Alert>
        ) : (
          <>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {overdue.by === 'column'
                ? translate('app.progress.overdue_columns_total', { count: formatInteger(overdue.total, locale), cells: formatInteger(overdue.cells ?? 0, locale), shown: overdue.items.length })
                : translate('app.progress.overdue_total', { count: formatInteger(overdue.total, locale), shown: overdue.items.length })}
            </Typography>
            <Box sx={{ overflowX: 'auto' }}>
            <Table size="small" sx={{ bgcolor: 'background.paper' }} data-testid="overdue-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.progress.teacher_col')}</TableCell>
                  <TableCell>{translate('app.progress.gradebook')}</TableCell>
                  {overdue.by === 'cell' && <TableCell>{translate('app.gradebook.student')}</TableCell>}
                  <TableCell>{translate('app.gradebook.column')}</TableCell>
                  {overdue.by === 'column' && <TableCell>{translate('app.progress.students_missing')}</TableCell>}
                  <TableCell>{translate('app.progress.due')}</TableCell>
                  <TableCell>{translate('app.progress.overdue')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {overdue.items.map((o, i) => (
                  <TableRow key={i} data-testid="overdue-row">
                    <TableCell>{o.teacher.name}</TableCell>
                    <TableCell>
                      <MuiLink component={RouterLink} to={bookLink(o.class.id, o.subject.id, overdue.semester.id)} data-testid="overdue-link">
                        {o.class.name} · {o.subject.name}
                      </MuiLink>
                    </TableCell>
                    {overdue.by === 'cell' && <TableCell>{o.student?.fullName}</TableCell>}
                    <TableCell>
                      {o.column}
                      {o.assumedTestDate && <Chip size="small" variant="outlined" sx={{ ml: 1 }} label={translate('app.progress.no_test_date')} />}
                    </TableCell>
                    {overdue.by === 'column' && (
                      <TableCell title={o.someStudents?.join(', ')}>
                        {translate('app.progress.n_students', { count: o.students ?? 0 })}
                        {o.someStudents && o.someStudents.length > 0 && (
                          <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                            {o.someStudents.join(', ')}
                            {(o.students ?? 0) > o.someStudents.length ? '…' : ''}
                          </Typography>
                        )}
                      </TableCell>
                    )}
                    <TableCell>{formatDateTime(o.due, locale)}</TableCell>
                    <TableCell sx={{ color: 'error.main', fontWeight: 600 }}>{translate('app.progress.overdue_days', { days: Math.floor(o.overdueHours / 24) })}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            </Box>
          </>
        ))}
    </Box>
  );
}

/** A row's three figure cells: the semester so far, this week, and what is overdue. */
function FigureCells({ figures }: { figures: Figures }) {
  return (
    <>
      <TableCell>
        <Bar figures={figures} />
      </TableCell>
      <TableCell>
        <Bar figures={figures.week} />
      </TableCell>
      <TableCell>
        <OverdueChip figures={figures} />
      </TableCell>
    </>
  );
}

/** entered / required with a bar; "—" while nothing is required yet. */
function Bar({ figures }: { figures: { required: number; entered: number; percent: number | null } }) {
  const translate = useTranslate();
  const locale = useLocale();
  if (figures.required === 0 || figures.percent === null) return <Typography variant="body2" color="text.secondary">{translate('app.progress.nothing_due')}</Typography>;
  const pct = figures.percent;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <LinearProgress variant="determinate" value={Math.min(100, pct)} color={pct >= 100 ? 'success' : pct >= 80 ? 'primary' : 'warning'} sx={{ flex: 1, height: 8, borderRadius: 4 }} />
      <Typography variant="body2" sx={{ minWidth: 120, fontVariantNumeric: 'tabular-nums' }}>
        {String(pct).replace('.', locale === 'en' ? '.' : ',')}% ({formatInteger(figures.entered, locale)}/{formatInteger(figures.required, locale)})
      </Typography>
    </Stack>
  );
}

/** "quá hạn X ngày": the most overdue cell's lateness, in red, with how many cells are overdue. */
function OverdueChip({ figures }: { figures: { overdueCells: number; maxOverdueHours: number } }) {
  const translate = useTranslate();
  if (figures.overdueCells === 0) return <Chip size="small" color="success" variant="outlined" label={translate('app.progress.on_time')} />;
  return (
    <Chip
      size="small"
      color="error"
      label={`${translate('app.progress.overdue_days', { days: Math.floor(figures.maxOverdueHours / 24) })} · ${translate('app.progress.cells', { count: figures.overdueCells })}`}
    />
  );
}
