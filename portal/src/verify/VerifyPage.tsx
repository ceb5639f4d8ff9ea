import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { useRef, useState, type DragEvent } from 'react';
import { Title, useGetList, useLocale, useTranslate } from 'react-admin';
import { apiSend, errorText } from '../api/client';
import { formatInteger } from '../format';
import type { VerifyResult } from '../transcripts/types';
import { VerificationReport } from './SignatureReports';

/** The content type the server reads the raw body by; null for files it cannot check. */
export function fileKind(file: { name: string; type: string }): 'application/xml' | 'application/pdf' | null {
  const name = file.name.toLowerCase();
  if (file.type === 'application/pdf' || name.endsWith('.pdf')) return 'application/pdf';
  if (/xml/.test(file.type) || name.endsWith('.xml')) return 'application/xml';
  return null;
}

function sizeText(bytes: number, locale: string): string {
  if (bytes < 1024) return `${formatInteger(bytes, locale)} B`;
  if (bytes < 1024 * 1024) return `${formatInteger(Math.round(bytes / 1024), locale)} KB`;
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return `${locale === 'en' ? mb : mb.replace('.', ',')} MB`;
}

/**
 * Kiểm tra chữ ký: a transcript XML or PDF (chosen or dropped) goes to POST /transcripts/verify as a raw body with
 * its content type; the answer is shown per signature with a green "Hợp lệ" or red "Không hợp lệ". A refused file
 * (hostile XML, too large) shows the server's message.
 */
export function VerifyPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; size: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [dragging, setDragging] = useState(false);
  const { data: subjects } = useGetList<{ id: number; code: string; name: string }>('subjects', { pagination: { page: 1, perPage: 200 } });
  const subjectName = (code: string) => subjects?.find((s) => s.code === code)?.name ?? code;

  const check = async (f: File) => {
    setFile({ name: f.name, size: f.size });
    setResult(null);
    setError(null);
    const kind = fileKind(f);
    if (!kind) {
      setError(translate('app.hocba.verify.wrong_type'));
      return;
    }
    setBusy(true);
    try {
      const r = await apiSend<VerifyResult>('/transcripts/verify', f, kind);
      setResult({ ...r, signatures: r.signatures ?? [] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files?.[0];
    if (f) void check(f);
  };

  return (
    <Box sx={{ p: { xs: 1, sm: 2 }, maxWidth: 960 }}>
      <Title title={translate('app.hocba.verify.title')} />
      <Typography variant="body1" sx={{ mb: 2 }}>
        {translate('app.hocba.verify.intro')}
      </Typography>
      <Paper
        variant="outlined"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        sx={{ p: { xs: 2, sm: 4 }, textAlign: 'center', borderStyle: 'dashed', borderWidth: 2, borderColor: dragging ? 'primary.main' : 'divider', bgcolor: dragging ? 'action.hover' : undefined, mb: 2 }}
        data-testid="verify-drop"
      >
        <Stack spacing={1} sx={{ alignItems: 'center' }}>
          <UploadFileIcon color="action" sx={{ fontSize: 48 }} />
          <Typography variant="body2" color="text.secondary" sx={{ display: { xs: 'none', sm: 'block' } }}>
            {translate('app.hocba.verify.drop')}
          </Typography>
          <Button variant="contained" onClick={() => inputRef.current?.click()} disabled={busy}>
            {translate('app.hocba.verify.choose')}
          </Button>
          <input
            ref={inputRef}
            type="file"
            hidden
            accept=".xml,.pdf,application/xml,text/xml,application/pdf"
            data-testid="verify-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void check(f);
            }}
          />
          {file && (
            <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
              {translate('app.hocba.verify.file', { name: file.name, size: sizeText(file.size, locale) })}
            </Typography>
          )}
        </Stack>
      </Paper>
      {busy && (
        <Box sx={{ mb: 2 }}>
          <Typography variant="body2">{translate('app.hocba.verify.checking', { name: file?.name ?? '' })}</Typography>
          <LinearProgress />
        </Box>
      )}
      {error && (
        <Alert severity="error" data-testid="verify-error" sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      {result && <VerificationReport result={result} subjectName={subjectName} />}
    </Box>
  );
}
