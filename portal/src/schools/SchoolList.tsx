import { DataTable, List, SearchInput } from 'react-admin';
import { ChoiceColumn } from '../common/columns';

const filters = [<SearchInput key="q" source="q" alwaysOn />];

export const SchoolList = () => (
  <List filters={filters} sort={{ field: 'name', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="code" />
      <DataTable.Col source="name" />
      <ChoiceColumn source="level" group="level" />
      <DataTable.Col source="province" disableSort />
      <DataTable.Col source="district" disableSort />
      <DataTable.Col source="principalName" disableSort />
    </DataTable>
  </List>
);
