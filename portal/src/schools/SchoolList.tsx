import { DataTable, List, SearchInput } from 'react-admin';
import { ChoiceField } from '../common/fields';

const filters = [<SearchInput key="q" source="q" alwaysOn />];

export const SchoolList = () => (
  <List filters={filters} sort={{ field: 'name', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="code" />
      <DataTable.Col source="name" />
      <DataTable.Col source="level">
        <ChoiceField source="level" group="level" />
      </DataTable.Col>
      <DataTable.Col source="province" disableSort />
      <DataTable.Col source="district" disableSort />
      <DataTable.Col source="principalName" disableSort />
    </DataTable>
  </List>
);
