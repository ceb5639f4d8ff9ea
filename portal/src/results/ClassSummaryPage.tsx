import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import { Title, useGetIdentity, useLocale, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { canReadClassResults, type Principal } from '../../../domain/permissions';
import { apiCall, errorBody } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { formatDateTime } from '../format';
import { ExportButton } from '../common/ExportButton';
import { displayValue } from '../common/scores';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { YearSelect } from '../common/YearSelect';

type Period = '1' | '2' | 'year';
type Counts = Record<string, number>;
interface SubjectCell {
  hk1?: string | null;
  hk2?: string | null;
  year?: string | null;
  retest?: string | null;
  final?: string | null;
}
interface SummaryRow {
  student: { id: number; code: string; fullName: string };
  inputProblem?: string | null;
  subjects: Record<string, SubjectCell>;
  learning: Record<string, string | null>;
  conduct: Record<string, string | null>;
  absences: number | null;
  decision?: string;
  retestSubjects?: string[];
  summerTraining?: boolean;
  award?: string | null;
}
/** GET /api/results/class-summary (server/results/summary.ts). */
export interface ClassSummary {
  class: { id: number; name: string; grade: number };
  schoolYearId: number;
  semester: Period;
  subjects: Array<{ id: number; code: string; name: string; kind: 'scored' | 'comment' }>;
  rows: SummaryRow[];
  counts: { learning: Counts; conduct: Counts; learningFinal?: Counts; conductFinal?: Counts; decisions?: Counts; awards?: Counts };
  computedAt: string | null;
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : null);
const LEVEL_ORDER = ['T', 'K', 'D', 'CD', 'incomplete'];

/**
 * Bảng tổng hợp kết quả đánh giá: every subject's result per student, the learning and conduct levels, absences,
 * and for the year the decision and award (TT22 Điều 8–15), with the count per level. Computed by the server.
 */
export function ClassSummaryPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const [params, setParams] = useSearchParams();
  const choices = useGradebookChoices(num(params.get('yearId')));
  const yearId = choices.year?.id;
  const pastYear = choices.year && !choices.year.isCurrent;
  /** Moves to another class, period or year, keeping the rest (a new year starts at its own first class). */
  const go = (next: { classId?: number | null; period?: string; yearId?: number }) => {
    const out: Record<string, string> = {};
    const y = next.yearId ?? yearId;
    if (y) out.yearId = String(y);
    const c = next.yearId && next.yearId !== yearId ? null : (next.classId ?? classId);
    if (c) out.classId = String(c);
    const p = next.period ?? (next.yearId && next.yearId !== yearId ? undefined : period);
    if (p) out.period = p;
    setParams(out);
  };
  const classes = useMemo(() => (principal ? choices.allClasses.filter((c) => canReadClassResults(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade })) : []), [principal, choices.allClasses]);
  const classId = num(params.get('classId'));
  const period = (['1', '2', 'year'].includes(params.get('period') ?? '') ? params.get('period') : null) as Period | null;
  const [data, setData] = useState<ClassSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (choices.loading || (classId && period)) return;
    const own = classes.find((c) => choices.homeroomClassIds.includes(c.id)) ?? classes[0];
    // A past year opens on the whole year (its results are final); the current one on the semester under way.
    const p: Period = period ?? (pastYear ? 'year' : choices.current?.number === 2 ? '2' : '1');
    if (own) setParams({ ...(yearId ? { yearId: String(yearId) } : {}), classId: String(classId ?? own.id), period: p }, { replace: true });
  }, [choices, classes, classId, period, setParams, pastYear, yearId]);

  useEffect(() => {
    if (!classId || !period || !yearId || !classes.some((c) => c.id === classId)) return;
    setData(null);
    setError(null);
    apiCall<ClassSummary>(`/results/class-summary?classId=${classId}&schoolYearId=${yearId}&semester=${period}`)
      .then(setData)
      .catch((e) => setError(errorBody(e).message));
  }, [classId, period, yearId, classes]);
  // The current year with nothing computed yet (a new school, or November): point to the last finished year.
  const earlier = choices.years.find((y) => !y.isCurrent && choices.year?.isCurrent && y.startDate < choices.year.startDate);
  const nothingYet = !!data && data.rows.length > 0 && (data.counts.learning.incomplete ?? 0) === data.rows.length;

  const key = period === '1' ? 'hk1' : period === '2' ? 'hk2' : 'year';
  const level = (l: string | null | undefined) => (l ? translate(`app.choices.result.${l}`) : '—');

  return (
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title={translate('app.results.summary_title')} />
      <Card sx={{ mb: 1 }}>
        <CardContent sx={{ pb: '12px !important' }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <YearSelect years={choices.years} value={yearId} onChange={(id) => go({ yearId: id })} />
            <TextField select size="small" label={translate('app.gradebook.class')} value={classId && classes.some((c) => c.id === classId) ? classId : ''} onChange={(e) => go({ classId: Number(e.target.value) })} sx={{ minWidth: 140 }}>
              {classes.map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={translate('app.results.period')} value={period ?? ''} onChange={(e) => go({ period: e.target.value })} sx={{ minWidth: 160 }}>
              <MenuItem value="1">{translate('app.choices.semester.1')}</MenuItem>
              <MenuItem value="2">{translate('app.choices.semester.2')}</MenuItem>
              <MenuItem value="year">{translate('app.results.whole_year')}</MenuItem>
            </TextField>
            <Box sx={{ flex: 1 }} />
            <Box sx={{ alignSelf: 'center' }}>
              <ExportButton path={data && classId && period && yearId ? `/exports/class-summary.xlsx?classId=${classId}&schoolYearId=${yearId}&semester=${period}` : null} />
            </Box>
          </Stack>
        </CardContent>
      </Card>
      {!choices.loading && classes.length === 0 && <Alert severity="info">{translate('app.results.nothing')}</Alert>}
      {error && <Alert severity="error">{error}</Alert>}
      {nothingYet && earlier && (
        <Alert
          severity="info"
          sx={{ mb: 1 }}
          data-testid="summary-nothing-yet"
          action={
            <Button color="inherit" size="small" onClick={() => go({ yearId: earlier.id })}>
              {translate('app.results.see_year', { name: earlier.name })}
            </Button>
          }
        >
          {translate('app.results.nothing_yet', { name: earlier.name })}
        </Alert>
      )}
      {classId && period && !data && !error && <CircularProgress sx={{ m: 4 }} />}
      {data && (
        <>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }} data-testid="summary-counts">
            <CountCard title={translate('app.results.learning')} counts={period === 'year' ? (data.counts.learningFinal ?? data.counts.learning) : data.counts.learning} />
            <CountCard title={translate('app.results.conduct')} counts={period === 'year' ? (data.counts.conductFinal ?? data.counts.conduct) : data.counts.conduct} />
            {period === 'year' && data.counts.decisions && (
              <Card variant="outlined" sx={{ minWidth: 220 }}>
                <CardContent sx={{ py: 1, '&:last-child': { pb: 1 } }}>
                  <Typography variant="subtitle2">{translate('app.results.decision_title')}</Typography>
                  {Object.entries(data.counts.decisions).map(([d, n]) => (
                    <Typography key={d} variant="body2">
                      {translate(`app.results.decision.${d}`)}: <strong>{n}</strong>
                    </Typography>
                  ))}
                </CardContent>
              </Card>
            )}
          </Stack>
          <Box sx={{ overflow: 'auto', maxHeight: 'calc(100vh - 330px)', border: 1, borderColor: 'divider', borderRadius: 1 }}>
            <Box component="table" sx={sheetSx}>
              <thead>
                <tr>
                  <th>{translate('app.gradebook.no')}</th>
                  <th className="name">{translate('app.gradebook.student')}</th>
                  {data.subjects.map((s) => (
                    <th key={s.code} className="subject" title={s.name}>
                      {s.name}
                    </th>
                  ))}
                  <th>{translate('app.results.learning')}</th>
                  <th>{translate('app.results.conduct')}</th>
                  <th>{translate('app.results.absences')}</th>
                  {period === 'year' && <th>{translate('app.results.decision_title')}</th>}
                  {period === 'year' && <th>{translate('app.results.award_title')}</th>}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r, i) => (
                  <tr key={r.student.id}>
                    <td>{i + 1}</td>
                    <td className="name">{r.student.fullName}</td>
                    {data.subjects.map((s) => {
                      const c = r.subjects[s.code] ?? {};
                      const retested = period === 'year' && c.retest != null;
                      return (
                        <td key={s.code} title={retested ? translate('app.results.retest_note', { original: displayValue(c.year ?? null, locale), retest: displayValue(c.retest ?? null, locale) }) : undefined}>
                          {displayValue((period === 'year' ? c.final : c[key as 'hk1' | 'hk2']) ?? null, locale)}
                          {retested && <sup>*</sup>}
                        </td>
                      );
                    })}
                    <td>{level(period === 'year' ? (r.learning.final ?? r.learning.year) : r.learning[key])}</td>
                    <td>{level(period === 'year' ? (r.conduct.final ?? r.conduct.year) : r.conduct[key])}</td>
                    <td>{r.absences ?? ''}</td>
                    {period === 'year' && <td>{r.decision ? translate(`app.results.decision.${r.decision}`) : ''}</td>}
                    {period === 'year' && <td>{r.award ? translate(`app.results.award.${r.award}`) : ''}</td>}
                  </tr>
                ))}
              </tbody>
            </Box>
          </Box>
          {data.computedAt && (
            <Typography variant="caption" color="text.secondary">
              {translate('app.results.computed_at', { time: formatDateTime(data.computedAt, locale) })}
              {period === 'year' ? ` · ${translate('app.results.retest_legend')}` : ''}
            </Typography>
          )}
        </>
      )}
    </Box>
  );
}

