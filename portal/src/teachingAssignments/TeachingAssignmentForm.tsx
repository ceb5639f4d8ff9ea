import { required, SimpleForm } from 'react-admin';
import { ClassInput, SchoolYearInput, StaffInput, SubjectInput } from '../common/references';

export const TeachingAssignmentForm = () => (
  <SimpleForm>
    <SchoolYearInput validate={required()} />
    <ClassInput validate={required()} />
    <SubjectInput validate={required()} />
    <StaffInput validate={required()} filter={{ status: 'active' }} />
  </SimpleForm>
);
