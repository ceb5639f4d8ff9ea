import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Button, Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useRecordContext, useTranslate } from 'react-admin';
import { apiCall, apiDownload, errorText } from '../api/client';
import { saveBlob } from '../common/files';
import { formatDateTime } from '../format';

interface ImportedYear {
  id: number;
  schoolYear: string;
  version: number;
  grade: number | null;
  className: string | null;
  school: { code: string; name: string };
  importedAt: string;
  receivedFrom: string;
}

/** A student's years at earlier schools, brought by a transfer package: read-only, the signed XML as received. */
export function ImportedYears() {
  const record = useRecordContext<{ id: number }>();
  const translate = useTranslate();
  const notify = useNotify();
  const [years, setYears] = useState<ImportedYear[] | null>(null);
  useEffect(() => {
    if (!record) return;
    apiCall<ImportedYear[]>(`/transfers/students/${record.id}/imported`).then(setYears, (e) => notify(errorText(e), { type: 'error' }));
  }, [record, notify]);
  if (!years) return null;
  if (years.length === 0) return <Alert severity="info">{translate('app.transferPackages.no_imported')}</Alert>;
  const download = async (y: ImportedYear) => {
    try {
      const { blob, fileName } = await apiDownload(`/transfers/imported/${y.id}/xml`);
      saveBlob(blob, fileName);
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  return (
    <Table size="small" data-testid="imported-years">
      <TableHead>
        <TableRow>
          {['year', 'school', 'class', 'received', 'actions'].map((h) => <TableCell key={h}>{translate(`app.transferPackages.col_${h}`)}</TableCell>)}
        </TableRow>
      </TableHead>
      <TableBody>
        {years.map((y) => (
          <TableRow key={y.id}>
            <TableCell>{y.schoolYear} <Chip size="small" label={translate('app.transferPackages.read_only')} /></TableCell>
            <TableCell>{y.school.name} ({y.school.code})</TableCell>
            <TableCell>{y.className ?? '—'}</TableCell>
            <TableCell>{formatDateTime(y.importedAt)}<br /><small>{y.receivedFrom}</small></TableCell>
            <TableCell><Button size="small" startIcon={<DownloadIcon />} onClick={() => void download(y)}>XML</Button></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
