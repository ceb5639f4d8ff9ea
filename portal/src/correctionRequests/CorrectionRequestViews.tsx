import DoneAllIcon from '@mui/icons-material/DoneAll';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import UndoIcon from '@mui/icons-material/Undo';
import { Alert, Box, Button, Chip, Stack, Step, StepLabel, Stepper, Typography } from '@mui/material';
import { useState } from 'react';
import { DataTable, List, SelectInput, Show, SimpleShowLayout, TextField, useGetIdentity, useLocale, useRecordContext, useTranslate } from 'react-admin';
import { API_URL } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { ReasonDialog } from '../common/ReasonDialog';
import { ApproveRejectButtons } from '../common/recordActions';
import { displayValue } from '../common/scores';
import { useRecordAction } from '../common/useRecordAction';
import { WitnessPicker } from '../common/WitnessPicker';
import { formatDateTime } from '../format';

type Status = 'pending' | 'approved' | 'applied' | 'rejected' | 'cancelled';
/** GET /api/correction-requests (server/corrections/store.ts). */
interface CorrectionRequest {
  id: number;
  schoolId: number;
  className: string;
  subjectName: string;
  studentName: string;
  column: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string;
  status: Status;
  procedure: 'witnessed' | 'admin';
  requestedBy: number;
  requestedByName: string;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  vpName: string | null;
  vpConfirmedAt: string | null;
  witnessUserId: number | null;
  witnessName: string | null;
  witnessConfirmedAt: string | null;
  appliedAt: string | null;
  appliedByName: string | null;
  minutesSha256: string | null;
  history: Array<{ at: string; userId: number; userName: string; action: string; note: string | null }>;
}

const STATUSES: Status[] = ['pending', 'approved', 'applied', 'rejected', 'cancelled'];
const STATUS_CHOICES = STATUSES.map((id) => ({ id, name: `app.choices.requestStatus.${id}` }));
const STATUS_COLOR: Record<Status, 'info' | 'warning' | 'success' | 'default' | 'error'> = { pending: 'info', approved: 'warning', applied: 'success', rejected: 'error', cancelled: 'default' };

export function CorrectionStatusField() {
  const r = useRecordContext<CorrectionRequest>();
  const translate = useTranslate();
  if (!r) return null;
  return <Chip size="small" color={STATUS_COLOR[r.status]} label={translate(`app.choices.requestStatus.${r.status}`)} />;
}

function ChangeField() {
  const r = useRecordContext<CorrectionRequest>();
  const locale = useLocale();
  const translate = useTranslate();
  if (!r) return null;
  const show = (v: string | null) => displayValue(v, locale) || translate('app.gradebook.empty');
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {show(r.oldValue)} → <strong>{show(r.newValue)}</strong>
    </span>
  );
}

function WhereField() {
  const r = useRecordContext<CorrectionRequest>();
  if (!r) return null;
  return (
    <span>
      {r.studentName} · {r.className} · {r.subjectName} · {r.column}
    </span>
  );
}

