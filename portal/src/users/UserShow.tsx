import {
  BooleanField,
  EditButton,
  EmailField,
  Labeled,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from 'react-admin';
import { DateTimeField } from '../common/fields';
import { Ref } from '../common/references';
import { GrantList, type GrantLike } from '../common/RoleScope';
import { ResetPasswordButton, UnlockButton } from './userActions';
import { UserStatusField } from './UserStatusField';

const ShowActions = () => (
  <TopToolbar>
    <UnlockButton />
    <ResetPasswordButton />
    <EditButton />
  </TopToolbar>
);

function RolesWithScope() {
  const record = useRecordContext<{ schoolId: number; roles?: GrantLike[] }>();
  if (!record?.roles?.length) return <>—</>;
  return <GrantList grants={record.roles.map((r) => ({ schoolId: record.schoolId, ...r }))} />;
}

export const UserShow = () => (
  <Show actions={<ShowActions />}>
    <SimpleShowLayout>
      <TextField source="username" />
      <TextField source="fullName" />
      <EmailField source="email" emptyText="—" />
      <Labeled label="app.users.status">
        <UserStatusField />
      </Labeled>
      <Ref source="staffId" reference="staff" />
      <Ref source="studentId" reference="students" />
      <Labeled source="roles">
        <RolesWithScope />
      </Labeled>
      <BooleanField source="mustChangePassword" looseValue />
      <BooleanField source="totpEnabled" looseValue />
      <DateTimeField source="lastLoginAt" emptyText="—" />
      <NumberField source="failedLoginCount" />
      <DateTimeField source="lockedUntil" emptyText="—" />
    </SimpleShowLayout>
  </Show>
);
