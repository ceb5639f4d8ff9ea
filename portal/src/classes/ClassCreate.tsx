import { Create } from 'react-admin';
import { ClassForm } from './ClassForm';

export const ClassCreate = () => (
  <Create redirect="show">
    <ClassForm />
  </Create>
);
