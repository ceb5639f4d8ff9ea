import { BooleanField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceColumn, DateColumn } from '../common/columns';
import { DateField } from '../common/fields';
import { RelatedTable } from '../common/RelatedTable';

export const SchoolYearShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="name" />
      <DateField source="startDate" />
      <DateField source="endDate" />
      <BooleanField source="isCurrent" looseValue />
      <RelatedTable reference="semesters" target="schoolYearId" label="resources.semesters.name" sort={{ field: 'number', order: 'ASC' }}>
        <ChoiceColumn source="number" group="semester" />
        <DateColumn source="startDate" />
        <DateColumn source="endDate" />
      </RelatedTable>
    </SimpleShowLayout>
  </Show>
);
