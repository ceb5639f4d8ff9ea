import {
  BooleanField,
  DataTable,
  EmailField,
  ReferenceManyField,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
  useCanAccess,
} from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

/** A staff member, their teaching assignments and their history of posts. */
export const StaffShow = () => {
  const { canAccess: canListPostChanges } = useCanAccess({ resource: 'staff-post-changes', action: 'list' });
  const { canAccess: canListAssignments } = useCanAccess({ resource: 'teaching-assignments', action: 'list' });
  return (
    <Show>
      <TabbedShowLayout>
        <Tab label="ra.message.details">
          <TextField source="fullName" />
          <TextField source="nationalId" emptyText="—" />
          <DateField source="birthDate" />
          <ChoiceField source="sex" group="sex" />
          <ChoiceField source="post" group="post" />
          <Ref source="departmentId" reference="departments" />
          <TextField source="phone" emptyText="—" />
          <EmailField source="email" emptyText="—" />
          <ChoiceField source="status" group="staffStatus" />
          <BooleanField source="hasAccount" looseValue />
        </Tab>
        {canListAssignments && (
        <Tab label="resources.teaching-assignments.name" path="assignments">
          <ReferenceManyField reference="teaching-assignments" target="staffId" perPage={50}>
            <DataTable bulkActionButtons={false} rowClick="show">
              <DataTable.Col source="schoolYearId">
                <Ref source="schoolYearId" reference="school-years" />
              </DataTable.Col>
              <DataTable.Col source="className" label="resources.teaching-assignments.fields.classId" />
              <DataTable.Col source="subjectName" label="resources.teaching-assignments.fields.subjectId" />
            </DataTable>
          </ReferenceManyField>
        </Tab>
        )}
        {canListPostChanges && (
          <Tab label="resources.staff-post-changes.name" path="posts">
            <ReferenceManyField reference="staff-post-changes" target="staffId" sort={{ field: 'effectiveDate', order: 'DESC' }}>
              <DataTable bulkActionButtons={false} rowClick="show">
                <DataTable.Col source="effectiveDate">
                  <DateField source="effectiveDate" />
                </DataTable.Col>
                <DataTable.Col source="fromPost">
                  <ChoiceField source="fromPost" group="post" />
                </DataTable.Col>
                <DataTable.Col source="toPost">
                  <ChoiceField source="toPost" group="post" />
                </DataTable.Col>
                <DataTable.Col source="note" disableSort />
              </DataTable>
            </ReferenceManyField>
          </Tab>
        )}
      </TabbedShowLayout>
    </Show>
  );
};