/** The procedure's steps (timeline.md): filed → principal approves → VP and witness confirm → applied. */
function ProgressField() {
  const r = useRecordContext<CorrectionRequest>();
  const translate = useTranslate();
  const locale = useLocale();
  if (!r) return null;
  const t = (v: string | null) => (v ? formatDateTime(v, locale) : '');
  const steps =
    r.procedure === 'witnessed'
      ? [
          { label: translate('app.corrections.step_filed', { name: r.requestedByName }), done: true },
          { label: translate('app.corrections.step_approved', { name: r.decidedByName ?? '' }), done: !!r.decidedAt && r.status !== 'rejected', sub: t(r.decidedAt) },
          { label: translate('app.corrections.step_vp', { name: r.vpName ?? '' }), done: !!r.vpConfirmedAt, sub: t(r.vpConfirmedAt) },
          { label: translate('app.corrections.step_witness', { name: r.witnessName ?? translate('app.corrections.not_named') }), done: !!r.witnessConfirmedAt, sub: t(r.witnessConfirmedAt) },
          { label: translate('app.corrections.step_applied', { name: r.appliedByName ?? '' }), done: !!r.appliedAt, sub: t(r.appliedAt) },
        ]
      : [
          { label: translate('app.corrections.step_filed', { name: r.requestedByName }), done: true },
          { label: translate('app.corrections.step_approved', { name: r.decidedByName ?? '' }), done: !!r.decidedAt && r.status !== 'rejected', sub: t(r.decidedAt) },
          { label: translate('app.corrections.step_applied', { name: r.appliedByName ?? '' }), done: !!r.appliedAt, sub: t(r.appliedAt) },
        ];
  return (
    <Box sx={{ my: 1 }}>
      <Stepper alternativeLabel>
        {steps.map((s, i) => (
          <Step key={i} completed={s.done}>
            <StepLabel optional={s.sub ? <Typography variant="caption">{s.sub}</Typography> : undefined}>{s.label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {r.status === 'rejected' && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {translate('app.corrections.rejected_by', { name: r.decidedByName ?? '', note: r.decisionNote ?? '' })}
        </Alert>
      )}
    </Box>
  );
}

function HistoryField() {
  const r = useRecordContext<CorrectionRequest>();
  const translate = useTranslate();
  const locale = useLocale();
  if (!r) return null;
  return (
    <Box component="ol" sx={{ pl: 3, my: 0 }} data-testid="correction-history">
      {r.history.map((h, i) => (
        <li key={i}>
          <Typography variant="body2">
            {formatDateTime(h.at, locale)} — <strong>{h.userName}</strong>: {translate(`app.corrections.event.${h.action}`, { _: h.action })}
            {h.note ? ` — “${h.note}”` : ''}
          </Typography>
        </li>
      ))}
    </Box>
  );
}

/**
 * The buttons of the procedure, shown to whoever may take the next step; the server decides (a VP who does not
 * supervise the class, or the requester trying to witness, gets its message).
 */
function Actions() {
  const r = useRecordContext<CorrectionRequest>();
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [dialog, setDialog] = useState<'approve' | 'reject' | 'confirm' | 'cancel' | null>(null);
  const [witness, setWitness] = useState<number | null>(null);
  const { run, busy } = useRecordAction();
  if (!r || !user) return null;
  const roles = user.principal.grants.filter((g) => g.schoolId === r.schoolId).map((g) => g.role);
  const mine = r.requestedBy === user.id;
  const open = r.status === 'pending' || r.status === 'approved';
  const canDecide = roles.includes('principal') && r.status === 'pending';
  const canConfirm =
    r.procedure === 'witnessed' &&
    r.status === 'approved' &&
    !mine &&
    ((r.witnessUserId === user.id && !r.witnessConfirmedAt) || (roles.includes('vice_principal') && !r.vpConfirmedAt && r.witnessUserId !== user.id));
  const canApply = r.status === 'approved' && (r.procedure === 'witnessed' ? mine && !!r.vpConfirmedAt && !!r.witnessConfirmedAt : roles.includes('admin'));
  // Seed 000: the principal approving, or the VP confirming, names the second witness if the teacher did not.
  const namesWitness = r.procedure === 'witnessed' && r.witnessUserId === null && (dialog === 'approve' || dialog === 'confirm');
  const step = (s: string, body: Record<string, unknown>, done: string) => void run((dp) => dp.requestStep('correction-requests', r.id, s, body), done);
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {canDecide && <ApproveRejectButtons busy={busy} onPick={setDialog} />}
      {canConfirm && (
        <Button variant="contained" startIcon={<DoneAllIcon />} disabled={busy} onClick={() => setDialog('confirm')}>
          {translate('app.corrections.confirm')}
        </Button>
      )}
      {canApply && (
        <Button variant="contained" color="warning" disabled={busy} onClick={() => step('apply', {}, 'app.corrections.applied_done')}>
          {translate('app.corrections.apply')}
        </Button>
      )}
      {mine && open && (
        <Button startIcon={<UndoIcon />} disabled={busy} onClick={() => setDialog('cancel')}>
          {translate('app.corrections.cancel')}
        </Button>
      )}
      {r.minutesSha256 && (
        <Button startIcon={<PictureAsPdfIcon />} href={`${API_URL}/correction-requests/${r.id}/minutes`} download>
          {translate('app.corrections.minutes')}
        </Button>
      )}
      <ReasonDialog
        open={dialog !== null}
        title={dialog ? translate(`app.corrections.${dialog}_title`, { id: r.id }) : ''}
        label={translate('app.requests.note')}
        required={dialog === 'reject'}
        confirmLabel={dialog ? translate(dialog === 'approve' || dialog === 'reject' ? `app.requests.${dialog}` : `app.corrections.${dialog}`) : ''}
        onClose={() => {
          setDialog(null);
          setWitness(null);
        }}
        onConfirm={(note) => {
          const s = dialog!;
          setDialog(null);
          const named = namesWitness && witness !== null ? { witnessUserId: witness } : {};
          setWitness(null);
          step(s, { ...(note ? { note } : {}), ...named }, `app.corrections.${s}_done`);
        }}
      >
        {namesWitness && (
          // The VP's confirmation is the last chance to name one: after it, nobody else can.
          <WitnessPicker target={{ requestId: r.id }} value={witness} onChange={setWitness} help={dialog === 'confirm' ? 'app.corrections.witness_help_vp' : 'app.corrections.witness_help'} />
        )}
      </ReasonDialog>
    </Stack>
  );
}

const filters = [<SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />];

export const CorrectionRequestList = () => (
  <List filters={filters} sort={{ field: 'id', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false} rowClick="show">
      <DataTable.Col source="id" />
      <DataTable.Col source="studentName" label="resources.correction-requests.fields.where">
        <WhereField />
      </DataTable.Col>
      <DataTable.Col source="newValue" label="resources.correction-requests.fields.change">
        <ChangeField />
      </DataTable.Col>
      <DataTable.Col source="requestedByName" />
      <DataTable.Col source="status">
        <CorrectionStatusField />
      </DataTable.Col>
    </DataTable>
  </List>
);

export const CorrectionRequestShow = () => (
  <Show>
    <SimpleShowLayout>
      <CorrectionStatusField />
      <WhereField />
      <ChangeField />
      <TextField source="reason" />
      <TextField source="witnessName" emptyText="app.corrections.not_named" />
      <ProgressField />
      <Actions />
      <HistoryField />
    </SimpleShowLayout>
  </Show>
);
