import { DataTable, List } from 'react-admin';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { SchoolYearInput } from '../common/references';

const filters = [<SchoolYearInput key="schoolYearId" alwaysOn />];

export const SemesterList = () => (
  <List filters={filters} sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <RefColumn source="schoolYearId" reference="school-years" />
      <ChoiceColumn source="number" group="semester" />
      <DateColumn source="startDate" />
      <DateColumn source="endDate" />
    </DataTable>
  </List>
);
