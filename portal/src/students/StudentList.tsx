import { DataTable, List, SearchInput, SelectInput } from 'react-admin';
import { STUDENT_STATUS_CHOICES } from '../common/choices';
import { ChoiceColumn, DateColumn } from '../common/columns';
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
      <DateColumn source="birthDate" />
      <ChoiceColumn source="sex" group="sex" />
      <DataTable.Col source="className" />
      <ChoiceColumn source="status" group="studentStatus" />
    </DataTable>
  </List>
  );
};
