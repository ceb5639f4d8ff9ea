import { DataTable, ReferenceManyField, Show, SimpleShowLayout, TextField, useCanAccess } from 'react-admin';
import { ChoiceField } from '../common/fields';

/** A department with its subjects and (for those who may see staff) its members. */
export const DepartmentShow = () => {
  const { canAccess: canListStaff } = useCanAccess({ resource: 'staff', action: 'list' });
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="code" />
        <TextField source="name" />
        <ReferenceManyField reference="subjects" target="departmentId" label="resources.subjects.name" sort={{ field: 'name', order: 'ASC' }}>
          <DataTable bulkActionButtons={false} rowClick="show">
            <DataTable.Col source="code" />
            <DataTable.Col source="name" />
          </DataTable>
        </ReferenceManyField>
        {canListStaff && (
          <ReferenceManyField reference="staff" target="departmentId" label="resources.staff.name" sort={{ field: 'fullName', order: 'ASC' }}>
            <DataTable bulkActionButtons={false} rowClick="show">
              <DataTable.Col source="fullName" />
              <DataTable.Col source="post">
                <ChoiceField source="post" group="post" />
              </DataTable.Col>
            </DataTable>
          </ReferenceManyField>
        )}
      </SimpleShowLayout>
    </Show>
  );
};
