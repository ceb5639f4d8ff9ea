import { MenuItem, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { YearChoice } from './useGradebookChoices';

/** The school year a results page looks at: the current one by default, any earlier one to look back. */
export function YearSelect({ years, value, onChange }: { years: YearChoice[]; value: number | undefined; onChange: (id: number) => void }) {
  const translate = useTranslate();
  return (
    <TextField select size="small" label={translate('app.results.school_year')} value={value && years.some((y) => y.id === value) ? value : ''} onChange={(e) => onChange(Number(e.target.value))} sx={{ minWidth: 150 }} data-testid="year-select">
      {years.map((y) => (
        <MenuItem key={y.id} value={y.id}>
          {y.isCurrent ? translate('app.results.current_year', { name: y.name }) : y.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
