import { Create } from 'react-admin';
import { TeachingAssignmentForm } from './TeachingAssignmentForm';

export const TeachingAssignmentCreate = () => (
  <Create redirect="list">
    <TeachingAssignmentForm />
  </Create>
);
