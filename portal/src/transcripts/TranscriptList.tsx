import { Box, Card, CardContent, Stack, Typography } from '@mui/material';
import { DataTable, FilterButton, List, SearchInput, SelectInput, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import { gradeChoices } from '../common/choices';
import { ClassInput, SchoolYearInput } from '../common/references';
import { TranscriptStatusChip, SignedProgress } from './fields';
import { OpenYearButton } from './OpenYearButton';
import { TRANSCRIPT_STATUSES, type TranscriptRow } from './types';

/** Names shown in the list's "missing" column; the rest as "và N người khác" (all of them in the tooltip). */
const MISSING_SHOWN = 2;

/**
 * A missing signer as the list shows it: the person without the part in brackets ("Nguyễn Thị Huệ (Ngữ văn)" →
 * "Nguyễn Thị Huệ"; the show page names the parts), and the seal by its name when the server has no person for it.
 */
export function personOf(name: string, seal: string): string {
  const person = name.replace(/\s*\([^)]*\)\s*$/, '').trim();
  return person === '' || person === '?' ? (/dấu|seal/i.test(name) ? seal : name) : person;
}

const STATUS_CHOICES = TRANSCRIPT_STATUSES.map((id) => ({ id, name: `app.hocba.status.${id}` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SchoolYearInput key="y" source="schoolYearId" />,
  <SelectInput key="g" source="grade" choices={gradeChoices([6, 7, 8, 9])} />,
  <ClassInput key="c" source="classId" />,
  <SelectInput key="s" source="status" choices={STATUS_CHOICES} />,
];

const Actions = () => (
  <TopToolbar>
    <FilterButton />
    <OpenYearButton />
  </TopToolbar>
);

/** What to do when there is nothing yet: the year-end step that creates the transcripts. */
function Empty() {
  const translate = useTranslate();
  return (
    <Card sx={{ mt: 2, maxWidth: 640 }} data-testid="transcripts-empty">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {translate('app.hocba.list.empty_title')}
        </Typography>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate('app.hocba.list.empty_help')}
        </Typography>
        <OpenYearButton variant="contained" />
      </CardContent>
    </Card>
  );
}

function StatusCol() {
  const r = useRecordContext<TranscriptRow>();
  return r ? <TranscriptStatusChip status={r.status} /> : null;
}

function ProgressCol() {
  const r = useRecordContext<TranscriptRow>();
  return r ? <SignedProgress signed={r.signed} /> : null;
}

function MissingCol() {
  const r = useRecordContext<TranscriptRow>();
  const translate = useTranslate();
  if (!r) return null;
  const names = [...new Set((r.missing ?? []).map((n) => personOf(n, translate('app.hocba.step.seal'))))];
  if (names.length === 0) {
    return r.status === 'signing' || r.status === 'draft' ? <Typography variant="body2" color="success.main">{translate('app.hocba.list.missing_none')}</Typography> : null;
  }
  const shown = names.slice(0, MISSING_SHOWN);
  const more = names.length - shown.length;
  return (
    <Typography variant="body2" color="warning.main" sx={{ maxWidth: 320 }} title={names.join(', ')}>
      {shown.join(', ')}
      {more > 0 ? ` ${translate('app.hocba.list.missing_more', { count: more })}` : ''}
    </Typography>
  );
}

/** The student, class and version on one line: what a phone shows instead of the separate columns. */
function StudentCol() {
  const r = useRecordContext<TranscriptRow>();
  if (!r) return null;
  return (
    <Stack>
      <span>{r.studentName}</span>
      <Box component="span" sx={{ display: { xs: 'block', md: 'none' }, color: 'text.secondary', fontSize: 12 }}>
        {r.className} · v{r.version} · {r.schoolYear}
      </Box>
    </Stack>
  );
}

/** Học bạ số: every transcript version in reach, its signing progress and who has still to sign. */
export function TranscriptList() {
  return (
    <List filters={filters} actions={<Actions />} empty={<Empty />} sort={{ field: 'studentName', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="studentName">
          <StudentCol />
        </DataTable.Col>
        <DataTable.Col source="className" sx={{ display: { xs: 'none', md: 'table-cell' } }} />
        <DataTable.Col source="version" sx={{ display: { xs: 'none', md: 'table-cell' } }} />
        <DataTable.Col source="status">
          <StatusCol />
        </DataTable.Col>
        <DataTable.Col source="signed" disableSort sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
          <ProgressCol />
        </DataTable.Col>
        <DataTable.Col source="missing" disableSort sx={{ display: { xs: 'none', lg: 'table-cell' } }}>
          <MissingCol />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
