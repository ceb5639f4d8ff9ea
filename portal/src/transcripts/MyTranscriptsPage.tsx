import CodeIcon from '@mui/icons-material/Code';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useLocale, useTranslate } from 'react-admin';
import { API_URL, apiCall, errorText } from '../api/client';
import { formatDateTime } from '../format';
import { TranscriptStatusChip } from './fields';
import type { MyTranscript } from './types';

/** Học bạ của em: a student's (or parent's) own sealed versions with their downloads (GET /my/transcripts). */
export function MyTranscriptsPage() {
  const translate = useTranslate();
  const locale = useLocale();
  const [rows, setRows] = useState<MyTranscript[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    apiCall<MyTranscript[] | { data?: MyTranscript[] }>('/my/transcripts')
      .then((r) => setRows(Array.isArray(r) ? r : (r?.data ?? [])))
      .catch((e) => setError(errorText(e)));
  }, []);
  return (
    <Box sx={{ p: { xs: 1, sm: 2 }, maxWidth: 800 }}>
      <Title title={translate('app.hocba.mine.title')} />
      {error && <Alert severity="error">{error}</Alert>}
      {!rows && !error && <CircularProgress />}
      {rows && rows.length === 0 && <Alert severity="info">{translate('app.hocba.mine.empty')}</Alert>}
      <Stack spacing={2}>
        {(rows ?? [])
          .slice()
          .sort((a, b) => b.version - a.version)
          .map((t) => (
            <Card key={t.id} variant="outlined" data-testid="my-transcript">
              <CardContent>
                <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
                  <Typography variant="h6">{translate('app.hocba.show.version_n', { n: t.version })}</Typography>
                  <TranscriptStatusChip status={t.status} />
                  {t.schoolYear && <Typography color="text.secondary">{t.schoolYear}</Typography>}
                </Stack>
                {t.sealedAt && (
                  <Typography variant="body2">
                    {translate('app.hocba.mine.sealed_at')}: {formatDateTime(t.sealedAt, locale)}
                  </Typography>
                )}
                {t.verificationCode && (
                  <Typography variant="body2">
                    {translate('app.hocba.show.code')}: <span style={{ fontFamily: 'monospace' }}>{t.verificationCode}</span>
                  </Typography>
                )}
                <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 1.5, flexWrap: 'wrap' }}>
                  <Button variant="outlined" size="small" startIcon={<CodeIcon />} href={`${API_URL}/transcripts/${t.id}/xml`} download>
                    {translate('app.hocba.show.download_xml')}
                  </Button>
                  <Button variant="contained" size="small" startIcon={<PictureAsPdfIcon />} href={`${API_URL}/transcripts/${t.id}/pdf`} download>
                    {translate('app.hocba.show.download_pdf')}
                  </Button>
                </Stack>
              </CardContent>
            </Card>
          ))}
      </Stack>
    </Box>
  );
}
