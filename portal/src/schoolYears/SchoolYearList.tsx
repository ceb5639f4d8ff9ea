import { BooleanField, DataTable, List } from 'react-admin';
import { DateColumn } from '../common/columns';

export const SchoolYearList = () => (
  <List sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="name" />
      <DateColumn source="startDate" />
      <DateColumn source="endDate" />
      <DataTable.Col source="isCurrent">
        <BooleanField source="isCurrent" looseValue />
      </DataTable.Col>
    </DataTable>
  </List>
);
