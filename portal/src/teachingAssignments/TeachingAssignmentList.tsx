import { DataTable, List, SearchInput } from 'react-admin';
import { RefColumn } from '../common/columns';
import { ClassInput, SchoolYearInput, StaffInput, SubjectInput, useCanList } from '../common/references';

export const TeachingAssignmentList = () => {
  const canListStaff = useCanList('staff');
  const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    <SchoolYearInput key="schoolYearId" alwaysOn />,
    <ClassInput key="classId" alwaysOn />,
    <SubjectInput key="subjectId" />,
    ...(canListStaff ? [<StaffInput key="staffId" />] : []),
  ];
  return (
  <List filters={filters} exporter={false}>
    <DataTable>
      <DataTable.Col source="className" label="resources.teaching-assignments.fields.classId" />
      <DataTable.Col source="grade" />
      <DataTable.Col source="subjectName" label="resources.teaching-assignments.fields.subjectId" />
      <DataTable.Col source="staffName" label="resources.teaching-assignments.fields.staffId" />
      <RefColumn source="schoolYearId" reference="school-years" />
    </DataTable>
  </List>
  );
};
