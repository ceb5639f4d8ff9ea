import { DataTable, List, SelectInput } from 'react-admin';
import { ENROLMENT_STATUS_CHOICES } from '../common/choices';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { ClassInput, SchoolYearInput, StudentInput } from '../common/references';

const filters = [
  <SchoolYearInput key="schoolYearId" alwaysOn />,
  <ClassInput key="classId" alwaysOn />,
  <StudentInput key="studentId" />,
  <SelectInput key="status" source="status" choices={ENROLMENT_STATUS_CHOICES} />,
];

export const EnrolmentList = () => (
  <List filters={filters} sort={{ field: 'startDate', order: 'DESC' }} exporter={false}>
    <DataTable>
      <RefColumn source="studentId" reference="students" />
      <RefColumn source="classId" reference="classes" />
      <RefColumn source="schoolYearId" reference="school-years" />
      <DateColumn source="startDate" />
      <DateColumn source="endDate" />
      <ChoiceColumn source="status" group="enrolmentStatus" />
    </DataTable>
  </List>
);
