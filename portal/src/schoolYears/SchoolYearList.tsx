import { BooleanField, DataTable, List } from 'react-admin';
import { DateField } from '../common/fields';

export const SchoolYearList = () => (
  <List sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="name" />
      <DataTable.Col source="startDate">
        <DateField source="startDate" />
      </DataTable.Col>
      <DataTable.Col source="endDate">
        <DateField source="endDate" />
      </DataTable.Col>
      <DataTable.Col source="isCurrent">
        <BooleanField source="isCurrent" looseValue />
      </DataTable.Col>
    </DataTable>
  </List>
);
