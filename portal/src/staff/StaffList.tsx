import { BooleanField, DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { POST_CHOICES, STAFF_STATUS_CHOICES } from '../common/choices';
import { ChoiceField, DateField } from '../common/fields';
import { DepartmentInput, Ref } from '../common/references';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <DepartmentInput key="departmentId" alwaysOn />,
  <SelectInput key="post" source="post" choices={POST_CHOICES} />,
  <SelectInput key="status" source="status" choices={STAFF_STATUS_CHOICES} />,
];

export const StaffList = () => (
  <List filters={filters} filterDefaultValues={{ status: 'active' }} sort={{ field: 'fullName', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="fullName" />
      <DataTable.Col source="birthDate">
        <DateField source="birthDate" />
      </DataTable.Col>
      <DataTable.Col source="post">
        <ChoiceField source="post" group="post" />
      </DataTable.Col>
      <DataTable.Col source="departmentId">
        <Ref source="departmentId" reference="departments" />
      </DataTable.Col>
      <DataTable.Col source="phone" disableSort />
      <DataTable.Col source="status">
        <ChoiceField source="status" group="staffStatus" />
      </DataTable.Col>
      <DataTable.Col source="hasAccount" disableSort>
        <BooleanField source="hasAccount" looseValue />
      </DataTable.Col>
    </DataTable>
  </List>
);
