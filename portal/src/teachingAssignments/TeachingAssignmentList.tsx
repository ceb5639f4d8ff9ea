import { DataTable, List } from 'react-admin';
import { ClassInput, Ref, SchoolYearInput, StaffInput, SubjectInput } from '../common/references';

const filters = [
  <SchoolYearInput key="schoolYearId" alwaysOn />,
  <ClassInput key="classId" alwaysOn />,
  <SubjectInput key="subjectId" />,
  <StaffInput key="staffId" />,
];

export const TeachingAssignmentList = () => (
  <List filters={filters} exporter={false}>
    <DataTable>
      <DataTable.Col source="classId">
        <Ref source="classId" reference="classes" />
      </DataTable.Col>
      <DataTable.Col source="grade" />
      <DataTable.Col source="subjectId">
        <Ref source="subjectId" reference="subjects" />
      </DataTable.Col>
      <DataTable.Col source="staffId">
        <Ref source="staffId" reference="staff" />
      </DataTable.Col>
      <DataTable.Col source="schoolYearId">
        <Ref source="schoolYearId" reference="school-years" />
      </DataTable.Col>
    </DataTable>
  </List>
);
