import CancelIcon from '@mui/icons-material/Cancel';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import { Alert, AlertTitle, Box, Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import { useLocale, useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
import { PartText } from '../transcripts/fields';
import { attachedXmlValid, overallValid, stepOfSignatureId } from '../transcripts/parts';
import type { SignatureReport, SigningStep, VerifyResult } from '../transcripts/types';

/** Signer, role (from the signature Id), time, chain, part covered and the verdict of one signature, as a card. */
function SignatureCard({ s, subjectName, pdf }: { s: SignatureReport; subjectName: (code: string) => string; pdf?: boolean }) {
  const translate = useTranslate();
  const locale = useLocale();
  // The PDF's signature has no Id: it is the school seal's PAdES signature (docs/transcripts.md "The chain").
  const step = stepOfSignatureId(s.signatureId) ?? (s.role as SigningStep | null | undefined) ?? (pdf ? 'seal' : null);
  return (
    <Card variant="outlined" sx={{ borderLeft: 4, borderLeftColor: s.valid ? 'success.main' : 'error.main' }} data-testid="signature-report">
      <CardContent sx={{ '&:last-child': { pb: 2 } }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
          {s.valid ? <CheckCircleIcon color="success" /> : <CancelIcon color="error" />}
          <Typography variant="subtitle1" sx={{ fontWeight: 600, wordBreak: 'break-word' }}>
            {s.signer?.commonName ?? '—'}
          </Typography>
          <Chip size="small" label={step ? translate(`app.hocba.step.${step}`) : translate('app.hocba.verify.unknown_role')} />
          <Chip size="small" color={s.valid ? 'success' : 'error'} label={translate(s.valid ? 'app.hocba.verify.valid' : 'app.hocba.verify.invalid')} />
        </Stack>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'max-content 1fr' }, columnGap: 2, rowGap: 0.5, mt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            {translate('app.hocba.verify.col_part')}
          </Typography>
          <Typography variant="body2">
            <PartText signatureId={s.signatureId} covers={s.covers} subjectName={subjectName} />
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {translate('app.hocba.verify.col_time')}
          </Typography>
          <Typography variant="body2">{s.signingTime ? formatDateTime(s.signingTime, locale) : '—'}</Typography>
          <Typography variant="body2" color="text.secondary">
            {translate('app.hocba.verify.col_chain')}
          </Typography>
          <Typography variant="body2" color={s.chainTrusted ? 'success.main' : 'error.main'}>
            {translate(s.chainTrusted ? 'app.hocba.verify.trusted' : 'app.hocba.verify.untrusted')}
            {s.signer?.issuerCommonName ? ` · ${s.signer.issuerCommonName}` : ''}
          </Typography>
        </Box>
        {s.problems.length > 0 && (
          <Box component="ul" sx={{ color: 'error.main', my: 1, pl: 2 }} data-testid="signature-problems">
            {s.problems.map((p, i) => (
              <li key={i}>
                <Typography variant="body2">{p}</Typography>
              </li>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

/** The verdict, the PDF checks, then one card per signature in document order. */
export function VerificationReport({ result, subjectName = (c) => c }: { result: VerifyResult; subjectName?: (code: string) => string }) {
  const translate = useTranslate();
  const valid = overallValid(result);
  const xmlOk = attachedXmlValid(result);
  const attached = result.attachedXml && typeof result.attachedXml === 'object' ? (result.attachedXml.signatures ?? []) : [];
  const problems = [...(result.problems ?? [])];
  // The server's verdict needs the seal too (a transcript in signing verifies signature by signature but is not valid).
  const sealed = result.signatures.some((x) => stepOfSignatureId(x.signatureId) === 'seal');
  if (!valid && result.signatures.length > 0 && result.signatures.every((x) => x.valid) && !sealed) problems.push(translate('app.hocba.verify.no_seal'));
  return (
    <Stack spacing={2} data-testid="verify-result">
      <Alert
        severity={valid ? 'success' : 'error'}
        variant="filled"
        icon={valid ? <CheckCircleIcon fontSize="large" /> : <CancelIcon fontSize="large" />}
        data-testid="verify-verdict"
      >
        <AlertTitle sx={{ fontSize: 22, mb: problems.length ? 1 : 0 }}>{translate(valid ? 'app.hocba.verify.valid' : 'app.hocba.verify.invalid')}</AlertTitle>
        {result.signatures.length === 0 && <div>{translate('app.hocba.verify.no_signatures')}</div>}
        {problems.map((p, i) => (
          <div key={i}>{p}</div>
        ))}
      </Alert>
      {result.kind === 'pdf' && (
        <Stack spacing={1}>
          {typeof result.coversWholeFile === 'boolean' && (
            <Alert severity={result.coversWholeFile ? 'success' : 'error'} data-testid="pdf-whole">
              {translate(result.coversWholeFile ? 'app.hocba.verify.pdf_whole' : 'app.hocba.verify.pdf_not_whole')}
            </Alert>
          )}
          <Alert severity={xmlOk === null ? 'info' : xmlOk ? 'success' : 'error'} data-testid="pdf-xml">
            {translate(xmlOk === null ? 'app.hocba.verify.pdf_xml_none' : xmlOk ? 'app.hocba.verify.pdf_xml_ok' : 'app.hocba.verify.pdf_xml_bad')}
          </Alert>
        </Stack>
      )}
      {result.signatures.map((s, i) => (
        <SignatureCard key={`${s.signatureId ?? ''}-${i}`} s={s} subjectName={subjectName} pdf={result.kind === 'pdf'} />
      ))}
      {attached.length > 0 && (
        <>
          <Typography variant="h6" sx={{ pt: 1 }}>
            {translate('app.hocba.verify.attached_title', { count: attached.length })}
          </Typography>
          {attached.map((s, i) => (
            <SignatureCard key={`att-${s.signatureId ?? ''}-${i}`} s={s} subjectName={subjectName} />
          ))}
        </>
      )}
    </Stack>
  );
}
