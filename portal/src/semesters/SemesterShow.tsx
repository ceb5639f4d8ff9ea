import { Show, SimpleShowLayout } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';
import { Ref } from '../common/references';

export const SemesterShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="schoolYearId" reference="school-years" />
      <ChoiceField source="number" group="semester" />
      <DateField source="startDate" />
      <DateField source="endDate" />
    </SimpleShowLayout>
  </Show>
);
