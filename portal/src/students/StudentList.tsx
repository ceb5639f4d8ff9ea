import { DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { STUDENT_STATUS_CHOICES } from '../common/choices';
import { ChoiceField, DateField } from '../common/fields';
import { ClassInput, useCanList } from '../common/references';

export const StudentList = () => {
  const canListClasses = useCanList('classes');
  const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    ...(canListClasses ? [<ClassInput key="classId" alwaysOn />] : []),
    <SelectInput key="status" source="status" choices={STUDENT_STATUS_CHOICES} />,
  ];
  return (
  <List filters={filters} sort={{ field: 'fullName', order: 'ASC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="studentCode" />
      <DataTable.Col source="fullName" />
      <DataTable.Col source="birthDate">
        <DateField source="birthDate" />
      </DataTable.Col>
      <DataTable.Col source="sex">
        <ChoiceField source="sex" group="sex" />
      </DataTable.Col>
      <DataTable.Col source="className" />
      <DataTable.Col source="status">
        <ChoiceField source="status" group="studentStatus" />
      </DataTable.Col>
    </DataTable>
  </List>
  );
};
