import { Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

export const StudentTransferShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="studentId" reference="students" />
      <ChoiceField source="direction" group="direction" />
      <DateField source="transferDate" />
      <TextField source="otherSchool" emptyText="—" />
      <TextField source="reason" emptyText="—" />
      <Ref source="classId" reference="classes" />
    </SimpleShowLayout>
  </Show>
);
