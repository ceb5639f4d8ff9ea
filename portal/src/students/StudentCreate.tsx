import { Create } from 'react-admin';
import { StudentForm } from './StudentForm';

export const StudentCreate = () => (
  <Create redirect="show">
    <StudentForm />
  </Create>
);
