import { Edit, email, maxLength, required, SelectInput, SimpleForm, TextInput } from 'react-admin';
import { LEVEL_CHOICES } from '../common/choices';
import { phone } from '../common/validators';

/** Only an admin edits the school; its code and level are set by the operator and shown read only. */
export const SchoolEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="code" disabled />
      <SelectInput source="level" choices={LEVEL_CHOICES} disabled />
      <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
      <TextInput source="province" validate={maxLength(100)} />
      <TextInput source="district" validate={maxLength(100)} />
      <TextInput source="address" validate={maxLength(300)} fullWidth />
      <TextInput source="phone" validate={[maxLength(32), phone]} />
      <TextInput source="email" type="email" validate={[email(), maxLength(200)]} />
      <TextInput source="principalName" validate={maxLength(200)} />
    </SimpleForm>
  </Edit>
);
