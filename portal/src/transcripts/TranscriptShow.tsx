import CodeIcon from '@mui/icons-material/Code';
import EditNoteIcon from '@mui/icons-material/EditNote';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import PrintIcon from '@mui/icons-material/Print';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useState, type ReactNode } from 'react';
import { Link, Show, useLocale, useNotify, usePermissions, useRecordContext, useRedirect, useTranslate } from 'react-admin';
import { API_URL, apiCall, errorText } from '../api/client';
import type { Principal } from '../access';
import { ReasonDialog } from '../common/ReasonDialog';
import { formatDate, formatDateTime } from '../format';
import { canOpenTranscripts } from './access';
import { PartText, TranscriptStatusChip } from './fields';
import { stepOfSignatureId } from './parts';
import type { SignatureSlot, TranscriptDetail } from './types';

function Fact({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="body2" component="div" sx={mono ? { fontFamily: 'monospace', wordBreak: 'break-all' } : undefined}>
        {children}
      </Typography>
    </Box>
  );
}

function Header({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: 'repeat(4, 1fr)' } }} data-testid="transcript-header">
      <Fact label={translate('app.hocba.show.uid')} mono>
        {r.transcriptUid}
      </Fact>
      <Fact label={translate('app.hocba.show.version')}>{r.version}</Fact>
      <Fact label={translate('app.hocba.show.status')}>
        <TranscriptStatusChip status={r.status} />
      </Fact>
      <Fact label={translate('app.hocba.show.code')} mono>
        {r.verificationCode ?? '—'}
      </Fact>
      {r.sealedAt && <Fact label={translate('app.hocba.show.sealed_at')}>{formatDateTime(r.sealedAt, locale)}</Fact>}
      {r.sha256 && (
        <Box sx={{ gridColumn: { sm: 'span 2', md: 'span 3' } }}>
          <Fact label={translate('app.hocba.show.sha256')} mono>
            {r.sha256}
          </Fact>
        </Box>
      )}
    </Box>
  );
}

const stepOf = (s: SignatureSlot) => s.step ?? stepOfSignatureId(s.signatureId);

