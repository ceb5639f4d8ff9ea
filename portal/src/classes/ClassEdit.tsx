import { Edit } from 'react-admin';
import { ClassForm } from './ClassForm';

export const ClassEdit = () => (
  <Edit mutationMode="pessimistic">
    <ClassForm />
  </Edit>
);
