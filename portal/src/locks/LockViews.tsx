import LockOpenIcon from '@mui/icons-material/LockOpen';
import { Alert, Chip } from '@mui/material';
import {
  AutocompleteInput,
  BooleanInput,
  Create,
  DataTable,
  FormDataConsumer,
  List,
  maxLength,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { LOCK_SCOPES, LOCK_SCOPE_FIELDS, type LockScope } from '../../../domain/locks';
import { gradeChoices } from '../common/choices';
import { ChoiceColumn, DateTimeColumn, RefColumn } from '../common/columns';
import { ChoiceField, DateTimeField } from '../common/fields';
import { DeleteWithReasonButton } from '../common/recordActions';
import { ClassInput, Ref, SchoolYearInput, StudentInput, SubjectInput } from '../common/references';
import { useSchoolGrades } from '../common/useSchool';

const SCOPE_CHOICES = LOCK_SCOPES.map((id) => ({ id, name: `app.choices.lockScope.${id}` }));
const KIND_CHOICES = ['regular', 'midterm', 'final'].map((id) => ({ id, name: `app.choices.kind.${id}` }));

/** In force or lifted, as a chip. */
function ActiveField() {
  const record = useRecordContext<{ active: boolean }>();
  const translate = useTranslate();
  if (!record) return null;
  return <Chip size="small" color={record.active ? 'warning' : 'default'} label={translate(record.active ? 'app.locks.active' : 'app.locks.lifted')} />;
}

/** What the lock covers, in words: "6A1 · Toán · ĐĐGtx 2" etc. */
function TargetField() {
  const record = useRecordContext<{ scope: LockScope; grade: number | null; kind: string | null; seq: number | null }>();
  const translate = useTranslate();
  if (!record) return null;
  const fields = LOCK_SCOPE_FIELDS[record.scope];
  return (
    <span>
      {record.grade !== null && translate('app.choices.grade', { grade: record.grade })}
      {fields.includes('classId') && <Ref source="classId" reference="classes" link={false} />}
      {fields.includes('subjectId') && (
        <>
          {' · '}
          <Ref source="subjectId" reference="subjects" link={false} />
        </>
      )}
      {fields.includes('studentId') && (
        <>
          {' · '}
          <Ref source="studentId" reference="students" link={false} />
        </>
      )}
      {record.kind && ` · ${translate(`app.choices.kind.${record.kind}`)}${record.kind === 'regular' ? ` ${record.seq}` : ''}`}
    </span>
  );
}

/** Mở khóa: lifts a lock in force, with a reason (the lock record stays, marked lifted). */
const LiftButton = () => (
  <DeleteWithReasonButton<{ id: number; active: boolean }>
    resource="locks"
    isOpen={(r) => r.active}
    icon={<LockOpenIcon />}
    label="app.locks.lift"
    title="app.locks.lift_title"
    content="app.locks.lift_content"
    reasonLabel="app.locks.lift_reason"
    done="app.locks.lifted_done"
  />
);

const filters = [<BooleanInput key="active" source="active" alwaysOn />, <SelectInput key="scope" source="scope" choices={SCOPE_CHOICES} />];

export const LockList = () => (
  <List filters={filters} filterDefaultValues={{ active: true }} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false} rowClick="show">
      <DateTimeColumn source="createdAt" />
      <ChoiceColumn source="scope" group="lockScope" />
      <DataTable.Col source="target" label="resources.locks.fields.target">
        <TargetField />
      </DataTable.Col>
      <DataTable.Col source="reason" />
      <DataTable.Col source="orderedByName" label="resources.locks.fields.orderedBy" disableSort />
      <DataTable.Col source="active">
        <ActiveField />
      </DataTable.Col>
      <DataTable.Col label=" ">
        <LiftButton />
      </DataTable.Col>
    </DataTable>
  </List>
);

export const LockShow = () => (
  <Show>
    <SimpleShowLayout>
      <ChoiceField source="scope" group="lockScope" />
      <TargetField />
      <Ref source="schoolYearId" reference="school-years" link={false} />
      <TextField source="reason" />
      <TextField source="orderedByName" label="resources.locks.fields.orderedBy" />
      <TextField source="createdByName" label="resources.locks.fields.createdBy" />
      <DateTimeField source="createdAt" />
      <ActiveField />
      <DateTimeField source="liftedAt" />
      <TextField source="liftedByName" label="resources.locks.fields.liftedBy" emptyText="—" />
      <TextField source="liftReason" emptyText="—" />
      <LiftButton />
    </SimpleShowLayout>
  </Show>
);

/** The inputs a scope needs (domain/locks LOCK_SCOPE_FIELDS), besides the school year. */
function ScopeInputs({ scope }: { scope: LockScope | undefined }) {
  const grades = useSchoolGrades();
  const fields = scope ? LOCK_SCOPE_FIELDS[scope] : [];
  const semesterOptional = scope === 'year' || scope === 'grade' || scope === 'class' || scope === 'class_subject';
  return (
    <>
      {(fields.includes('semesterId') || semesterOptional) && (
        <ReferenceInput source="semesterId" reference="semesters" sort={{ field: 'startDate', order: 'ASC' }}>
          <SelectInput optionText={(r: { number: number }) => `HK ${r.number === 1 ? 'I' : 'II'}`} validate={fields.includes('semesterId') ? required() : undefined} />
        </ReferenceInput>
      )}
      {fields.includes('grade') && <SelectInput source="grade" choices={gradeChoices(grades)} validate={required()} />}
      {fields.includes('classId') && <ClassInput validate={required()} />}
      {fields.includes('subjectId') && <SubjectInput validate={required()} />}
      {fields.includes('studentId') && <StudentInput validate={required()} />}
      {fields.includes('kind') && <SelectInput source="kind" choices={KIND_CHOICES} validate={required()} />}
      {fields.includes('seq') && <NumberInput source="seq" min={1} max={4} defaultValue={1} validate={required()} />}
    </>
  );
}

export const LockCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ scope: 'class_subject' }}>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('app.locks.create_note')}
        </Alert>
        <SelectInput source="scope" choices={SCOPE_CHOICES} validate={required()} />
        <SchoolYearInput validate={required()} />
        <FormDataConsumer>{({ formData }) => <ScopeInputs scope={formData.scope as LockScope | undefined} />}</FormDataConsumer>
        <TextInput source="reason" validate={[required(), maxLength(500)]} multiline fullWidth />
        <ReferenceInput source="orderedBy" reference="users" filter={{ role: ['principal'] }}>
          <AutocompleteInput optionText="fullName" validate={required()} helperText="app.locks.ordered_by_help" />
        </ReferenceInput>
      </SimpleForm>
    </Create>
  );
};
