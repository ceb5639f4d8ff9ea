import { required, SelectInput, SimpleForm } from 'react-admin';
import { ENROLMENT_STATUS_CHOICES } from '../common/choices';
import { ClassInput, SchoolYearInput, StudentInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { dateOrder } from '../common/validators';

export const EnrolmentForm = () => (
  <SimpleForm validate={dateOrder('startDate', 'endDate')}>
    <SchoolYearInput validate={required()} />
    <ClassInput validate={required()} />
    <StudentInput validate={required()} />
    <VnDateInput source="startDate" validate={required()} />
    <VnDateInput source="endDate" />
    <SelectInput source="status" choices={ENROLMENT_STATUS_CHOICES} validate={required()} defaultValue="active" />
  </SimpleForm>
);
