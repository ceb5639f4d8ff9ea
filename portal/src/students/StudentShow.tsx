import {
  DataTable,
  Show,
  Tab,
  TabbedShowLayout,
  TextField,
} from 'react-admin';
import { ChoiceColumn, DateColumn, RefColumn } from '../common/columns';
import { ChoiceField, DateField } from '../common/fields';
import { useCanList } from '../common/references';
import { RelatedTable } from '../common/RelatedTable';
import { ImportedYears } from '../transfers/ImportedYears';

export const StudentShow = () => {
  const canListEnrolments = useCanList('enrolments');
  const canListTransfers = useCanList('student-transfers');
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
          <TextField source="homeTown" emptyText="—" />
          <TextField source="address" emptyText="—" />
          <TextField source="className" emptyText="—" />
          <TextField source="grade" emptyText="—" />
          <ChoiceField source="status" group="studentStatus" />
        </Tab>
        <Tab label="app.common.family" path="family">
          <TextField source="fatherName" emptyText="—" />
          <TextField source="fatherOccupation" emptyText="—" />
          <TextField source="motherName" emptyText="—" />
          <TextField source="motherOccupation" emptyText="—" />
          <TextField source="guardianName" emptyText="—" />
          <TextField source="guardianOccupation" emptyText="—" />
          <TextField source="phone" emptyText="—" />
        </Tab>
        {canListEnrolments && (
          <Tab label="resources.enrolments.name" path="enrolments">
            <RelatedTable reference="enrolments" target="studentId" sort={{ field: 'startDate', order: 'DESC' }}>
              <RefColumn source="schoolYearId" reference="school-years" />
              <RefColumn source="classId" reference="classes" />
              <DateColumn source="startDate" />
              <DateColumn source="endDate" />
              <ChoiceColumn source="status" group="enrolmentStatus" />
            </RelatedTable>
          </Tab>
        )}
        <Tab label="app.transferPackages.tab" path="imported">
          <ImportedYears />
        </Tab>
        {canListTransfers && (
          <Tab label="resources.student-transfers.name" path="transfers">
            <RelatedTable reference="student-transfers" target="studentId" sort={{ field: 'transferDate', order: 'DESC' }}>
              <DateColumn source="transferDate" />
              <ChoiceColumn source="direction" group="direction" />
              <DataTable.Col source="otherSchool" disableSort />
            </RelatedTable>
          </Tab>
        )}
      </TabbedShowLayout>
    </Show>
  );
};
