import { Create } from 'react-admin';
import { SchoolYearForm } from './SchoolYearForm';

export const SchoolYearCreate = () => (
  <Create redirect="show">
    <SchoolYearForm />
  </Create>
);
