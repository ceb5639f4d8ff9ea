import SearchIcon from '@mui/icons-material/Search';
import VerifiedIcon from '@mui/icons-material/Verified';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, Container, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { LocalesMenuButton, useTranslate } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { FactRow } from './FactRow';
import { publicStatusKey } from '../transcripts/parts';
import type { PublicTranscript } from '../transcripts/types';

/** The QR code on the PDF leads here: `<origin>/#/tra-cuu/<code>` (PUBLIC_LOOKUP_PATH). */
export const PUBLIC_LOOKUP_PATH = '/tra-cuu';

const STATUS_COLOR = { in_force: 'success', revoked: 'error', superseded: 'warning' } as const;

const schoolName = (s: PublicTranscript['school']) => (!s ? '—' : typeof s === 'string' ? s : (s.name ?? s.code ?? '—'));

function Result({ t }: { t: PublicTranscript }) {
  const translate = useTranslate();
  const key = publicStatusKey(t.status);
  return (
    <Card variant="outlined" data-testid="public-result">
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <VerifiedIcon color={STATUS_COLOR[key]} />
          <Chip color={STATUS_COLOR[key]} label={translate(`app.hocba.public.${key}`)} data-testid="public-status" />
        </Stack>
        <FactRow label={translate('app.hocba.public.school')}>{schoolName(t.school)}</FactRow>
        <FactRow label={translate('app.hocba.public.uid')} mono>
          {t.transcriptUid}
        </FactRow>
        <FactRow label={translate('app.hocba.public.version')}>{t.version}</FactRow>
        <FactRow label={translate('app.hocba.public.sha256')} mono>
          {t.sha256}
        </FactRow>
        <Typography variant="caption" color="text.secondary">
          {translate('app.hocba.public.hash_help')}
        </Typography>
      </CardContent>
    </Card>
  );
}

/**
 * Tra cứu học bạ, open without signing in (a CustomRoutes noLayout route, which react-admin renders whatever the
 * auth state): only the identifier, version, status, school and document hash (GET /public/transcripts/:code);
 * the server's rate limit shows as its own message.
 */
export function PublicLookupPage() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { code } = useParams<{ code?: string }>();
  const [typed, setTyped] = useState(code ?? '');
  const [result, setResult] = useState<PublicTranscript | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setTyped(code ?? '');
    setResult(null);
    setError(null);
    if (!code) return;
    let live = true;
    setBusy(true);
    apiCall<PublicTranscript>(`/public/transcripts/${encodeURIComponent(code)}`)
      .then((r) => live && setResult(r))
      .catch((e) => {
        if (!live) return;
        const b = errorBody(e);
        if (b.status === 429) setError(b.message && b.message !== 'ra.notification.http_error' ? b.message : translate('app.hocba.public.rate_limited'));
        else if (b.status === 404) setError(translate('app.hocba.public.not_found'));
        else setError(b.message || translate('app.hocba.public.not_found'));
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [code, translate]);

  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: { xs: 2, sm: 6 } }}>
      <Container maxWidth="sm">
        <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
          <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
            {translate('app.hocba.public.title')}
          </Typography>
          <LocalesMenuButton />
        </Stack>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate('app.hocba.public.intro')}
        </Typography>
        <Box
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            const c = typed.trim();
            if (c) navigate(`${PUBLIC_LOOKUP_PATH}/${encodeURIComponent(c)}`);
          }}
          sx={{ display: 'flex', gap: 1, mb: 2 }}
        >
          <TextField
            size="small"
            fullWidth
            label={translate('app.hocba.public.code')}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'public-code', autoCapitalize: 'characters', spellCheck: false } }}
            sx={{ bgcolor: 'background.paper' }}
          />
          <Button type="submit" variant="contained" startIcon={<SearchIcon />} disabled={busy} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
            {translate('app.hocba.public.lookup')}
          </Button>
        </Box>
        {busy && <CircularProgress />}
        {error && (
          <Alert severity="error" data-testid="public-error">
            {error}
          </Alert>
        )}
        {result && <Result t={result} />}
      </Container>
    </Box>
  );
}
