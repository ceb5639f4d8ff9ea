import FactCheckIcon from '@mui/icons-material/FactCheck';
import MoveToInboxIcon from '@mui/icons-material/MoveToInbox';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Card, CardContent, Chip, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { apiCall, errorText } from '../api/client';
import { useGradebookChoices } from '../common/useGradebookChoices';
import { formatDate } from '../format';

interface Signature {
  id: string | null;
  role: string;
  valid: boolean;
  signer: string | null;
}
interface Preview {
  packageId: string;
  fromSchool: { code: string; name: string };
  transferDate: string;
  reason: string | null;
  student: { fullName: string; studentCode: string; birthDate: string; match: 'new' | 'existing' };
  documents: Array<{ file: string; schoolYear: string; version: number; schoolCode: string; schoolName: string; className: string | null; signatures: Signature[] }>;
}

const toBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * In: the package ZIP is checked first (a dry run: the record's seal and every transcript's signatures, nothing
 * written) and shown; then imported, optionally into a class of the current year.
 */
export function ReceivePanel() {
  const translate = useTranslate();
  const notify = useNotify();
  const choices = useGradebookChoices();
  const [content, setContent] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [classId, setClassId] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean, c = content) => {
    if (!c) return;
    setBusy(true);
    setError(null);
    try {
      const r = await apiCall<Preview & { studentId?: number }>('/transfers/imports', { method: 'POST', body: { contentBase64: c.base64, dryRun, classId: classId === '' ? undefined : classId } });
      if (dryRun) setPreview(r);
      else {
        notify(translate('app.transferPackages.imported', { name: r.student.fullName, documents: r.documents.length }), { type: 'success' });
        setPreview(null);
        setContent(null);
      }
    } catch (e) {
      setPreview(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const pick = async (file: File | undefined) => {
    if (!file) return;
    const c = { name: file.name, base64: await toBase64(file) };
    setContent(c);
    await send(true, c);
  };

  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate('app.transferPackages.in_title')}</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>{translate('app.transferPackages.in_intro')}</Typography>
        <Button component="label" variant="outlined" startIcon={<UploadFileIcon />} disabled={busy}>
          {translate('app.transferPackages.choose_zip')}
          <input hidden type="file" accept=".zip,application/zip" data-testid="transfer-upload" onChange={(e) => void pick(e.target.files?.[0])} />
        </Button>
        {content && <Typography variant="caption" sx={{ ml: 1 }}>{content.name}</Typography>}
        {error && <Alert severity="error" sx={{ mt: 2 }} data-testid="transfer-error">{error}</Alert>}
        {preview && (
          <Box sx={{ mt: 2 }} data-testid="transfer-preview">
            <Alert severity="success" icon={<FactCheckIcon />}>
              {translate('app.transferPackages.verified', { documents: preview.documents.length, from: `${preview.fromSchool.name} (${preview.fromSchool.code})` })}
            </Alert>
            <Typography sx={{ mt: 1 }}>
              {preview.student.fullName} · {preview.student.studentCode} · {formatDate(preview.student.birthDate)} — {translate(`app.transferPackages.match_${preview.student.match}`)}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('app.transferPackages.transfer_date')}: {formatDate(preview.transferDate)}{preview.reason ? ` · ${preview.reason}` : ''}
            </Typography>
            <Table size="small" sx={{ mt: 1 }}>
              <TableHead>
                <TableRow>
                  {['year', 'school', 'class', 'signatures'].map((h) => <TableCell key={h}>{translate(`app.transferPackages.col_${h}`)}</TableCell>)}
                </TableRow>
              </TableHead>
              <TableBody>
                {preview.documents.map((d) => (
                  <TableRow key={d.file}>
                    <TableCell>{d.schoolYear}<br /><small>{translate('app.transferPackages.version', { version: d.version })}</small></TableCell>
                    <TableCell>{d.schoolName} ({d.schoolCode})</TableCell>
                    <TableCell>{d.className ?? '—'}</TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
                        {d.signatures.map((s) => <Chip key={s.id ?? s.role} size="small" color={s.valid ? 'success' : 'error'} label={s.role} title={`${s.id ?? ''} ${s.signer ?? ''}`} />)}
                      </Stack>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Stack direction="row" spacing={2} sx={{ mt: 2 }} alignItems="center">
              <TextField select size="small" label={translate('app.transferPackages.class')} value={classId} onChange={(e) => setClassId(e.target.value === '' ? '' : Number(e.target.value))} sx={{ minWidth: 200 }}>
                <MenuItem value="">{translate('app.transferPackages.no_class')}</MenuItem>
                {choices.allClasses.map((c) => <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>)}
              </TextField>
              <Button variant="contained" startIcon={<MoveToInboxIcon />} disabled={busy} onClick={() => void send(false)} data-testid="transfer-commit">
                {translate('app.transferPackages.commit')}
              </Button>
            </Stack>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
