import {
  DataTable,
  ReferenceManyField,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
  useCanAccess,
} from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

export const StudentShow = () => {
  const { canAccess: canListEnrolments } = useCanAccess({ resource: 'enrolments', action: 'list' });
  const { canAccess: canListTransfers } = useCanAccess({ resource: 'student-transfers', action: 'list' });
  return (
    <Show>
      <TabbedShowLayout>
        <Tab label="app.common.personal">
          <TextField source="studentCode" />
          <TextField source="fullName" />
          <DateField source="birthDate" />
          <ChoiceField source="sex" group="sex" />
          <TextField source="nationalId" emptyText="—" />
          <TextField source="ethnicity" emptyText="—" />
          <TextField source="nationality" emptyText="—" />
          <TextField source="placeOfBirth" emptyText="—" />
          <TextField source="address" emptyText="—" />
          <TextField source="className" emptyText="—" />
          <TextField source="grade" emptyText="—" />
          <ChoiceField source="status" group="studentStatus" />
        </Tab>
        <Tab label="app.common.family" path="family">
          <TextField source="fatherName" emptyText="—" />
          <TextField source="motherName" emptyText="—" />
          <TextField source="guardianName" emptyText="—" />
          <TextField source="phone" emptyText="—" />
        </Tab>
        {canListEnrolments && (
          <Tab label="resources.enrolments.name" path="enrolments">
            <ReferenceManyField reference="enrolments" target="studentId" sort={{ field: 'startDate', order: 'DESC' }}>
              <DataTable bulkActionButtons={false} rowClick="show">
                <DataTable.Col source="schoolYearId">
                  <Ref source="schoolYearId" reference="school-years" />
                </DataTable.Col>
                <DataTable.Col source="classId">
                  <Ref source="classId" reference="classes" />
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
            </ReferenceManyField>
          </Tab>
        )}
        {canListTransfers && (
          <Tab label="resources.student-transfers.name" path="transfers">
            <ReferenceManyField reference="student-transfers" target="studentId" sort={{ field: 'transferDate', order: 'DESC' }}>
              <DataTable bulkActionButtons={false} rowClick="show">
                <DataTable.Col source="transferDate">
                  <DateField source="transferDate" />
                </DataTable.Col>
                <DataTable.Col source="direction">
                  <ChoiceField source="direction" group="direction" />
                </DataTable.Col>
                <DataTable.Col source="otherSchool" disableSort />
              </DataTable>
            </ReferenceManyField>
          </Tab>
        )}
      </TabbedShowLayout>
    </Show>
  );
};
