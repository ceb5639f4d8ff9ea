import PrintIcon from '@mui/icons-material/Print';
import { Alert, Box, Button, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useGetList, useLocale, useNotify, useTranslate } from 'react-admin';
import { PRINT_APPROVAL_GRADES } from '../../../domain/transcript/chain';
import { errorText } from '../api/client';
import { formatDateTime } from '../format';
import { approvePrinting, listPrintApprovals, type PrintApproval } from './api';

/**
 * Duyệt in: grades 6 and 9 are printed only once the principal approves the grade or one class of it
 * (hoc-ba-so.md "Printing and archive", domain/transcript/chain PRINT_APPROVAL_GRADES).
 */
export function PrintApprovalsTab({ schoolYearId, canApprove }: { schoolYearId: number | null; canApprove: boolean }) {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const [rows, setRows] = useState<PrintApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [grade, setGrade] = useState<number>(PRINT_APPROVAL_GRADES[0]);
  const [classId, setClassId] = useState<number | ''>('');
  const { data: classes } = useGetList<{ id: number; name: string; grade: number }>(
    'classes',
    { filter: { schoolYearId }, pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } },
    { enabled: !!schoolYearId },
  );
  const className = (id: number | null) => classes?.find((c) => c.id === id)?.name ?? `#${id}`;
  const load = () =>
    listPrintApprovals()
      .then(setRows)
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, []);
  const approve = async () => {
    if (!schoolYearId) return;
    try {
      await approvePrinting({ schoolYearId, grade, ...(classId !== '' ? { classId } : {}) });
      notify('app.hocba.certificates.print_done', { type: 'success' });
      setClassId('');
      void load();
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const shown = (rows ?? []).filter((r) => !schoolYearId || r.schoolYearId === schoolYearId);
  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('app.hocba.certificates.print_help')}
      </Typography>
      {canApprove && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2, alignItems: { sm: 'center' } }}>
          <TextField select size="small" sx={{ minWidth: 120 }} label={translate('app.hocba.certificates.grade')} value={grade} onChange={(e) => setGrade(Number(e.target.value))}>
            {PRINT_APPROVAL_GRADES.map((g) => (
              <MenuItem key={g} value={g}>
                {g}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            sx={{ minWidth: 180 }}
            label={translate('resources.classes.name')}
            value={classId}
            onChange={(e) => setClassId(e.target.value === '' ? '' : Number(e.target.value))}
            slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          >
            <MenuItem value="">{translate('app.hocba.certificates.whole_grade')}</MenuItem>
            {(classes ?? [])
              .filter((c) => c.grade === grade)
              .map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
          </TextField>
          <Button variant="contained" startIcon={<PrintIcon />} disabled={!schoolYearId} onClick={() => void approve()}>
            {translate(classId === '' ? 'app.hocba.certificates.approve_grade' : 'app.hocba.certificates.approve_class')}
          </Button>
        </Stack>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      {rows && shown.length === 0 && <Alert severity="info">{translate('app.hocba.certificates.print_empty')}</Alert>}
      {shown.length > 0 && (
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
              {shown.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>
                    {r.classId != null ? translate('app.hocba.certificates.print_class', { name: className(r.classId) }) : translate('app.hocba.certificates.print_grade', { grade: r.grade })}
                  </TableCell>
                  <TableCell>{r.approvedBy ?? ''}</TableCell>
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
