import DeleteSweepIcon from '@mui/icons-material/DeleteSweep';
import Inventory2Icon from '@mui/icons-material/Inventory2';
import { Alert, Box, Chip, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { apiCall } from '../api/client';
import {
  BooleanInput,
  Create,
  CreateButton,
  DataTable,
  Edit,
  FilterButton,
  FormDataConsumer,
  List,
  maxLength,
  minValue,
  NumberField,
  NumberInput,
  required,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  useCanAccess,
  useListContext,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { ARCHIVE_BOOKS } from '../../../domain/archive';
import { ARCHIVE_BOOK_OF_KIND, isClassBook, type PrintKind } from '../../../domain/printing';
import { ChoiceColumn, DateColumn } from '../common/columns';
import { ExportButton } from '../common/ExportButton';
import { ChoiceField, DateField, DateTimeField } from '../common/fields';
import { DeleteWithReasonButton } from '../common/recordActions';
import { ClassInput, SchoolYearInput } from '../common/references';
import { VnDateInput } from '../common/VnDateInput';
import { vnToday } from '../format';
import { BackupsButton } from './BackupsButton';
import { NightlyBackupCard } from './NightlyBackupCard';

const BOOK_CHOICES = ARCHIVE_BOOKS.map((id) => ({ id, name: `app.choices.archiveBook.${id}` }));

interface Entry {
  id: number;
  book: string;
  retentionYears: number | null;
  retentionPermanent: boolean;
  deleted: boolean;
}

/** "10 năm" or "Vĩnh viễn". */
function RetentionField(_props: { label?: string }) {
  const record = useRecordContext<Entry>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.retentionPermanent) return <span>{translate('app.archive.permanent')}</span>;
  if (record.retentionYears !== null) return <span>{translate('app.archive.years', { years: record.retentionYears })}</span>;
  // A nightly backup rotates: kept while among the newest nightly files (its note says how many).
  return <span>{record.book === 'backup' ? translate('app.archive.rotating') : '—'}</span>;
}

/** A struck line stays in the register, marked. */
function StruckChip() {
  const record = useRecordContext<Entry>();
  const translate = useTranslate();
  if (!record?.deleted) return null;
  return <Chip size="small" label={translate('app.archive.struck')} />;
}

const StrikeButton = () => (
  <DeleteWithReasonButton<Entry>
    resource="archive-entries"
    isOpen={(r) => !r.deleted}
    icon={<DeleteSweepIcon />}
    label="app.archive.strike"
    title="app.archive.strike_title"
    content="app.archive.strike_content"
    reasonLabel="app.archive.strike_reason"
    done="app.archive.struck_done"
    color="error"
  />
);

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="book" source="book" choices={BOOK_CHOICES} alwaysOn />,
  <SchoolYearInput key="schoolYearId" />,
  <ClassInput key="classId" />,
  <VnDateInput key="from" source="receivedOn_gte" label="resources.archive-entries.fields.receivedOn_gte" />,
  <VnDateInput key="until" source="receivedOn_lte" label="resources.archive-entries.fields.receivedOn_lte" />,
  <BooleanInput key="deleted" source="deleted" />,
];

/** The export takes exactly the list's filters and sort, so the printed register is what the screen shows. */
function ListActions() {
  const { filterValues, sort } = useListContext();
  const { canAccess: canCreate } = useCanAccess({ resource: 'archive-entries', action: 'create' });
  const path = `/exports/archive-register.xlsx?filter=${encodeURIComponent(JSON.stringify(filterValues))}&sort=${encodeURIComponent(JSON.stringify([sort.field, sort.order]))}`;
  return (
    <TopToolbar>
      <FilterButton />
      {canCreate && <CreateButton />}
      <BackupsButton />
      <ExportButton path={path} />
    </TopToolbar>
  );
}

/** No entry yet: what to do, for the clerk who keeps the register, and what to expect, for those who read it. */
function Empty() {
  const translate = useTranslate();
  const { canAccess: canCreate } = useCanAccess({ resource: 'archive-entries', action: 'create' });
  return (
    <Box sx={{ textAlign: 'center', m: 4 }} data-testid="archive-empty">
      <Inventory2Icon sx={{ fontSize: 64, opacity: 0.4 }} />
      <Typography variant="h6">{translate('app.archive.empty_title')}</Typography>
      <Typography variant="body2" sx={{ maxWidth: 560, mx: 'auto', my: 2 }}>
        {translate(canCreate ? 'app.archive.empty_clerk' : 'app.archive.empty_reader')}
      </Typography>
      {canCreate && <CreateButton variant="contained" />} <BackupsButton />
    </Box>
  );
}

/** The register, with the nightly backup's card above it (for the admin and the records clerk). */
export const ArchiveList = () => (
  <>
    <NightlyBackupCard />
    <List filters={filters} sort={{ field: 'receivedOn', order: 'DESC' }} exporter={false} actions={<ListActions />} empty={<Empty />}>
      <DataTable bulkActionButtons={false} rowClick="show" rowSx={(r: Entry) => (r.deleted ? { textDecoration: 'line-through', opacity: 0.6 } : {})}>
        <DateColumn source="receivedOn" />
        <ChoiceColumn source="book" group="archiveBook" />
        <DataTable.Col source="schoolYearName" />
        <DataTable.Col source="className" />
        <DataTable.Col source="period" />
        <DataTable.NumberCol source="pages" />
        <DataTable.Col source="location" />
        <DataTable.Col source="retention" label="resources.archive-entries.fields.retention" disableSort>
          <RetentionField />
        </DataTable.Col>
        <DataTable.Col source="receivedByName" />
        <DataTable.Col source="deleted" disableSort>
          <StruckChip />
        </DataTable.Col>
      </DataTable>
    </List>
  </>
);

