import { DataTable, Show, SimpleShowLayout, TextField } from 'react-admin';
import { ChoiceColumn } from '../common/columns';
import { useCanList } from '../common/references';
import { RelatedTable } from '../common/RelatedTable';

/** A department with its subjects and (for those who may see staff) its members. */
export const DepartmentShow = () => {
  const canListStaff = useCanList('staff');
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="code" />
        <TextField source="name" />
        <RelatedTable reference="subjects" target="departmentId" label="resources.subjects.name" sort={{ field: 'name', order: 'ASC' }}>
          <DataTable.Col source="code" />
          <DataTable.Col source="name" />
        </RelatedTable>
        {canListStaff && (
          <RelatedTable reference="staff" target="departmentId" label="resources.staff.name" sort={{ field: 'fullName', order: 'ASC' }}>
            <DataTable.Col source="fullName" />
            <ChoiceColumn source="post" group="post" />
          </RelatedTable>
        )}
      </SimpleShowLayout>
    </Show>
  );
};
