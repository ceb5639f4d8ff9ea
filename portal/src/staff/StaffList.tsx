import { BooleanField, DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { POST_CHOICES, STAFF_STATUS_CHOICES } from '../common/choices';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { DepartmentInput } from '../common/references';

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
      <DateColumn source="birthDate" />
      <ChoiceColumn source="post" group="post" />
      <RefColumn source="departmentId" reference="departments" />
      <DataTable.Col source="phone" disableSort />
      <ChoiceColumn source="status" group="staffStatus" />
      <DataTable.Col source="hasAccount" disableSort>
        <BooleanField source="hasAccount" looseValue />
      </DataTable.Col>
    </DataTable>
  </List>
);
