import { EmailField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceField } from '../common/fields';

export const SchoolShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="code" />
      <TextField source="name" />
      <ChoiceField source="level" group="level" />
      <TextField source="province" emptyText="—" />
      <TextField source="district" emptyText="—" />
      <TextField source="address" emptyText="—" />
      <TextField source="phone" emptyText="—" />
      <EmailField source="email" emptyText="—" />
      <TextField source="principalName" emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
