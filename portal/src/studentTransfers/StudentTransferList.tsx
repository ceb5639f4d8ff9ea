import { DataTable, List, SelectInput } from 'react-admin';
import { DIRECTION_CHOICES } from '../common/choices';
import { ChoiceField, DateField } from '../common/fields';
import { Ref, StudentInput } from '../common/references';

const filters = [
  <SelectInput key="direction" source="direction" choices={DIRECTION_CHOICES} alwaysOn />,
  <StudentInput key="studentId" />,
];

export const StudentTransferList = () => (
  <List filters={filters} sort={{ field: 'transferDate', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false}>
      <DataTable.Col source="transferDate">
        <DateField source="transferDate" />
      </DataTable.Col>
      <DataTable.Col source="studentId">
        <Ref source="studentId" reference="students" />
      </DataTable.Col>
      <DataTable.Col source="direction">
        <ChoiceField source="direction" group="direction" />
      </DataTable.Col>
      <DataTable.Col source="otherSchool" disableSort />
      <DataTable.Col source="classId">
        <Ref source="classId" reference="classes" />
      </DataTable.Col>
    </DataTable>
  </List>
);
