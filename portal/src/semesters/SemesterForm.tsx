import { required, SelectInput, SimpleForm } from 'react-admin';
import { SEMESTER_CHOICES } from '../common/choices';
import { SchoolYearInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { dateOrder } from '../common/validators';

export const SemesterForm = () => (
  <SimpleForm validate={dateOrder('startDate', 'endDate')}>
    <SchoolYearInput validate={required()} />
    <SelectInput source="number" choices={SEMESTER_CHOICES} validate={required()} />
    <VnDateInput source="startDate" validate={required()} />
    <VnDateInput source="endDate" validate={required()} />
  </SimpleForm>
);
