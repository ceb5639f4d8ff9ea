import VerifiedIcon from '@mui/icons-material/Verified';
import { Alert, Box, Card, CardContent, CircularProgress, Container, Stack, Typography } from '@mui/material';
import { useEffect, useState, type ChangeEvent, type ReactNode } from 'react';
import { LocalesMenuButton, useTranslate } from 'react-admin';
import { useParams } from 'react-router-dom';
import { apiCall, errorBody } from '../api/client';
import { FactRow } from './FactRow';
import { formatDateTime } from '../format';

/** The QR on every page of a printed book leads here: `<origin>/#/kiem-tra-ban-in/<code>` (server/printing/routes.ts). */
export const PRINTED_CHECK_PATH = '/kiem-tra-ban-in';

/** GET /api/public/printed/:code (server/printing/operations.ts publicPrinted): never any score or name of a student. */
interface Printed {
  valid: boolean;
  code: string;
  school: string;
  /** gradebook | rollcall | enrolment (domain/printing.ts); `book` is its Vietnamese name. */
  kind?: string;
  book: string;
  /** null for the enrolment register, the school's book (for one grade, or the whole school). */
  className: string | null;
  grade?: number | null;
  schoolYear: string;
  period: string;
  pages: number;
  sha256: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

/** SHA-256 of a chosen file, in the browser: the PDF never leaves the reader's device. */
async function sha256Of(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Kiểm tra bản in: anyone holding a printed book (grade book, roll-call book, enrolment register) (an inspector, a parent) checks that its code belongs to a
 * print the principal approved, and may compare a PDF copy's SHA-256 with the approved one. No sign-in.
 */
export function PrintedCheckPage() {
  const translate = useTranslate();
  const { code = '' } = useParams();
  const [data, setData] = useState<Printed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [match, setMatch] = useState<boolean | null>(null);
  useEffect(() => {
    setData(null);
    setError(null);
    apiCall<Printed>(`/public/printed/${encodeURIComponent(code)}`)
      .then(setData)
      .catch((e) => setError(errorBody(e).message));
  }, [code]);
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again (after editing it) checks it again
    if (f && data) setMatch((await sha256Of(f)) === data.sha256);
  };
  const period = (p: string) => (p === 'year' ? translate('app.results.whole_year') : translate(`app.choices.semester.${p}`));
  return (
    <Container maxWidth="sm" sx={{ py: 3 }}>
      <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          {translate('app.printed_check.title')}
        </Typography>
        <LocalesMenuButton />
      </Stack>
      {!data && !error && <CircularProgress />}
      {error && (
        <Alert severity="error" data-testid="printed-invalid">
          {translate('app.printed_check.invalid', { code })}
        </Alert>
      )}
      {data && (
        <Card variant="outlined" data-testid="printed-valid">
          <CardContent>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
              <VerifiedIcon color="success" />
              <Typography variant="subtitle1">{translate('app.printed_check.valid')}</Typography>
            </Stack>
            <FactRow label={translate('app.printed_check.school')}>{data.school}</FactRow>
            <FactRow label={translate('app.printed_check.book')}>{translate(`app.printed_check.book_${data.kind ?? 'gradebook'}`, { _: data.book })}</FactRow>
            {data.className !== null ? (
              <FactRow label={translate('app.printed_check.class')}>{`${data.className} · ${data.schoolYear} · ${period(data.period)}`}</FactRow>
            ) : (
              <FactRow label={translate('app.printed_check.scope')}>
                {`${data.grade ? translate('app.printed_check.grade_n', { grade: data.grade }) : translate('app.printed_check.whole_school')} · ${data.schoolYear}`}
              </FactRow>
            )}
            <FactRow label={translate('app.printed_check.pages')}>{data.pages}</FactRow>
            <FactRow label={translate('app.printed_check.approved')}>{`${data.approvedBy ?? '—'}${data.approvedAt ? ` · ${formatDateTime(data.approvedAt)}` : ''}`}</FactRow>
            <FactRow label="SHA-256" mono>
              {data.sha256}
            </FactRow>
            <Box sx={{ pt: 1, borderTop: 1, borderColor: 'divider' }}>
              <Typography variant="body2" sx={{ mb: 1 }}>
                {translate('app.printed_check.compare')}
              </Typography>
              <input type="file" accept="application/pdf" onChange={(e) => void onFile(e)} data-testid="printed-file" />
              {match !== null && (
                <Alert severity={match ? 'success' : 'error'} sx={{ mt: 1 }} data-testid="printed-match">
                  {translate(match ? 'app.printed_check.same' : 'app.printed_check.different')}
                </Alert>
              )}
            </Box>
          </CardContent>
        </Card>
      )}
    </Container>
  );
}
