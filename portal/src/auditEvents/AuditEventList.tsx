import { Box, Typography, useMediaQuery, type Theme } from '@mui/material';
import { DataTable, FilterButton, List, SearchInput, SelectInput, SimpleList, TextInput, TopToolbar, useLocale } from 'react-admin';
import { RESOURCES } from '../../../domain/permissions';
import { AUDIT_ACTION_CHOICES, AUDIT_ENTITIES } from '../common/choices';
import { DateTimeColumn } from '../common/columns';
import { UserInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { formatDateTime } from '../format';
import type { AuditEventRow } from './types';
import { VerifyChainButton } from './VerifyChainButton';

const ENTITY_CHOICES = [
  ...RESOURCES.map((r) => ({ id: r, name: `resources.${r}.name` })),
  ...AUDIT_ENTITIES.map((e) => ({ id: e, name: `app.choices.auditEntity.${e}` })),
];

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

/** Who: the person's full name, their role underneath (the username when no person signed in). */
function Who({ r }: { r: AuditEventRow }) {
  return (
    <Box>
      <Typography variant="body2">{r.actorName ?? r.username ?? '—'}</Typography>
      {r.actorRole && (
        <Typography variant="caption" color="text.secondary">
          {r.actorRole}
        </Typography>
      )}
    </Box>
  );
}

/** What: the action, and what it acted on underneath. */
function What({ r }: { r: AuditEventRow }) {
  return (
    <Box>
      <Typography variant="body2">{r.actionLabel ?? r.action}</Typography>
      <Typography variant="caption" color="text.secondary">
        {r.entityLabel ?? r.entity}
      </Typography>
    </Box>
  );
}

/** The one-line summary, wrapped rather than widening the table; what it is about underneath, unless it says so. */
const Summary = ({ r }: { r: AuditEventRow }) => (
  <Box>
    <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }} data-testid="audit-summary">
      {r.summary ?? ''}
    </Typography>
    {r.target && !(r.summary ?? '').includes(r.target) && (
      <Typography variant="caption" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
        {r.target}
      </Typography>
    )}
  </Box>
);

/** On a phone: one block per event (the summary; when, who and what underneath), no table to scroll sideways. */
function PhoneList() {
  const locale = useLocale();
  return (
    <SimpleList<AuditEventRow>
      linkType="show"
      primaryText={(r) => <Summary r={r} />}
      secondaryText={(r) => [formatDateTime(r.at, locale), r.actorName ?? r.username ?? '—', r.actionLabel ?? r.action].join(' · ')}
    />
  );
}

/** The audit trail (read only, newest first): who did what, in words; the stored row is one click away. */
export const AuditEventList = () => {
  const phone = useMediaQuery((t: Theme) => t.breakpoints.down('sm'));
  return (
    <List filters={filters} actions={<ListActions />} sort={{ field: 'id', order: 'DESC' }} perPage={50} exporter={false}>
      {phone ? (
        <PhoneList />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DateTimeColumn source="at" />
          <DataTable.Col source="actorName" disableSort render={(r: AuditEventRow) => <Who r={r} />} />
          <DataTable.Col source="actionLabel" disableSort render={(r: AuditEventRow) => <What r={r} />} />
          <DataTable.Col source="summary" disableSort render={(r: AuditEventRow) => <Summary r={r} />} />
        </DataTable>
      )}
    </List>
  );
};
