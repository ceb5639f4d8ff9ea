import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Card, CardContent, Chip, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, Typography } from '@mui/material';
import { useRef, useState, type ChangeEvent } from 'react';
import { Title, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { canImport, IMPORT_KINDS, type ImportKind } from '../../../domain/permissions';
import type { Principal } from '../../../domain/permissions';
import { apiCall } from '../api/client';
import { useImportRun } from '../common/useImportRun';
import type { PortalIdentity } from '../auth/authProvider';
import { toBase64 } from '../common/files';

type RowStatus = 'create' | 'update' | 'unchanged' | 'error';
interface ReportRow {
  row: number;
  status: RowStatus;
  errors: Record<string, string>;
  data: Record<string, unknown>;
  changes?: string[];
}
/** POST /api/imports/{kind}?mode=dry-run|commit (server/imports/routes.ts, docs/import-templates.md). */
interface Report {
  kind: ImportKind;
  fileName: string;
  mode: 'dry-run' | 'commit';
  rows: ReportRow[];
  summary: Record<RowStatus, number>;
}

export const mayImport = (p: Principal) => IMPORT_KINDS.some((k) => canImport(p, k));

const STATUS_COLOR: Record<RowStatus, 'success' | 'info' | 'default' | 'error'> = { create: 'success', update: 'info', unchanged: 'default', error: 'error' };
/** The JSON body limit is 1 MB and the file travels base64-encoded (4/3 of its size). */
const MAX_FILE_BYTES = 740 * 1024;

/**
 * Nhập dữ liệu từ Excel/CSV: choose a file, see every row's status and errors (in Vietnamese) from a dry run that
 * writes nothing, then commit — all or nothing. Importing the same file twice creates no duplicates.
 */
export function ImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const kinds = principal ? IMPORT_KINDS.filter((k) => canImport(principal, k)) : [];
  const [kind, setKind] = useState<ImportKind | null>(null);
  const current = kind ?? kinds[0] ?? null;
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const { report, setReport, busy, error, setError, run: runImport } = useImportRun<Report>();
  const inputRef = useRef<HTMLInputElement>(null);

  const run = async (mode: 'dry-run' | 'commit', f = file) => {
    if (!f || !current) return;
    await runImport(
      mode,
      () => apiCall<Report>(`/imports/${current}?mode=${mode}`, { method: 'POST', body: { fileName: f.name, contentBase64: f.base64 } }),
      (r) => {
        setReport(r);
        if (mode === 'commit') {
          notify('app.imports.committed', { type: 'success', messageArgs: { create: r.summary.create, update: r.summary.update } });
          setFile(null);
        }
      },
    );
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setReport(null);
    if (f.size > MAX_FILE_BYTES) return void setError(translate('app.imports.too_big', { size: Math.round(MAX_FILE_BYTES / 1024) }));
    const loaded = { name: f.name, base64: toBase64(await f.arrayBuffer()) };
    setFile(loaded);
    await run('dry-run', loaded);
  };

  if (!current) return <Alert severity="warning">{translate('app.common.forbidden')}</Alert>;
  const columns = report ? [...new Set(report.rows.flatMap((r) => Object.keys(r.data)))].slice(0, 6) : [];
  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('app.imports.title')} />
      <Tabs value={current} onChange={(_, v) => (setKind(v), setReport(null), setFile(null), setError(null))} sx={{ mb: 1 }}>
        {kinds.map((k) => (
          <Tab key={k} value={k} label={translate(`app.imports.kind.${k}`)} />
        ))}
      </Tabs>
      <Card sx={{ mb: 1 }}>
        <CardContent>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate(`app.imports.help.${current}`)}
          </Typography>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <input ref={inputRef} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" hidden onChange={(e) => void onFile(e)} data-testid="import-file" />
            <Button variant="outlined" startIcon={<UploadFileIcon />} onClick={() => inputRef.current?.click()} disabled={busy !== null}>
              {translate('app.imports.choose')}
            </Button>
            {file && <Typography variant="body2">{file.name}</Typography>}
            <Box sx={{ flex: 1 }} />
            <Button variant="contained" disabled={!report || report.mode !== 'dry-run' || report.summary.error > 0 || busy !== null || !file} onClick={() => void run('commit')} data-testid="import-commit">
              {translate('app.imports.commit')}
            </Button>
          </Stack>
          {busy && (
            <Box sx={{ mt: 2 }}>
              <LinearProgress />
              <Typography variant="caption">{translate(busy === 'commit' ? 'app.imports.committing' : 'app.imports.checking')}</Typography>
            </Box>
          )}
        </CardContent>
      </Card>
      {error && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {error}
        </Alert>
      )}
      {report && (
        <>
          <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }} data-testid="import-summary">
            <Typography variant="subtitle2">{translate(report.mode === 'commit' && !error ? 'app.imports.done' : 'app.imports.dry_run')}</Typography>
            {(['create', 'update', 'unchanged', 'error'] as RowStatus[]).map((s) => (
              <Chip key={s} size="small" color={STATUS_COLOR[s]} variant={s === 'error' && report.summary.error === 0 ? 'outlined' : 'filled'} label={`${translate(`app.imports.status.${s}`)}: ${report.summary[s]}`} />
            ))}
          </Stack>
          {report.summary.error > 0 && (
            <Alert severity="warning" sx={{ mb: 1 }}>
              {translate('app.imports.fix_first', { count: report.summary.error })}
            </Alert>
          )}
          <Box sx={{ maxHeight: 'calc(100vh - 420px)', overflow: 'auto', border: 1, borderColor: 'divider', borderRadius: 1 }}>
            <Table size="small" stickyHeader sx={{ bgcolor: 'background.paper' }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.imports.row')}</TableCell>
                  <TableCell>{translate('app.imports.status_col')}</TableCell>
                  {columns.map((c) => (
                    <TableCell key={c}>{c}</TableCell>
                  ))}
                  <TableCell>{translate('app.imports.errors')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.rows.map((r) => (
                  <TableRow key={r.row} sx={r.status === 'error' ? { bgcolor: '#fff4f4' } : undefined}>
                    <TableCell>{r.row}</TableCell>
                    <TableCell>
                      <Chip size="small" color={STATUS_COLOR[r.status]} label={translate(`app.imports.status.${r.status}`)} />
                    </TableCell>
                    {columns.map((c) => (
                      <TableCell key={c}>{r.data[c] === null || r.data[c] === undefined ? '' : String(r.data[c])}</TableCell>
                    ))}
                    <TableCell sx={{ color: 'error.main' }}>
                      {Object.entries(r.errors).map(([col, msg]) => (
                        <div key={col}>
                          <strong>{col}</strong>: {msg}
                        </div>
                      ))}
                      {r.changes && r.changes.length > 0 && <Typography variant="caption" color="text.secondary">{translate('app.imports.changes', { fields: r.changes.join(', ') })}</Typography>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </>
      )}
    </Box>
  );
}