function SignatureTable({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  const rows = r.signatures ?? [];
  const subjectName = (code: string) => rows.find((s) => s.subjectCode === code)?.subjectName ?? code;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="signature-table">
        <TableHead>
          <TableRow>
            <TableCell>{translate('app.hocba.show.col_step')}</TableCell>
            <TableCell>{translate('app.hocba.show.col_signer')}</TableCell>
            <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{translate('app.hocba.show.col_role')}</TableCell>
            <TableCell>{translate('app.hocba.show.col_time')}</TableCell>
            <TableCell>{translate('app.hocba.show.col_part')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((s, i) => (
            <TableRow key={s.signatureId ?? i} sx={s.signedAt ? undefined : { bgcolor: 'action.hover' }}>
              <TableCell>{translate(`app.hocba.step.${stepOf(s)}`, { _: String(stepOf(s) ?? '') })}</TableCell>
              <TableCell>{s.signerName ?? '—'}</TableCell>
              <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{s.role ? translate(`app.roles.${s.role}`, { _: s.role }) : ''}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {s.signedAt ? (
                  formatDateTime(s.signedAt, locale)
                ) : (
                  <Typography component="span" variant="body2" color="warning.main">
                    {translate('app.hocba.show.not_signed')}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {s.subjectName && s.schoolYear && stepOf(s) === 'subject' ? (
                  translate('app.hocba.part.subject', { subject: s.subjectName, year: s.schoolYear })
                ) : (
                  <PartText signatureId={s.signatureId} covers={s.covers} subjectName={subjectName} />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** XML / PDF downloads (logged by the server as issued copies) and the print button, closed until printing is approved. */
export function Downloads({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  const sealed = r.status === 'sealed' || r.status === 'superseded' || r.status === 'revoked';
  const printReason = r.status !== 'sealed' ? translate('app.hocba.show.print_not_sealed') : !r.printApproved ? translate('app.hocba.show.print_not_approved') : '';
  const approval = r.printApproval;
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Button variant="outlined" startIcon={<CodeIcon />} href={`${API_URL}/transcripts/${r.id}/xml`} download data-testid="download-xml">
          {translate('app.hocba.show.download_xml')}
        </Button>
        <Tooltip title={sealed ? '' : translate('app.hocba.show.no_pdf')}>
          <span>
            <Button variant="outlined" startIcon={<PictureAsPdfIcon />} href={`${API_URL}/transcripts/${r.id}/pdf`} download disabled={!sealed} data-testid="download-pdf">
              {translate('app.hocba.show.download_pdf')}
            </Button>
          </span>
        </Tooltip>
        <Button
          variant="contained"
          startIcon={<PrintIcon />}
          disabled={!!printReason}
          onClick={() => window.open(`${API_URL}/transcripts/${r.id}/pdf?purpose=print`, '_blank', 'noopener')}
          data-testid="print"
        >
          {translate('app.hocba.show.print')}
        </Button>
      </Stack>
      {printReason ? (
        <Typography variant="body2" color="text.secondary" data-testid="print-reason">
          {printReason}
        </Typography>
      ) : approval?.approvedByName ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.hocba.show.print_approved_by', { name: approval.approvedByName, date: formatDate(approval.approvedAt, locale) })}
        </Typography>
      ) : null}
    </Stack>
  );
}

function Versions({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  const versions = [...(r.versions ?? [])].sort((a, b) => b.version - a.version);
  if (versions.length <= 1) return null;
  return (
    <Box component="ul" sx={{ pl: 2, my: 0 }} data-testid="transcript-versions">
      {versions.map((v) => (
        <li key={v.id}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', py: 0.5 }}>
            {v.id === r.id ? <strong>{translate('app.hocba.show.version_n', { n: v.version })}</strong> : <Link to={`/transcripts/${v.id}/show`}>{translate('app.hocba.show.version_n', { n: v.version })}</Link>}
            <TranscriptStatusChip status={v.status} />
            {v.sealedAt && <Typography variant="body2">{formatDateTime(v.sealedAt, locale)}</Typography>}
            {v.reason && <Typography variant="body2" color="text.secondary">— {v.reason}</Typography>}
            {v.id === r.id && <Typography variant="caption" color="text.secondary">({translate('app.hocba.show.current')})</Typography>}
          </Stack>
        </li>
      ))}
    </Box>
  );
}

/** The principal opens version + 1 of a sealed transcript, with the reason (POST /transcripts/:id/new-version {reason}). */
function NewVersionButton({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const { permissions } = usePermissions<Principal | null>();
  const [open, setOpen] = useState(false);
  if (!permissions || !canOpenTranscripts(permissions) || r.status !== 'sealed') return null;
  const submit = async (reason: string) => {
    setOpen(false);
    try {
      const created = await apiCall<{ id?: number }>(`/transcripts/${r.id}/new-version`, { method: 'POST', body: { reason } });
      notify('app.hocba.show.new_version_done', { type: 'success' });
      if (created?.id) redirect('show', 'transcripts', created.id);
    } catch (e) {
      notify(errorText(e), { type: 'error' });
    }
  };
  return (
    <>
      <Button color="warning" variant="outlined" startIcon={<EditNoteIcon />} onClick={() => setOpen(true)} data-testid="new-version">
        {translate('app.hocba.show.new_version')}
      </Button>
      <ReasonDialog
        open={open}
        title={translate('app.hocba.show.new_version_title', { n: r.version + 1 })}
        content={translate('app.hocba.show.new_version_help')}
        label={translate('app.hocba.show.reason')}
        required
        confirmLabel={translate('app.hocba.show.new_version')}
        onClose={() => setOpen(false)}
        onConfirm={(reason) => void submit(reason)}
      />
    </>
  );
}

function Missing({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const names = r.missing ?? [];
  if (r.status === 'sealed' || r.status === 'superseded' || r.status === 'revoked') return null;
  return names.length > 0 ? (
    <Alert severity="warning" data-testid="transcript-missing">
      {translate('app.hocba.show.missing', { names: names.join(', ') })}
    </Alert>
  ) : (
    <Alert severity="success">{translate('app.hocba.show.nothing_missing')}</Alert>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function ShowBody() {
  const r = useRecordContext<TranscriptDetail>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <Stack spacing={2} sx={{ p: { xs: 1, sm: 2 } }}>
      <Typography variant="h5" data-testid="transcript-title">
        {r.studentName} · {r.className} · {r.schoolYear}
      </Typography>
      <Header r={r} />
      <Downloads r={r} />
      <Missing r={r} />
      <Section title={translate('app.hocba.show.signatures')}>
        <SignatureTable r={r} />
      </Section>
      {(r.versions?.length ?? 0) > 1 && (
        <Section title={translate('app.hocba.show.versions')}>
          <Versions r={r} />
        </Section>
      )}
      <Box>
        <NewVersionButton r={r} />
      </Box>
    </Stack>
  );
}

export function TranscriptShow() {
  return (
    <Show>
      <ShowBody />
    </Show>
  );
}