export const ArchiveShow = () => (
  <Show>
    <SimpleShowLayout>
      <StruckChip />
      <ChoiceField source="book" group="archiveBook" />
      <TextField source="schoolYearName" />
      <TextField source="className" emptyText="—" />
      <TextField source="period" emptyText="—" />
      <NumberField source="pages" emptyText="—" />
      <TextField source="location" emptyText="—" />
      <DateField source="receivedOn" />
      <RetentionField label="resources.archive-entries.fields.retention" />
      <TextField source="receivedByName" />
      <NumberField source="printRunId" emptyText="—" />
      <TextField source="backupFile" emptyText="—" />
      <TextField source="backupSha256" emptyText="—" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }} />
      <TextField source="note" emptyText="—" />
      <TextField source="createdByName" />
      <DateTimeField source="createdAt" />
      <DateTimeField source="updatedAt" />
      <DateTimeField source="deletedAt" />
      <TextField source="deletedByName" emptyText="—" />
      <TextField source="deleteReason" emptyText="—" />
      <StrikeButton />
    </SimpleShowLayout>
  </Show>
);

/** The print run kind of each archived book that comes from one (domain/printing.ts ARCHIVE_BOOK_OF_KIND). */
const KIND_OF_BOOK = Object.fromEntries(Object.entries(ARCHIVE_BOOK_OF_KIND).map(([kind, book]) => [book, kind])) as Partial<Record<string, PrintKind>>;

/**
 * The approved print runs of this book (GET /api/print-runs) to file the paper copy under: the class's runs for a
 * grade book or a roll-call book, the year's for the enrolment register (the school's book, no class).
 */
function PrintRunInput({ kind, classId, schoolYearId }: { kind: PrintKind; classId: number | null; schoolYearId: number }) {
  const translate = useTranslate();
  const [runs, setRuns] = useState<Array<{ id: number; name: string }>>([]);
  useEffect(() => {
    const filter = encodeURIComponent(JSON.stringify(isClassBook(kind) ? { status: 'approved', kind, classId } : { status: 'approved', kind, schoolYearId }));
    apiCall<Array<{ id: number; className: string | null; grade: number | null; period: string; pageCount: number | null; verificationCode: string | null }>>(`/print-runs?filter=${filter}&range=[0,99]`)
      .then((list) =>
        setRuns(
          list.map((r) => {
            const scope = r.className ?? (r.grade === null ? translate('app.print_runs.whole_school') : translate('app.print_runs.grade_n', { grade: r.grade }));
            const period = r.period === 'year' ? translate('app.results.whole_year') : translate(`app.choices.semester.${r.period}`);
            return { id: r.id, name: `#${r.id} · ${scope} · ${period} · ${r.pageCount ?? '?'} tr. · ${r.verificationCode ?? ''}` };
          }),
        ),
      )
      .catch(() => setRuns([]));
  }, [kind, classId, schoolYearId, translate]);
  return <SelectInput source="printRunId" choices={runs} emptyText="—" helperText="app.archive.print_run_help" />;
}

/** The form of a register line; a paper book has pages and a shelf, a backup its file and SHA-256. */
function EntryForm() {
  return (
    <>
      <SelectInput source="book" choices={BOOK_CHOICES} validate={required()} />
      <SchoolYearInput validate={required()} />
      <FormDataConsumer>
        {({ formData }) => (
          <>
            <ClassInput filter={formData.schoolYearId ? { schoolYearId: formData.schoolYearId } : undefined} disabled={!formData.schoolYearId} />
            {formData.book === 'backup' ? (
              <>
                <TextInput source="backupFile" validate={maxLength(255)} fullWidth />
                <TextInput source="backupSha256" validate={maxLength(64)} fullWidth />
              </>
            ) : (
              <>
                {KIND_OF_BOOK[formData.book] && formData.schoolYearId && (isClassBook(KIND_OF_BOOK[formData.book]!) ? !!formData.classId : !formData.classId) && (
                  <PrintRunInput kind={KIND_OF_BOOK[formData.book]!} classId={formData.classId ?? null} schoolYearId={formData.schoolYearId} />
                )}
                <NumberInput source="pages" min={1} validate={[required(), minValue(1)]} />
                <TextInput source="location" validate={[required(), maxLength(100)]} />
              </>
            )}
            <NumberInput source="retentionYears" min={1} max={100} disabled={formData.retentionPermanent === true} helperText="app.archive.retention_help" />
          </>
        )}
      </FormDataConsumer>
      <BooleanInput source="retentionPermanent" />
      <TextInput source="period" validate={maxLength(100)} />
      <VnDateInput source="receivedOn" validate={required()} />
      <TextInput source="note" validate={maxLength(2000)} multiline fullWidth />
    </>
  );
}

/** Kept permanently: a number of years left in the (disabled) box is not sent. */
const transform = (d: Record<string, unknown>) => (d.retentionPermanent ? { ...d, retentionYears: null } : d);

export const ArchiveCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="show" transform={transform}>
      <SimpleForm defaultValues={{ receivedOn: vnToday(), retentionPermanent: false }}>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('app.archive.create_note')}
        </Alert>
        <EntryForm />
      </SimpleForm>
    </Create>
  );
};

export const ArchiveEdit = () => (
  <Edit redirect="show" mutationMode="pessimistic" transform={transform}>
    <SimpleForm>
      <EntryForm />
    </SimpleForm>
  </Edit>
);
