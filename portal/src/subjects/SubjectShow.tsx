import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { ChoiceField } from '../common/fields';
import { Ref } from '../common/references';
import { regularAssessmentCount } from '../../../domain/assessment-count';

function PeriodsTable() {
  const record = useRecordContext<{
    periodsPerYear?: Record<string, number> | null;
    regularAssessmentsOverride?: number | null;
    regularAssessments?: Record<string, number> | null;
  }>();
  const translate = useTranslate();
  const entries = Object.entries(record?.periodsPerYear ?? {}).sort(([a], [b]) => Number(a) - Number(b));
  if (entries.length === 0) return <Typography variant="body2">—</Typography>;
  return (
    <Table size="small" sx={{ width: 'auto' }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('resources.classes.fields.grade')}</TableCell>
          <TableCell align="right">{translate('resources.subjects.fields.periodsPerYear')}</TableCell>
          <TableCell align="right">{translate('resources.subjects.fields.regularAssessments')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([grade, periods]) => (
          <TableRow key={grade}>
            <TableCell>{translate('app.choices.grade', { grade })}</TableCell>
            <TableCell align="right">{periods}</TableCell>
            <TableCell align="right">{record?.regularAssessments?.[grade] ?? regularAssessmentCount(periods, record?.regularAssessmentsOverride)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export const SubjectShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="code" />
      <TextField source="name" />
      <ChoiceField source="assessmentType" group="assessmentType" />
      <Ref source="departmentId" reference="departments" />
      <Labeled label="resources.subjects.fields.periodsPerYear">
        <PeriodsTable />
      </Labeled>
      <TextField source="regularAssessmentsOverride" emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