function CountCard({ title, counts }: { title: string; counts: Counts }) {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ minWidth: 260 }}>
      <CardContent sx={{ py: 1, '&:last-child': { pb: 1 } }}>
        <Typography variant="subtitle2" gutterBottom>
          {title}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {LEVEL_ORDER.filter((l) => l in counts).map((l) => (
            <Chip key={l} size="small" variant={l === 'incomplete' ? 'outlined' : 'filled'} label={`${l === 'incomplete' ? translate('app.results.incomplete') : translate(`app.choices.result.${l}`)}: ${counts[l]}`} />
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}

const sheetSx = {
  borderCollapse: 'separate',
  borderSpacing: 0,
  width: '100%',
  fontSize: 13,
  bgcolor: 'background.paper',
  fontVariantNumeric: 'tabular-nums',
  '& th': { position: 'sticky', top: 0, bgcolor: 'grey.100', fontWeight: 600, zIndex: 1 },
  '& th, & td': { borderRight: '1px solid', borderBottom: '1px solid', borderColor: 'divider', px: 0.75, py: 0.5, textAlign: 'center', whiteSpace: 'nowrap' },
  '& .name': { textAlign: 'left', position: 'sticky', left: 0, bgcolor: 'background.paper', minWidth: 180 },
  '& th.name': { bgcolor: 'grey.100', zIndex: 2 },
  // Subject names, not codes: wrapped in a narrow column, so "Ngoại ngữ 1 (Tiếng Anh)" takes two lines, not 180 px.
  '& th.subject': { whiteSpace: 'normal', minWidth: 56, maxWidth: 92, fontSize: 12, lineHeight: 1.2, verticalAlign: 'bottom' },
} as const;
