import { Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useState } from 'react';
import { DataTable, List, RecordContextProvider, SelectInput, Show, SimpleShowLayout, TextField, useCanAccess, useLocale, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeColumn } from '../common/columns';
import { DateTimeField } from '../common/fields';
import { ReasonDialog } from '../common/ReasonDialog';
import { ApproveRejectButtons } from '../common/recordActions';
import { Ref } from '../common/references';
import { columnLabel } from '../common/scores';
import { useRecordAction } from '../common/useRecordAction';
import { formatDate, formatDateTime } from '../format';

interface UnlockCell {
  semesterId: number;
  classId: number;
  subjectId: number;
  studentId: number;
  kind: 'regular' | 'midterm' | 'final';
  seq: number;
}
interface UnlockRequest {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  open: boolean;
  opensUntil: string | null;
  cells: UnlockCell[];
  /** The periodic test date it corrects (đề nghị sửa ngày kiểm tra), if any. */
  testDate: { kind: 'midterm' | 'final'; oldDate: string | null; newDate: string } | null;
  books: Array<{ classId: number; className: string; subjectId: number; subjectName: string }>;
}

const ddmmyyyy = (d: string | null) => formatDate(d) || '—';

/** The grade books a request is about: "6A1 · Toán". */
const booksText = (r: UnlockRequest) => r.books.map((b) => `${b.className} · ${b.subjectName}`).join(', ');

/** What it asks: N cells, and/or a test date correction "ĐĐGgk: 03/11/2026 → 21/11/2026". */
function WhatField() {
  const record = useRecordContext<UnlockRequest>();
  const translate = useTranslate();
  if (!record) return null;
  const parts = [
    record.cells.length > 0 && translate('app.unlock.n_cells', { count: record.cells.length }),
    record.testDate && translate('app.unlock.test_date_fix', { column: columnLabel(record.testDate.kind, 1), from: ddmmyyyy(record.testDate.oldDate), to: ddmmyyyy(record.testDate.newDate) }),
  ].filter(Boolean);
  return <span data-testid="unlock-what">{parts.join(' · ')}</span>;
}

const STATUS_CHOICES = ['pending', 'approved', 'rejected'].map((id) => ({ id, name: `app.choices.requestStatus.${id}` }));

/** The status, and for an approved request whether its cells are open right now and until when. */
export function UnlockStatusField() {
  const record = useRecordContext<UnlockRequest>();
  const translate = useTranslate();
  const locale = useLocale();
  if (!record) return null;
  const color = record.status === 'pending' ? 'info' : record.status === 'approved' ? 'success' : 'default';
  return (
    <Stack direction="row" spacing={0.5}>
      <Chip size="small" color={color} label={translate(`app.choices.requestStatus.${record.status}`)} />
      {record.status === 'approved' && record.opensUntil && (
        <Chip size="small" variant="outlined" label={translate(record.open ? 'app.unlock.open_until' : 'app.unlock.closed_again', { time: formatDateTime(record.opensUntil, locale) })} />
      )}
    </Stack>
  );
}

function CellsField() {
  const record = useRecordContext<UnlockRequest>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate('app.gradebook.class')}</TableCell>
          <TableCell>{translate('app.gradebook.subject')}</TableCell>
          <TableCell>{translate('app.gradebook.student')}</TableCell>
          <TableCell>{translate('app.gradebook.column')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {record.cells.map((c) => (
          <RecordContextProvider key={`${c.studentId}:${c.kind}:${c.seq}:${c.subjectId}`} value={c}>
            <TableRow>
              <TableCell>
                <Ref source="classId" reference="classes" link={false} />
              </TableCell>
              <TableCell>
                <Ref source="subjectId" reference="subjects" link={false} />
              </TableCell>
              <TableCell>
                <Ref source="studentId" reference="students" link={false} />
              </TableCell>
              <TableCell>{columnLabel(c.kind, c.seq)}</TableCell>
            </TableRow>
          </RecordContextProvider>
        ))}
      </TableBody>
    </Table>
  );
}

/** Phê duyệt / Từ chối: the principal only (domain/permissions 'approve'); rejecting needs a note. */
function DecisionButtons() {
  const record = useRecordContext<UnlockRequest>();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'unlock-requests', action: 'approve' });
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const { run, busy } = useRecordAction();
  if (!record || record.status !== 'pending' || !canAccess) return null;
  return (
    <Stack direction="row" spacing={1}>
      <ApproveRejectButtons busy={busy} onPick={setDialog} />
      <ReasonDialog
        open={dialog !== null}
        title={translate(dialog === 'approve' ? 'app.unlock.approve_title' : 'app.unlock.reject_title', { id: record.id })}
        content={
          dialog === 'approve'
            ? [record.cells.length > 0 && translate('app.unlock.approve_content', { count: record.cells.length }), record.testDate && translate('app.unlock.approve_test_date', { to: ddmmyyyy(record.testDate.newDate) })].filter(Boolean).join(' ')
            : undefined
        }
        label={translate('app.requests.note')}
        required={dialog === 'reject'}
        confirmLabel={translate(dialog === 'approve' ? 'app.requests.approve' : 'app.requests.reject')}
        onClose={() => setDialog(null)}
        onConfirm={(note) => {
          const step = dialog!;
          setDialog(null);
          void run((dp) => dp.requestStep('unlock-requests', record.id, step, note ? { note } : {}), step === 'approve' ? 'app.requests.approved_done' : 'app.requests.rejected_done');
        }}
      />
    </Stack>
  );
}

const filters = [<SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />];

export const UnlockRequestList = () => (
  <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
    <DataTable bulkActionButtons={false} rowClick="show">
      <DateTimeColumn source="createdAt" />
      <DataTable.Col source="requestedByName" />
      <DataTable.Col source="books" label="resources.unlock-requests.fields.books" disableSort render={booksText} />
      <DataTable.Col source="cells" label="resources.unlock-requests.fields.what" disableSort>
        <WhatField />
      </DataTable.Col>
      <DataTable.Col source="reason" />
      <DataTable.Col source="status">
        <UnlockStatusField />
      </DataTable.Col>
    </DataTable>
  </List>
);

export const UnlockRequestShow = () => (
  <Show>
    <SimpleShowLayout>
      <UnlockStatusField />
      <TextField source="requestedByName" />
      <DateTimeField source="createdAt" />
      <TextField source="reason" />
      <WhatField />
      <CellsField />
      <TextField source="decidedByName" emptyText="—" />
      <DateTimeField source="decidedAt" />
      <TextField source="decisionNote" emptyText="—" />
      <DecisionButtons />
    </SimpleShowLayout>
  </Show>
);
