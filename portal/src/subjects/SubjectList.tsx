import { DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { ASSESSMENT_TYPE_CHOICES } from '../common/choices';
import { ChoiceField } from '../common/fields';
import { DepartmentInput, Ref, useCanList } from '../common/references';

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
      <DataTable.Col source="assessmentType">
        <ChoiceField source="assessmentType" group="assessmentType" />
      </DataTable.Col>
      <DataTable.Col source="departmentId">
        <Ref source="departmentId" reference="departments" />
      </DataTable.Col>
    </DataTable>
  </List>
  );
};
