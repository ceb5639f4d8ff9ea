import { maxLength, regex, required, SimpleForm, TextInput } from 'react-admin';

export const DepartmentForm = () => (
  <SimpleForm>
    <TextInput source="code" validate={[required(), maxLength(32), regex(/^[A-Za-z0-9_.-]+$/)]} helperText="TOAN, NGU-VAN…" />
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
  </SimpleForm>
);
