import { DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { ASSESSMENT_TYPE_CHOICES } from '../common/choices';
import { ChoiceColumn, RefColumn } from '../common/columns';
import { DepartmentInput, useCanList } from '../common/references';

export const SubjectList = () => {
  const canListDepartments = useCanList('departments');
  const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    ...(canListDepartments ? [<DepartmentInput key="departmentId" />] : []),
    <SelectInput key="assessmentType" source="assessmentType" choices={ASSESSMENT_TYPE_CHOICES} />,
  ];
  return (
  <List filters={filters} sort={{ field: 'name', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="code" />
      <DataTable.Col source="name" />
      <ChoiceColumn source="assessmentType" group="assessmentType" />
      <RefColumn source="departmentId" reference="departments" />
    </DataTable>
  </List>
  );
};
