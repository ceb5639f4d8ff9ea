import {
  DataTable,
  NumberField,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
} from 'react-admin';
import { ChoiceColumn, DateColumn } from '../common/columns';
import { Ref, useCanList } from '../common/references';
import { RelatedTable } from '../common/RelatedTable';

/** A class, its students (those the viewer may see) and its teaching assignments. */
export const ClassShow = () => {
  const canListStudents = useCanList('students');
  return (
    <Show>
      <TabbedShowLayout>
        <Tab label="ra.message.details">
          <TextField source="name" />
          <TextField source="grade" />
          <Ref source="schoolYearId" reference="school-years" />
          <Ref source="homeroomStaffId" reference="staff" />
          <NumberField source="studentCount" />
        </Tab>
        {canListStudents && (
          <Tab label="resources.students.name" path="students">
            <RelatedTable reference="students" target="classId" sort={{ field: 'fullName', order: 'ASC' }} perPage={100}>
              <DataTable.Col source="studentCode" />
              <DataTable.Col source="fullName" />
              <DateColumn source="birthDate" />
              <ChoiceColumn source="sex" group="sex" />
              <ChoiceColumn source="status" group="studentStatus" />
            </RelatedTable>
          </Tab>
        )}
        <Tab label="resources.teaching-assignments.name" path="assignments">
          <RelatedTable reference="teaching-assignments" target="classId" perPage={50}>
            <DataTable.Col source="subjectName" label="resources.teaching-assignments.fields.subjectId" />
            <DataTable.Col source="staffName" label="resources.teaching-assignments.fields.staffId" />
          </RelatedTable>
        </Tab>
      </TabbedShowLayout>
    </Show>
  );
};
