import { MenuItem, TextField, type SxProps, type Theme } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SemesterChoice } from './useGradebookChoices';

/** Học kỳ I / II of the current school year, as a small select (grade book, progress). */
export function SemesterSelect({
  semesters,
  value,
  onChange,
  sx,
}: {
  semesters: SemesterChoice[];
  value: number | '';
  onChange: (semesterId: number) => void;
  sx?: SxProps<Theme>;
}) {
  const translate = useTranslate();
  return (
    <TextField select size="small" label={translate('app.gradebook.semester')} value={value} onChange={(e) => onChange(Number(e.target.value))} sx={sx}>
      {semesters.map((s) => (
        <MenuItem key={s.id} value={s.id}>
          {translate(`app.choices.semester.${s.number}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}
