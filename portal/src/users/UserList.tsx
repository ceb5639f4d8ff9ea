import { DataTable, List, NullableBooleanInput, SearchInput, SelectInput } from 'react-admin';
import { ROLE_CHOICES } from '../common/choices';
import { DateTimeColumn } from '../common/columns';
import { RolesField } from '../common/fields';
import { UserStatusField } from './UserStatusField';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" label="resources.users.fields.role" choices={ROLE_CHOICES} alwaysOn />,
  <NullableBooleanInput key="disabled" source="disabled" />,
];

export const UserList = () => (
  <List filters={filters} sort={{ field: 'username', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="username" />
      <DataTable.Col source="fullName" />
      <DataTable.Col source="roles" disableSort>
        <RolesField source="roles" />
      </DataTable.Col>
      <DataTable.Col label="app.users.status" disableSort source="disabled">
        <UserStatusField />
      </DataTable.Col>
      <DateTimeColumn source="lastLoginAt" />
    </DataTable>
  </List>
);
