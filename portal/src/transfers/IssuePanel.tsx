import DownloadIcon from '@mui/icons-material/Download';
import OutboxIcon from '@mui/icons-material/Outbox';
import { Alert, Button, Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useDataProvider, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { requiresTotp } from '../../../domain/permissions';
import { apiCall, apiDownload, errorText } from '../api/client';
import type { PortalIdentity } from '../auth/authProvider';
import { saveBlob } from '../common/files';
import { formatDate, formatDateTime, parseVnDate, vnToday } from '../format';
import { PinDialog } from '../signing/PinDialog';

interface IssuedPackage {
  id: number;
  studentName: string;
  studentCode: string;
  packageId: string;
  toSchool: { code: string | null; name: string };
  transferDate: string;
  documents: number;
  createdAt: string;
  createdByName: string | null;
}
interface StudentHit {
  id: number;
  studentCode: string;
  fullName: string;
  status: string;
}

/** Out: find the leaving student, say where they go, seal the package with the PIN; the log below downloads each. */
export function IssuePanel() {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider();
  const { identity } = useGetIdentity();
  const user = (identity as PortalIdentity | undefined)?.user;
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<StudentHit[]>([]);
  const [student, setStudent] = useState<StudentHit | null>(null);
  const [form, setForm] = useState({ toSchoolName: '', toSchoolCode: '', transferDate: formatDate(vnToday()), reason: '' });
  const [asking, setAsking] = useState(false);
  const [packages, setPackages] = useState<IssuedPackage[]>([]);
  const needsTotp = !!user && requiresTotp(user.principal.grants.filter((g) => g.schoolId === user.schoolId));

  const load = useCallback(() => {
    apiCall<IssuedPackage[]>('/transfers/packages').then(setPackages, (e) => notify(errorText(e), { type: 'error' }));
  }, [notify]);
  useEffect(load, [load]);

  const search = async () => {
    const r = await dataProvider.getList<StudentHit>('students', { filter: { q }, pagination: { page: 1, perPage: 10 }, sort: { field: 'fullName', order: 'ASC' } });
    setHits(r.data);
  };
  const issue = async (pin: string, totp: string | undefined): Promise<string | null> => {
    try {
      const body = { studentId: student!.id, toSchoolName: form.toSchoolName, toSchoolCode: form.toSchoolCode || undefined, transferDate: parseVnDate(form.transferDate) ?? form.transferDate, reason: form.reason || undefined, pin, totp };
      const r = await apiCall<{ documents: number }>('/transfers/packages', { method: 'POST', body });
      setAsking(false);
      notify(translate('app.transferPackages.issued', { documents: r.documents }), { type: 'success' });
      setStudent(null);
      load();
      return null;
    } catch (e) {
      return errorText(e);
    }
  };
  const download = async (p: IssuedPackage) => {
    try {
      const { blob, fileName } = await apiDownload(`/transfers/packages/${p.id}/zip`);
      saveBlob(blob, fileName);
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate('app.transferPackages.out_title')}</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.transferPackages.out_intro')}</Typography>
        <Stack direction="row" spacing={1} sx={{ my: 1 }}>
          <TextField size="small" label={translate('app.transferPackages.find_student')} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} />
          <Button onClick={() => void search()}>{translate('app.transferPackages.find')}</Button>
        </Stack>
        <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
          {hits.map((h) => (
            <Chip key={h.id} label={`${h.fullName} · ${h.studentCode}`} color={student?.id === h.id ? 'primary' : 'default'} onClick={() => setStudent(h)} data-testid="transfer-student" />
          ))}
        </Stack>
        {student && (
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mt: 2 }}>
            <TextField size="small" required label={translate('app.transferPackages.to_school_name')} value={form.toSchoolName} onChange={set('toSchoolName')} sx={{ minWidth: 260 }} />
            <TextField size="small" label={translate('app.transferPackages.to_school_code')} value={form.toSchoolCode} onChange={set('toSchoolCode')} />
            <TextField size="small" label={translate('app.transferPackages.transfer_date')} placeholder="dd/mm/yyyy" value={form.transferDate} onChange={set('transferDate')} error={parseVnDate(form.transferDate) === null} />
            <TextField size="small" label={translate('app.transferPackages.reason')} value={form.reason} onChange={set('reason')} />
            <Button variant="contained" startIcon={<OutboxIcon />} disabled={form.toSchoolName.trim().length < 3 || parseVnDate(form.transferDate) === null} onClick={() => setAsking(true)} data-testid="transfer-issue">
              {translate('app.transferPackages.issue')}
            </Button>
          </Stack>
        )}
        {packages.length === 0 ? (
          <Alert severity="info" sx={{ mt: 2 }}>{translate('app.transferPackages.no_packages')}</Alert>
        ) : (
          <Table size="small" sx={{ mt: 2 }}>
            <TableHead>
              <TableRow>
                {['student', 'to', 'date', 'documents', 'created', 'actions'].map((h) => <TableCell key={h}>{translate(`app.transferPackages.col_${h}`)}</TableCell>)}
              </TableRow>
            </TableHead>
            <TableBody>
              {packages.map((p) => (
                <TableRow key={p.id} data-testid="transfer-package">
                  <TableCell>{p.studentName}<br /><small>{p.studentCode}</small></TableCell>
                  <TableCell>{p.toSchool.name}{p.toSchool.code ? ` (${p.toSchool.code})` : ''}</TableCell>
                  <TableCell>{formatDate(p.transferDate)}</TableCell>
                  <TableCell>{p.documents}</TableCell>
                  <TableCell>{formatDateTime(p.createdAt)}<br /><small>{p.createdByName ?? ''}</small></TableCell>
                  <TableCell><Button size="small" startIcon={<DownloadIcon />} onClick={() => void download(p)}>{translate('app.transferPackages.download')}</Button></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <PinDialog open={asking} count={0} needsTotp={needsTotp} title={translate('app.transferPackages.pin_title')} help={translate('app.transferPackages.pin_help')} onSubmit={issue} onClose={() => setAsking(false)} />
      </CardContent>
    </Card>
  );
}
