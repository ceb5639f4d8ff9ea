import { Edit } from 'react-admin';
import { EnrolmentForm } from './EnrolmentForm';

export const EnrolmentEdit = () => (
  <Edit mutationMode="pessimistic">
    <EnrolmentForm />
  </Edit>
);
