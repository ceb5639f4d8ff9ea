import { DataTable, FilterButton, List, SearchInput, SelectInput, TextInput, TopToolbar } from 'react-admin';
import { RESOURCES } from '../../../domain/permissions';
import { AUDIT_ACTION_CHOICES } from '../common/choices';
import { ChoiceColumn, DateTimeColumn } from '../common/columns';
import { RoleName } from '../common/fields';
import { UserInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { EntityName } from './EntityName';
import { VerifyChainButton } from './VerifyChainButton';

const ENTITY_CHOICES = RESOURCES.map((r) => ({ id: r, name: `resources.${r}.name` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <VnDateInput key="at_gte" source="at_gte" label="app.audit.from" boundary="start" alwaysOn />,
  <VnDateInput key="at_lte" source="at_lte" label="app.audit.to" boundary="end" alwaysOn />,
  <UserInput key="userId" source="userId" />,
  <SelectInput key="entity" source="entity" choices={ENTITY_CHOICES} />,
  <SelectInput key="action" source="action" choices={AUDIT_ACTION_CHOICES} />,
  <TextInput key="entityId" source="entityId" />,
];

const ListActions = () => (
  <TopToolbar>
    <FilterButton />
    <VerifyChainButton />
  </TopToolbar>
);

/** The audit trail (read only, newest first). */
export const AuditEventList = () => (
  <List filters={filters} actions={<ListActions />} sort={{ field: 'id', order: 'DESC' }} perPage={50} exporter={false}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="id" />
      <DateTimeColumn source="at" seconds />
      <DataTable.Col source="username" />
      <DataTable.Col source="role" disableSort render={(r: { role?: string | null }) => (r.role ? <RoleName role={r.role} /> : null)} />
      <ChoiceColumn source="action" group="auditAction" />
      <DataTable.Col source="entity" render={(r: { entity?: string }) => <EntityName entity={r.entity} />} />
      <DataTable.Col source="entityId" />
      <DataTable.Col source="ip" disableSort />
    </DataTable>
  </List>
);
