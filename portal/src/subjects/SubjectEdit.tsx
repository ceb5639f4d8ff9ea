import { Edit } from 'react-admin';
import { SubjectForm } from './SubjectForm';

export const SubjectEdit = () => (
  <Edit mutationMode="pessimistic">
    <SubjectForm />
  </Edit>
);
