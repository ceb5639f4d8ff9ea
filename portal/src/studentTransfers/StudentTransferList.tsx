import { DataTable, List, SelectInput } from 'react-admin';
import { DIRECTION_CHOICES } from '../common/choices';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { StudentInput } from '../common/references';

const filters = [
  <SelectInput key="direction" source="direction" choices={DIRECTION_CHOICES} alwaysOn />,
  <StudentInput key="studentId" />,
];

export const StudentTransferList = () => (
  <List filters={filters} sort={{ field: 'transferDate', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <DateColumn source="transferDate" />
      <RefColumn source="studentId" reference="students" />
      <ChoiceColumn source="direction" group="direction" />
      <DataTable.Col source="otherSchool" disableSort />
      <RefColumn source="classId" reference="classes" />
    </DataTable>
  </List>
);
