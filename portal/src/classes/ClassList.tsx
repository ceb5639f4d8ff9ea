import { DataTable, List, NumberField, SearchInput, SelectInput } from 'react-admin';
import { gradeChoices } from '../common/choices';
import { RefColumn } from '../common/columns';
import { SchoolYearInput } from '../common/references';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SchoolYearInput key="schoolYearId" alwaysOn />,
  <SelectInput key="grade" source="grade" choices={gradeChoices()} translateChoice={false} />,
];

export const ClassList = () => (
  <List filters={filters} sort={{ field: 'name', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="name" />
      <DataTable.Col source="grade" />
      <RefColumn source="schoolYearId" reference="school-years" />
      <RefColumn source="homeroomStaffId" reference="staff" />
      <DataTable.NumberCol source="studentCount" disableSort>
        <NumberField source="studentCount" />
      </DataTable.NumberCol>
    </DataTable>
  </List>
);
