import {
  DataTable,
  NumberField,
  ReferenceManyField,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
  useCanAccess,
} from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

/** A class, its students (those the viewer may see) and its teaching assignments. */
export const ClassShow = () => {
  const { canAccess: canListStudents } = useCanAccess({ resource: 'students', action: 'list' });
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
            <ReferenceManyField reference="students" target="classId" sort={{ field: 'fullName', order: 'ASC' }} perPage={100}>
              <DataTable bulkActionButtons={false} rowClick="show">
                <DataTable.Col source="studentCode" />
                <DataTable.Col source="fullName" />
                <DataTable.Col source="birthDate">
                  <DateField source="birthDate" />
                </DataTable.Col>
                <DataTable.Col source="sex">
                  <ChoiceField source="sex" group="sex" />
                </DataTable.Col>
                <DataTable.Col source="status">
                  <ChoiceField source="status" group="studentStatus" />
                </DataTable.Col>
              </DataTable>
            </ReferenceManyField>
          </Tab>
        )}
        <Tab label="resources.teaching-assignments.name" path="assignments">
          <ReferenceManyField reference="teaching-assignments" target="classId" perPage={50}>
            <DataTable bulkActionButtons={false} rowClick="show">
              <DataTable.Col source="subjectName" label="resources.teaching-assignments.fields.subjectId" />
              <DataTable.Col source="staffName" label="resources.teaching-assignments.fields.staffId" />
            </DataTable>
          </ReferenceManyField>
        </Tab>
      </TabbedShowLayout>
    </Show>
  );
};
