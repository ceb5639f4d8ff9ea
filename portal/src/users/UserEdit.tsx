import { Box } from '@mui/material';
import {
  BooleanField,
  BooleanInput,
  Edit,
  email,
  Labeled,
  maxLength,
  NumberField,
  required,
  ShowButton,
  SimpleForm,
  TextInput,
  TopToolbar,
} from 'react-admin';
import { DateTimeField } from '../common/fields';
import { StaffInput, StudentInput } from '../common/references';
import { cleanRoles, RolesInput } from './RolesInput';
import { ResetPasswordButton, UnlockButton } from './userActions';

const EditActions = () => (
  <TopToolbar>
    <UnlockButton />
    <ResetPasswordButton />
    <ShowButton />
  </TopToolbar>
);

/** Only what an editor may change is sent (the security counters are the server's). */
const transform = (data: Record<string, unknown>) => ({
  fullName: data.fullName,
  email: data.email || null,
  staffId: data.staffId ?? null,
  studentId: data.studentId ?? null,
  disabled: data.disabled === true,
  mustChangePassword: data.mustChangePassword === true,
  roles: cleanRoles(data.roles ?? []),
});

export const UserEdit = () => (
  <Edit mutationMode="pessimistic" actions={<EditActions />} transform={transform} redirect="show">
    <SimpleForm>
      <TextInput source="username" disabled />
      <TextInput source="fullName" validate={[required(), maxLength(200)]} sx={{ minWidth: 300 }} />
      <TextInput source="email" type="email" validate={[email(), maxLength(200)]} />
      <StaffInput source="staffId" />
      <StudentInput source="studentId" />
      <BooleanInput source="disabled" helperText="app.users.sessions_note" />
      <BooleanInput source="mustChangePassword" />
      <RolesInput helperText="app.users.sessions_note" />
      <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', mt: 2 }}>
        <Labeled source="totpEnabled">
          <BooleanField source="totpEnabled" looseValue />
        </Labeled>
        <Labeled source="lastLoginAt">
          <DateTimeField source="lastLoginAt" />
        </Labeled>
        <Labeled source="failedLoginCount">
          <NumberField source="failedLoginCount" />
        </Labeled>
        <Labeled source="lockedUntil">
          <DateTimeField source="lockedUntil" />
        </Labeled>
      </Box>
    </SimpleForm>
  </Edit>
);
