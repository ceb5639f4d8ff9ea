import { BooleanInput, required, SimpleForm, TextInput } from 'react-admin';
import { VnDateInput } from '../common/VnDateInput';
import { dateOrder, schoolYearName } from '../common/validators';

export const SchoolYearForm = () => (
  <SimpleForm validate={dateOrder('startDate', 'endDate')}>
    <TextInput source="name" validate={[required(), schoolYearName]} helperText="2026-2027" />
    <VnDateInput source="startDate" validate={required()} />
    <VnDateInput source="endDate" validate={required()} />
    <BooleanInput source="isCurrent" />
  </SimpleForm>
);
