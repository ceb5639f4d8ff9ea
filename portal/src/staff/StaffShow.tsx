import {
  BooleanField,
  DataTable,
  EmailField,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
} from 'react-admin';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { ChoiceField, DateField } from '../common/fields';
import { Ref, useCanList } from '../common/references';
import { RelatedTable } from '../common/RelatedTable';

/** A staff member, their teaching assignments and their history of posts. */
export const StaffShow = () => {
  const canListPostChanges = useCanList('staff-post-changes');
  const canListAssignments = useCanList('teaching-assignments');
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
            <RelatedTable reference="teaching-assignments" target="staffId" perPage={50}>
              <RefColumn source="schoolYearId" reference="school-years" />
              <DataTable.Col source="className" label="resources.teaching-assignments.fields.classId" />
              <DataTable.Col source="subjectName" label="resources.teaching-assignments.fields.subjectId" />
            </RelatedTable>
          </Tab>
        )}
        {canListPostChanges && (
          <Tab label="resources.staff-post-changes.name" path="posts">
            <RelatedTable reference="staff-post-changes" target="staffId" sort={{ field: 'effectiveDate', order: 'DESC' }}>
              <DateColumn source="effectiveDate" />
              <ChoiceColumn source="fromPost" group="post" />
              <ChoiceColumn source="toPost" group="post" />
              <DataTable.Col source="note" disableSort />
            </RelatedTable>
          </Tab>
        )}
      </TabbedShowLayout>
    </Show>
  );
};
