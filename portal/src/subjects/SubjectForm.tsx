import { maxLength, regex, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { ASSESSMENT_TYPE_CHOICES } from '../common/choices';
import { DepartmentInput } from '../common/references';
import { PeriodsPerYearInput } from './PeriodsPerYearInput';

const OVERRIDE_CHOICES = [
  { id: 2, name: '2' },
  { id: 3, name: '3' },
  { id: 4, name: '4' },
];

export const SubjectForm = () => (
  <SimpleForm>
    <TextInput source="code" validate={[required(), maxLength(32), regex(/^[A-Za-z0-9_.-]+$/)]} />
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
    <SelectInput source="assessmentType" choices={ASSESSMENT_TYPE_CHOICES} validate={required()} defaultValue="scored" />
    <DepartmentInput />
    <PeriodsPerYearInput />
    <SelectInput
      source="regularAssessmentsOverride"
      choices={OVERRIDE_CHOICES}
      translateChoice={false}
      emptyText="app.subjects.by_periods"
      parse={(v: unknown) => (v === '' || v === null || v === undefined ? null : Number(v))}
    />
  </SimpleForm>
);
