import { Edit } from 'react-admin';
import { StaffForm } from './StaffForm';

export const StaffEdit = () => (
  <Edit mutationMode="pessimistic">
    <StaffForm />
  </Edit>
);
