import { Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

export const StaffPostChangeShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="staffId" reference="staff" />
      <DateField source="effectiveDate" />
      <ChoiceField source="fromPost" group="post" />
      <ChoiceField source="toPost" group="post" />
      <Ref source="fromDepartmentId" reference="departments" />
      <Ref source="toDepartmentId" reference="departments" />
      <TextField source="note" emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
