import { Show, SimpleShowLayout, TextField } from 'react-admin';
import { Ref } from '../common/references';

export const TeachingAssignmentShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="schoolYearId" reference="school-years" />
      <Ref source="classId" reference="classes" />
      <TextField source="grade" />
      <Ref source="subjectId" reference="subjects" />
      <Ref source="staffId" reference="staff" />
    </SimpleShowLayout>
  </Show>
);
