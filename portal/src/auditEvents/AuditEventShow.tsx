import { Labeled, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { ChoiceField, DateTimeField, HashField, JsonField, RoleName } from '../common/fields';
import { Ref } from '../common/references';
import { EntityName } from './EntityName';

function RoleValue() {
  const r = useRecordContext<{ role?: string | null }>();
  return r?.role ? <RoleName role={r.role} /> : <>—</>;
}
function EntityValue() {
  const r = useRecordContext<{ entity?: string | null }>();
  return <EntityName entity={r?.entity} />;
}

export const AuditEventShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <DateTimeField source="at" seconds />
      <Ref source="userId" reference="users" />
      <TextField source="username" emptyText="—" />
      <Labeled source="role">
        <RoleValue />
      </Labeled>
      <TextField source="ip" emptyText="—" />
      <ChoiceField source="action" group="auditAction" />
      <Labeled source="entity">
        <EntityValue />
      </Labeled>
      <TextField source="entityId" emptyText="—" />
      <TextField source="reason" emptyText="—" />
      <JsonField source="before" />
      <JsonField source="after" />
      <HashField source="prevHash" />
      <HashField source="hash" />
    </SimpleShowLayout>
  </Show>
);
