import SupervisorAccountIcon from '@mui/icons-material/SupervisorAccount';
import { Chip } from '@mui/material';
import { useState } from 'react';
import {
  AutocompleteInput,
  Create,
  DataTable,
  List,
  maxLength,
  ReferenceInput,
  required,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  useCanAccess,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { Button } from '@mui/material';
import { DateTimeField } from '../common/fields';
import { ReasonDialog } from '../common/ReasonDialog';
import { ClassInput, Ref, SubjectInput } from '../common/references';
import { useRecordAction } from '../common/useRecordAction';
import { VnDateInput } from '../common/VnDateInput';

interface Delegation {
  id: number;
  validUntil: string;
  revokedAt: string | null;
}

function StateField() {
  const r = useRecordContext<Delegation>();
  const translate = useTranslate();
  if (!r) return null;
  const state = r.revokedAt ? 'revoked' : r.validUntil <= new Date().toISOString() ? 'expired' : 'active';
  return <Chip size="small" color={state === 'active' ? 'success' : 'default'} label={translate(`app.delegations.${state}`)} />;
}

function RevokeButton() {
  const r = useRecordContext<Delegation>();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'entry-delegations', action: 'delete' });
  const [open, setOpen] = useState(false);
  const { run, busy } = useRecordAction();
  if (!r || r.revokedAt || !canAccess) return null;
  return (
    <>
      <Button size="small" color="error" disabled={busy} onClick={(e) => (e.stopPropagation(), setOpen(true))}>
        {translate('app.delegations.revoke')}
      </Button>
      <ReasonDialog
        open={open}
        title={translate('app.delegations.revoke_title')}
        label={translate('app.requests.note')}
        confirmLabel={translate('app.delegations.revoke')}
        onClose={() => setOpen(false)}
        onConfirm={(reason) => {
          setOpen(false);
          void run((dp) => dp.deleteWithReason('entry-delegations', r.id, reason || undefined), 'app.delegations.revoked_done');
        }}
      />
    </>
  );
}

/** Ủy quyền nhập điểm: the principal lets someone enter one class × subject's scores until a date (recorded). */
const DelegationList = () => (
  <List sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false} rowClick="show">
      <DataTable.Col source="classId">
        <Ref source="classId" reference="classes" link={false} />
      </DataTable.Col>
      <DataTable.Col source="subjectId">
        <Ref source="subjectId" reference="subjects" link={false} />
      </DataTable.Col>
      <DataTable.Col source="delegateName" />
      <DataTable.Col source="reason" />
      <DataTable.Col source="validUntil">
        <DateTimeField source="validUntil" />
      </DataTable.Col>
      <DataTable.Col source="state" label="resources.entry-delegations.fields.state">
        <StateField />
      </DataTable.Col>
      <DataTable.Col label=" ">
        <RevokeButton />
      </DataTable.Col>
    </DataTable>
  </List>
);

const DelegationShow = () => (
  <Show>
    <SimpleShowLayout>
      <Ref source="classId" reference="classes" link={false} />
      <Ref source="subjectId" reference="subjects" link={false} />
      <TextField source="delegateName" />
      <TextField source="reason" />
      <DateTimeField source="validUntil" />
      <Ref source="grantedBy" reference="users" link={false} />
      <DateTimeField source="createdAt" />
      <StateField />
      <DateTimeField source="revokedAt" />
      <RevokeButton />
    </SimpleShowLayout>
  </Show>
);

const DelegationCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <ClassInput validate={required()} />
      <SubjectInput validate={required()} />
      <ReferenceInput source="delegateUserId" reference="users" filter={{ role: ['subject_teacher', 'homeroom_teacher', 'department_head', 'vice_principal', 'academic_staff'] }}>
        <AutocompleteInput optionText={(u: { fullName?: string; username?: string }) => (u ? `${u.fullName} (${u.username})` : '')} validate={required()} />
      </ReferenceInput>
      <TextInput source="reason" validate={[required(), maxLength(500)]} multiline fullWidth />
      <VnDateInput source="validUntil" validate={required()} helperText="app.delegations.valid_until_help" />
    </SimpleForm>
  </Create>
);

export default {
  name: 'entry-delegations',
  list: DelegationList,
  show: DelegationShow,
  create: DelegationCreate,
  icon: SupervisorAccountIcon,
  recordRepresentation: (r: { id?: number }) => `#${r?.id ?? ''}`,
};
