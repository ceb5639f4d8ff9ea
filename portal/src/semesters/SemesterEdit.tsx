import { Edit } from 'react-admin';
import { SemesterForm } from './SemesterForm';

export const SemesterEdit = () => (
  <Edit mutationMode="pessimistic">
    <SemesterForm />
  </Edit>
);
