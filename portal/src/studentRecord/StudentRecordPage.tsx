import { Alert, Box, Card, CardContent, Chip, CircularProgress, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useLocale, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { columnLabel, displayValue } from '../common/scores';

type Sem = 'hk1' | 'hk2';
interface SemesterPart {
  scores: Array<{ kind: 'regular' | 'midterm' | 'final'; seq: number; value: string }>;
  comment: string | null;
  average: string | null;
}
interface Conduct {
  level: string | null;
  absencesExcused: number;
  absencesUnexcused: number;
  homeroomComment: string | null;
}
/** GET /api/student-record (server/student-record/record.ts). */
interface StudentRecord {
  children: Array<{ id: number; code: string; fullName: string }>;
  student: { id: number; code: string; fullName: string };
  years: Array<{ id: number; name: string; className: string; isCurrent: boolean }>;
  year: {
    schoolYearId: number;
    name: string;
    class: { id: number; name: string; grade: number };
    subjects: Array<{ id: number; name: string; kind: 'scored' | 'comment'; regularCount: number; hk1: SemesterPart; hk2: SemesterPart; year: string | null }>;
    conduct: Record<Sem, Conduct | null>;
    results: { learning: Record<string, string | null>; conduct: Record<string, string | null>; decision: string; award: string | null } | null;
  } | null;
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * Điểm của con: the screen parents open most. Phone first: one card per subject with its scores as they are
 * entered, the average and the teacher's comment; then conduct and absences; then the year's results.
 */
export function StudentRecordPage() {
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<StudentRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const studentId = num(params.get('studentId'));
  const yearId = num(params.get('yearId'));
  const sem: Sem | 'year' = params.get('sem') === 'hk2' ? 'hk2' : params.get('sem') === 'year' ? 'year' : 'hk1';
  const go = (next: Record<string, string>) => setParams({ ...Object.fromEntries(params), ...next });

  useEffect(() => {
    setError(null);
    const q = new URLSearchParams({ ...(studentId ? { studentId: String(studentId) } : {}), ...(yearId ? { schoolYearId: String(yearId) } : {}) });
    apiCall<StudentRecord>(`/student-record?${q}`)
      .then(setData)
      .catch((e) => setError(errorBody(e).message));
  }, [studentId, yearId]);

  if (error) return <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>;
  if (!data) return <CircularProgress sx={{ m: 4 }} />;
  const year = data.year;
  return (
    <Box sx={{ mt: 1, maxWidth: 720 }} data-testid="student-record">
      <Title title={translate('app.record.title')} />
      <Card sx={{ mb: 1 }}>
        <CardContent sx={{ pb: '12px !important' }}>
          <Typography variant="h6" component="h2">
            {data.student.fullName}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {year ? translate('app.record.class_year', { className: year.class.name, year: year.name }) : translate('app.record.no_class')}
          </Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            {data.children.length > 1 && (
              <TextField select size="small" label={translate('app.record.child')} value={data.student.id} onChange={(e) => setParams({ studentId: e.target.value })}>
                {data.children.map((c) => (
                  <MenuItem key={c.id} value={c.id}>
                    {c.fullName}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {data.years.length > 1 && year && (
              <TextField select size="small" label={translate('app.results.school_year')} value={year.schoolYearId} onChange={(e) => go({ yearId: e.target.value })}>
                {data.years.map((y) => (
                  <MenuItem key={y.id} value={y.id}>
                    {`${y.name} · ${y.className}`}
                  </MenuItem>
                ))}
              </TextField>
            )}
          </Stack>
        </CardContent>
      </Card>
      {year && (
        <>
          <ToggleButtonGroup exclusive fullWidth size="small" value={sem} onChange={(_, v) => v && go({ sem: v })} sx={{ mb: 1, bgcolor: 'background.paper' }}>
            <ToggleButton value="hk1">{translate('app.choices.semester.1')}</ToggleButton>
            <ToggleButton value="hk2">{translate('app.choices.semester.2')}</ToggleButton>
            <ToggleButton value="year">{translate('app.results.whole_year')}</ToggleButton>
          </ToggleButtonGroup>
          {sem === 'year' ? <YearPart year={year} /> : <SemesterPart year={year} sem={sem} />}
        </>
      )}
    </Box>
  );
}

function SemesterPart({ year, sem }: { year: NonNullable<StudentRecord['year']>; sem: Sem }) {
  const translate = useTranslate();
  const locale = useLocale();
  const entered = year.subjects.some((s) => s[sem].scores.length > 0);
  const conduct = year.conduct[sem];
  return (
    <Stack spacing={1}>
      {!entered && <Alert severity="info">{translate('app.record.nothing_yet')}</Alert>}
      {year.subjects.map((s) => {
        const part = s[sem];
        return (
          <Card key={s.id} variant="outlined" data-testid="record-subject">
            <CardContent sx={{ py: 1, '&:last-child': { pb: 1 } }}>
              <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between', gap: 1 }}>
                <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                  {s.name}
                </Typography>
                <Typography variant="subtitle1" sx={{ fontWeight: 700, color: part.average ? 'primary.main' : 'text.disabled' }} title={translate('app.record.average')}>
                  {part.average ? displayValue(part.average, locale) : '—'}
                </Typography>
              </Stack>
              <Stack direction="row" useFlexGap spacing={0.75} sx={{ flexWrap: 'wrap', mt: 0.5 }}>
                {part.scores.length === 0 ? (
                  <Typography variant="body2" color="text.secondary">
                    {translate('app.record.no_scores')}
                  </Typography>
                ) : (
                  part.scores.map((c) => <Chip key={`${c.kind}:${c.seq}`} size="small" variant="outlined" label={`${columnLabel(c.kind, c.seq)}: ${displayValue(c.value, locale)}`} />)
                )}
              </Stack>
              {part.comment && (
                <Typography variant="body2" sx={{ mt: 0.5, fontStyle: 'italic' }}>
                  {part.comment}
                </Typography>
              )}
            </CardContent>
          </Card>
        );
      })}
      <Card variant="outlined" data-testid="record-conduct">
        <CardContent sx={{ py: 1, '&:last-child': { pb: 1 } }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
            {translate('app.record.conduct_title')}
          </Typography>
          {conduct ? (
            <>
              <Typography variant="body2">
                {translate('app.results.conduct')}: <strong>{conduct.level ? translate(`app.choices.result.${conduct.level}`) : '—'}</strong>
              </Typography>
              <Typography variant="body2">{translate('app.record.absences', { excused: conduct.absencesExcused, unexcused: conduct.absencesUnexcused })}</Typography>
              {conduct.homeroomComment && (
                <Typography variant="body2" sx={{ fontStyle: 'italic' }}>
                  {conduct.homeroomComment}
                </Typography>
              )}
            </>
          ) : (
            <Typography variant="body2" color="text.secondary">
              {translate('app.record.no_conduct')}
            </Typography>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}

function YearPart({ year }: { year: NonNullable<StudentRecord['year']> }) {
  const translate = useTranslate();
  const locale = useLocale();
  const r = year.results;
  const level = (l: string | null | undefined) => (l ? translate(`app.choices.result.${l}`) : '—');
  return (
    <Stack spacing={1}>
      <Card variant="outlined" data-testid="record-year">
        <CardContent sx={{ py: 1, '&:last-child': { pb: 1 } }}>
          {!r || r.decision === 'incomplete' ? (
            <Typography color="text.secondary">{translate('app.record.year_not_yet')}</Typography>
          ) : (
            <>
              <Typography variant="body2">
                {translate('app.results.learning')}: <strong>{level(r.learning.final ?? r.learning.year)}</strong>
              </Typography>
              <Typography variant="body2">
                {translate('app.results.conduct')}: <strong>{level(r.conduct.final ?? r.conduct.year)}</strong>
              </Typography>
              <Typography variant="body2">
                {translate('app.results.decision_title')}: <strong>{translate(`app.results.decision.${r.decision}`)}</strong>
              </Typography>
              {r.award && <Chip color="success" size="small" sx={{ mt: 0.5 }} label={translate(`app.results.award.${r.award}`)} />}
            </>
          )}
        </CardContent>
      </Card>
      {year.subjects.map((s) => (
        <Stack key={s.id} direction="row" sx={{ justifyContent: 'space-between', px: 1 }}>
          <Typography variant="body2">{s.name}</Typography>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {s.year ? displayValue(s.year, locale) : '—'}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}
