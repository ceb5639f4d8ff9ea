import { Edit } from 'react-admin';
import { TeachingAssignmentForm } from './TeachingAssignmentForm';

export const TeachingAssignmentEdit = () => (
  <Edit mutationMode="pessimistic">
    <TeachingAssignmentForm />
  </Edit>
);
