import { Box, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { useGetList, useTranslate } from 'react-admin';
import { canRequestPrint, canRequestSchoolPrint, type Principal } from '../../../domain/permissions';
import { isClassBook, PRINT_KINDS, type PrintKind } from '../../../domain/printing';
import type { ClassChoice, YearChoice } from '../common/useGradebookChoices';

type Period = '1' | '2' | 'year';

/**
 * The request form of a printed book: the book first, then what it needs — a class and a period for the grade book
 * and the roll-call book, a school year and optionally one grade for the enrolment register. Only the books and
 * classes the signed-in user may request are offered (the server checks the same rules).
 */
export function RequestPrintForm(props: { principal: Principal; schoolId: number; classes: ClassChoice[]; busy: boolean; onRequest: (body: Record<string, unknown>) => void }) {
  const translate = useTranslate();
  const { principal, schoolId } = props;
  const classes = useMemo(() => props.classes.filter((c) => canRequestPrint(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade })), [principal, props.classes]);
  const school = canRequestSchoolPrint(principal, schoolId);
  const kinds = PRINT_KINDS.filter((k) => (isClassBook(k) ? classes.length > 0 : school));
  const [kind, setKind] = useState<PrintKind>(kinds[0] ?? 'gradebook');
  const [classId, setClassId] = useState<number | ''>('');
  const [period, setPeriod] = useState<Period>('1');
  const [yearId, setYearId] = useState<number | ''>('');
  const [grade, setGrade] = useState<number | ''>('');
  const { data: years } = useGetList<YearChoice>('school-years', { pagination: { page: 1, perPage: 100 }, sort: { field: 'startDate', order: 'DESC' } }, { enabled: school });
  const year = yearId === '' ? years?.find((y) => y.isCurrent)?.id ?? years?.[0]?.id : yearId;
  const { data: yearClasses } = useGetList<ClassChoice>('classes', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'name', order: 'ASC' }, filter: { schoolYearId: year } }, { enabled: school && !!year });
  const grades = [...new Set((yearClasses ?? []).map((c) => c.grade))].sort((a, b) => a - b);
  if (kinds.length === 0) return null;

  const ready = isClassBook(kind) ? classId !== '' : !!year;
  const submit = () =>
    props.onRequest(isClassBook(kind) ? { kind, classId, period } : { kind, schoolYearId: year, ...(grade === '' ? {} : { grade }) });
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="subtitle1" gutterBottom>{translate('app.print_runs.request_title')}</Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} alignItems={{ sm: 'center' }}>
          <TextField select size="small" label={translate('app.print_runs.book')} value={kind} onChange={(e) => setKind(e.target.value as PrintKind)} sx={{ minWidth: 220 }} data-testid="print-kind">
            {kinds.map((k) => (
              <MenuItem key={k} value={k}>{translate(`app.print_runs.book_${k}`)}</MenuItem>
            ))}
          </TextField>
          {isClassBook(kind) ? (
            <>
              <TextField select size="small" label={translate('app.print_runs.class')} value={classId} onChange={(e) => setClassId(Number(e.target.value))} sx={{ minWidth: 140 }}>
                {classes.map((c) => (
                  <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>
                ))}
              </TextField>
              <TextField select size="small" label={translate('app.print_runs.period')} value={period} onChange={(e) => setPeriod(e.target.value as Period)} sx={{ minWidth: 140 }}>
                {(['1', '2', 'year'] as const).map((p) => (
                  <MenuItem key={p} value={p}>{translate(`app.print_runs.period_${p}`)}</MenuItem>
                ))}
              </TextField>
            </>
          ) : (
            <>
              <TextField select size="small" label={translate('app.print_runs.school_year')} value={year ?? ''} onChange={(e) => { setYearId(Number(e.target.value)); setGrade(''); }} sx={{ minWidth: 140 }}>
                {(years ?? []).map((y) => (
                  <MenuItem key={y.id} value={y.id}>{y.name}</MenuItem>
                ))}
              </TextField>
              <TextField select size="small" label={translate('app.print_runs.grade')} value={grade === '' ? 'all' : grade} onChange={(e) => setGrade(e.target.value === 'all' ? '' : Number(e.target.value))} sx={{ minWidth: 140 }}>
                <MenuItem value="all">{translate('app.print_runs.whole_school')}</MenuItem>
                {grades.map((g) => (
                  <MenuItem key={g} value={g}>{translate('app.print_runs.grade_n', { grade: g })}</MenuItem>
                ))}
              </TextField>
            </>
          )}
          <Button variant="contained" disabled={props.busy || !ready} onClick={submit} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>{translate('app.print_runs.request')}</Button>
        </Stack>
        <Box sx={{ mt: 1 }}>
          <Typography variant="body2" color="text.secondary">{translate(`app.print_runs.book_help_${kind}`)}</Typography>
        </Box>
      </CardContent>
    </Card>
  );
}
