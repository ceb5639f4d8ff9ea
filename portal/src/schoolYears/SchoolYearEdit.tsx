import { Edit } from 'react-admin';
import { SchoolYearForm } from './SchoolYearForm';

export const SchoolYearEdit = () => (
  <Edit mutationMode="pessimistic">
    <SchoolYearForm />
  </Edit>
);
