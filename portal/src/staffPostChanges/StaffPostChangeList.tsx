import { DataTable, List } from 'react-admin';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { StaffInput } from '../common/references';

const filters = [<StaffInput key="staffId" alwaysOn />];

export const StaffPostChangeList = () => (
  <List filters={filters} sort={{ field: 'effectiveDate', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <DateColumn source="effectiveDate" />
      <RefColumn source="staffId" reference="staff" />
      <ChoiceColumn source="fromPost" group="post" />
      <ChoiceColumn source="toPost" group="post" />
      <RefColumn source="fromDepartmentId" reference="departments" />
      <RefColumn source="toDepartmentId" reference="departments" />
    </DataTable>
  </List>
);
