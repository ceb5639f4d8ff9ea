import { BooleanField, DataTable, ReferenceManyField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceField, DateField } from '../common/fields';

export const SchoolYearShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="name" />
      <DateField source="startDate" />
      <DateField source="endDate" />
      <BooleanField source="isCurrent" looseValue />
      <ReferenceManyField reference="semesters" target="schoolYearId" label="resources.semesters.name" sort={{ field: 'number', order: 'ASC' }}>
        <DataTable bulkActionButtons={false} rowClick="show">
          <DataTable.Col source="number">
            <ChoiceField source="number" group="semester" />
          </DataTable.Col>
          <DataTable.Col source="startDate">
            <DateField source="startDate" />
          </DataTable.Col>
          <DataTable.Col source="endDate">
            <DateField source="endDate" />
          </DataTable.Col>
        </DataTable>
      </ReferenceManyField>
    </SimpleShowLayout>
  </Show>
);
