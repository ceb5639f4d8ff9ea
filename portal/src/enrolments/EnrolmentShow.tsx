import { Show, SimpleShowLayout } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

export const EnrolmentShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="studentId" reference="students" />
      <Ref source="classId" reference="classes" />
      <Ref source="schoolYearId" reference="school-years" />
      <DateField source="startDate" />
      <DateField source="endDate" />
      <ChoiceField source="status" group="enrolmentStatus" />
    </SimpleShowLayout>
  </Show>
);
