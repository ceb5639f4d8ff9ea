import { Create } from 'react-admin';
import { SemesterForm } from './SemesterForm';

export const SemesterCreate = () => (
  <Create redirect="list">
    <SemesterForm />
  </Create>
);
