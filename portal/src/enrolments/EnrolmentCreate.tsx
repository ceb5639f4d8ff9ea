import { Create } from 'react-admin';
import { EnrolmentForm } from './EnrolmentForm';

export const EnrolmentCreate = () => (
  <Create redirect="list">
    <EnrolmentForm />
  </Create>
);
