import { DataTable, List } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref, StaffInput } from '../common/references';

const filters = [<StaffInput key="staffId" alwaysOn />];

export const StaffPostChangeList = () => (
  <List filters={filters} sort={{ field: 'effectiveDate', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <DataTable.Col source="effectiveDate">
        <DateField source="effectiveDate" />
      </DataTable.Col>
      <DataTable.Col source="staffId">
        <Ref source="staffId" reference="staff" />
      </DataTable.Col>
      <DataTable.Col source="fromPost">
        <ChoiceField source="fromPost" group="post" />
      </DataTable.Col>
      <DataTable.Col source="toPost">
        <ChoiceField source="toPost" group="post" />
      </DataTable.Col>
      <DataTable.Col source="fromDepartmentId">
        <Ref source="fromDepartmentId" reference="departments" />
      </DataTable.Col>
      <DataTable.Col source="toDepartmentId">
        <Ref source="toDepartmentId" reference="departments" />
      </DataTable.Col>
    </DataTable>
  </List>
);
