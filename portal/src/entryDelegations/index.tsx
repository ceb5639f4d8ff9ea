import SupervisorAccountIcon from '@mui/icons-material/SupervisorAccount';
import { Chip } from '@mui/material';
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
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeColumn, RefColumn } from '../common/columns';
import { DateTimeField } from '../common/fields';
import { DeleteWithReasonButton } from '../common/recordActions';
import { ClassInput, Ref, SubjectInput } from '../common/references';
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

/** Thu hồi: ends a delegation before its date, with a note (the record stays, marked revoked). */
const RevokeButton = () => (
  <DeleteWithReasonButton<Delegation>
    resource="entry-delegations"
    isOpen={(r) => !r.revokedAt}
    color="error"
    label="app.delegations.revoke"
    title="app.delegations.revoke_title"
    reasonLabel="app.requests.note"
    done="app.delegations.revoked_done"
  />
);

/** Ủy quyền nhập điểm: the principal lets someone enter one class × subject's scores until a date (recorded). */
const DelegationList = () => (
  <List sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false} rowClick="show">
      <RefColumn source="classId" reference="classes" link={false} />
      <RefColumn source="subjectId" reference="subjects" link={false} />
      <DataTable.Col source="delegateName" />
      <DataTable.Col source="reason" />
      <DateTimeColumn source="validUntil" />
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
      <TextField source="grantedByName" label="resources.entry-delegations.fields.grantedBy" />
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
