import { Create } from 'react-admin';
import { StaffForm } from './StaffForm';

export const StaffCreate = () => (
  <Create redirect="show">
    <StaffForm />
  </Create>
);
