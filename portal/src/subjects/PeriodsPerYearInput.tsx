import { Box, FormHelperText, FormLabel, TextField } from '@mui/material';
import { useInput, useTranslate } from 'react-admin';
import { useSchoolGrades } from '../common/useSchool';
import { regularAssessmentCount } from '../../../domain/assessment-count';

type Periods = Record<string, number>;

const validPeriods = (value: unknown) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return 'app.validation.periods';
  for (const v of Object.values(value as Record<string, unknown>)) {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 1000) return 'app.validation.periods';
  }
  return undefined;
};

/**
 * `periodsPerYear` is an object keyed by grade (`{"6": 140, "7": 140}`); one number box per grade of the school's
 * level, with the number of regular assessments it implies. (A plain NumberInput on `periodsPerYear.6` would make
 * react-hook-form build an array.)
 */
export function PeriodsPerYearInput({ source = 'periodsPerYear' }: { source?: string }) {
  const translate = useTranslate();
  const grades = useSchoolGrades();
  const { field, fieldState } = useInput({ source, validate: validPeriods, defaultValue: {} });
  const { field: overrideField } = useInput({ source: 'regularAssessmentsOverride' });
  const value: Periods = (field.value && typeof field.value === 'object' ? field.value : {}) as Periods;

  const setGrade = (grade: number, text: string) => {
    const next: Periods = { ...value };
    const cleaned = text.replace(/\D/g, '');
    if (cleaned === '') delete next[String(grade)];
    else next[String(grade)] = Number(cleaned);
    field.onChange(next);
  };

  return (
    <Box sx={{ my: 1 }}>
      <FormLabel component="legend" sx={{ fontSize: 14 }}>
        {translate('resources.subjects.fields.periodsPerYear')}
      </FormLabel>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mt: 1 }}>
        {grades.map((g) => {
          const periods = value[String(g)];
          const override = typeof overrideField.value === 'number' ? overrideField.value : null;
          const regular = periods ? regularAssessmentCount(periods, override) : null;
          return (
            <TextField
              key={g}
              label={translate('app.subjects.grade_periods', { grade: g })}
              value={periods ?? ''}
              onChange={(e) => setGrade(g, e.target.value)}
              onBlur={field.onBlur}
              sx={{ width: 130 }}
              helperText={regular ? `${translate('resources.subjects.fields.regularAssessments')}: ${regular}` : ' '}
              slotProps={{ htmlInput: { inputMode: 'numeric', 'aria-label': translate('app.subjects.grade_periods', { grade: g }) } }}
            />
          );
        })}
      </Box>
      <FormHelperText error={fieldState.invalid}>
        {fieldState.invalid ? translate('app.validation.periods') : translate('app.subjects.regular_rule')}
      </FormHelperText>
    </Box>
  );
}
