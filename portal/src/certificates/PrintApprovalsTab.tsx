import PrintIcon from '@mui/icons-material/Print';
import { Alert, Box, Button, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetList, useLocale, useNotify, useTranslate } from 'react-admin';
import { errorText } from '../api/client';
import { formatDateTime } from '../format';
import { approvePrinting, listPrintApprovals, type PrintApproval } from './api';

const THCS_GRADES = [6, 7, 8, 9];

/** Duyệt in: printed copies only once the principal approves a grade or a class (hoc-ba-so.md "Printing and archive"). */
export function PrintApprovalsTab({ canApprove }: { canApprove: boolean }) {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const [rows, setRows] = useState<PrintApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [grade, setGrade] = useState<number | ''>('');
  const [classId, setClassId] = useState<number | ''>('');
  const { data: classes } = useGetList<{ id: number; name: string; grade: number }>('classes', { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } });
  const load = () =>
    listPrintApprovals()
      .then(setRows)
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, []);
  const approve = async (scope: { grade: number } | { classId: number }) => {
    try {
      await approvePrinting(scope);
      notify('app.hocba.certificates.print_done', { type: 'success' });
      setGrade('');
      setClassId('');
      void load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('app.hocba.certificates.print_help')}
      </Typography>
      {canApprove && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
          <Stack direction="row" spacing={1}>
            <TextField select size="small" sx={{ minWidth: 120 }} label={translate('app.hocba.certificates.grade')} value={grade} onChange={(e) => setGrade(Number(e.target.value))}>
              {THCS_GRADES.map((g) => (
                <MenuItem key={g} value={g}>
                  {g}
                </MenuItem>
              ))}
            </TextField>
            <Button variant="outlined" startIcon={<PrintIcon />} disabled={grade === ''} onClick={() => grade !== '' && void approve({ grade })}>
              {translate('app.hocba.certificates.approve_grade')}
            </Button>
          </Stack>
          <Stack direction="row" spacing={1}>
            <TextField select size="small" sx={{ minWidth: 120 }} label={translate('resources.classes.name')} value={classId} onChange={(e) => setClassId(Number(e.target.value))}>
              {(classes ?? []).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <Button variant="outlined" startIcon={<PrintIcon />} disabled={classId === ''} onClick={() => classId !== '' && void approve({ classId })}>
              {translate('app.hocba.certificates.approve_class')}
            </Button>
          </Stack>
        </Stack>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      {rows && rows.length === 0 && <Alert severity="info">{translate('app.hocba.certificates.print_empty')}</Alert>}
      {rows && rows.length > 0 && (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{translate('app.hocba.certificates.print_scope')}</TableCell>
                <TableCell>{translate('app.hocba.certificates.approved_by')}</TableCell>
                <TableCell>{translate('app.hocba.certificates.approved_at')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>
                    {r.classId != null
                      ? translate('app.hocba.certificates.print_class', { name: r.className ?? classes?.find((c) => c.id === r.classId)?.name ?? `#${r.classId}` })
                      : translate('app.hocba.certificates.print_grade', { grade: r.grade ?? '' })}
                    {r.schoolYear ? ` · ${r.schoolYear}` : ''}
                  </TableCell>
                  <TableCell>{r.approvedByName ?? ''}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.approvedAt, locale)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
