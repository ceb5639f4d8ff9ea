import { DataTable, List, SelectInput } from 'react-admin';
import { ENROLMENT_STATUS_CHOICES } from '../common/choices';
import { ChoiceField, DateField } from '../common/fields';
import { ClassInput, Ref, SchoolYearInput, StudentInput } from '../common/references';

const filters = [
  <SchoolYearInput key="schoolYearId" alwaysOn />,
  <ClassInput key="classId" alwaysOn />,
  <StudentInput key="studentId" />,
  <SelectInput key="status" source="status" choices={ENROLMENT_STATUS_CHOICES} />,
];

export const EnrolmentList = () => (
  <List filters={filters} sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <DataTable.Col source="studentId">
        <Ref source="studentId" reference="students" />
      </DataTable.Col>
      <DataTable.Col source="classId">
        <Ref source="classId" reference="classes" />
      </DataTable.Col>
      <DataTable.Col source="schoolYearId">
        <Ref source="schoolYearId" reference="school-years" />
      </DataTable.Col>
      <DataTable.Col source="startDate">
        <DateField source="startDate" />
      </DataTable.Col>
      <DataTable.Col source="endDate">
        <DateField source="endDate" />
      </DataTable.Col>
      <DataTable.Col source="status">
        <ChoiceField source="status" group="enrolmentStatus" />
      </DataTable.Col>
    </DataTable>
  </List>
);
