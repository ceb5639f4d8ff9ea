import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { Accordion, AccordionDetails, AccordionSummary, Box, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeField, HashField, JsonField, RoleName } from '../common/fields';
import { Ref } from '../common/references';
import type { AuditEventRow } from './types';

function Who() {
  const r = useRecordContext<AuditEventRow>();
  if (!r) return null;
  return (
    <Typography variant="body2">
      {r.actorName ?? r.username ?? '—'}
      {r.actorRole ? ` (${r.actorRole})` : ''}
    </Typography>
  );
}

/** Every change, one per line, as the server wrote it in the reader's language. */
function Changes() {
  const r = useRecordContext<AuditEventRow>();
  const translate = useTranslate();
  const lines = r?.changes ?? [];
  if (lines.length === 0) return <Typography variant="body2">{translate('app.audit.no_changes')}</Typography>;
  return (
    <Box component="ul" data-testid="audit-changes" sx={{ m: 0, pl: 2.5, '& li': { overflowWrap: 'anywhere', mb: 0.25 } }}>
      {lines.map((line, i) => (
        <Typography component="li" variant="body2" key={i}>
          {line}
        </Typography>
      ))}
    </Box>
  );
}

function RoleValue() {
  const r = useRecordContext<AuditEventRow>();
  return <Typography variant="body2">{r?.role ? <RoleName role={r.role} /> : '—'}</Typography>;
}

/** The stored row (ids, keys, JSON, hashes): for cross-checking, folded away by default. */
function TechnicalDetails(_props: { label?: false }) {
  const translate = useTranslate();
  return (
    <Accordion disableGutters variant="outlined" sx={{ mt: 1 }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls="audit-technical" id="audit-technical-header">
        <Typography variant="body2">{translate('app.audit.technical')}</Typography>
      </AccordionSummary>
      <AccordionDetails id="audit-technical">
        <Typography variant="caption" color="text.secondary">
          {translate('app.audit.technical_help')}
        </Typography>
        <SimpleShowLayout sx={{ px: 0, '& pre': { maxWidth: 'calc(100vw - 64px)' } }}>
          <TextField source="id" />
          <Ref source="userId" reference="users" />
          <TextField source="username" emptyText="—" />
          <Labeled source="role">
            <RoleValue />
          </Labeled>
          <TextField source="ip" emptyText="—" />
          <TextField source="action" />
          <TextField source="entity" />
          <TextField source="entityId" emptyText="—" />
          <TextField source="reason" emptyText="—" />
          <JsonField source="before" />
          <JsonField source="after" />
          <HashField source="prevHash" />
          <HashField source="hash" />
        </SimpleShowLayout>
      </AccordionDetails>
    </Accordion>
  );
}

/** One event: who, what and why in words, every change line; the raw row behind "Chi tiết kỹ thuật". */
export const AuditEventShow = () => (
  <Show>
    <SimpleShowLayout>
      <DateTimeField source="at" seconds />
      <Labeled source="actorName">
        <Who />
      </Labeled>
      <TextField source="actionLabel" />
      <TextField source="entityLabel" />
      <TextField source="target" emptyText="—" />
      <TextField source="reasonText" emptyText="—" />
      <Labeled source="changes">
        <Changes />
      </Labeled>
      <TechnicalDetails label={false} />
    </SimpleShowLayout>
  </Show>
);
