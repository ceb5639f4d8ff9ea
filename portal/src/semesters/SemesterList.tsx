import { DataTable, List } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref, SchoolYearInput } from '../common/references';

const filters = [<SchoolYearInput key="schoolYearId" alwaysOn />];

export const SemesterList = () => (
  <List filters={filters} sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="schoolYearId">
        <Ref source="schoolYearId" reference="school-years" />
      </DataTable.Col>
      <DataTable.Col source="number">
        <ChoiceField source="number" group="semester" />
      </DataTable.Col>
      <DataTable.Col source="startDate">
        <DateField source="startDate" />
      </DataTable.Col>
      <DataTable.Col source="endDate">
        <DateField source="endDate" />
      </DataTable.Col>
    </DataTable>
  </List>
);
