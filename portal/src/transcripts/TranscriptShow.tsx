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
  useMediaQuery,
  type Theme,
} from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, Show, useGetList, useLocale, useNotify, usePermissions, useRecordContext, useRedirect, useTranslate } from 'react-admin';
import { PRINT_APPROVAL_GRADES } from '../../../domain/transcript/chain';
import { API_URL, apiCall, errorText } from '../api/client';
import type { Principal } from '../access';
import { ReasonDialog } from '../common/ReasonDialog';
import { formatDate, formatDateTime } from '../format';
import { canCorrectTranscripts, canPrint, readsWholeSchool } from './access';
import { PartText, TranscriptStatusChip } from './fields';
import { stepOfSignatureId } from './parts';
import { SIGNING_STEPS, type SignatureSlot, type TranscriptDetail, type TranscriptRow } from './types';

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
      <Box sx={{ gridColumn: { sm: 'span 2' } }}>
        <Fact label={translate('app.hocba.show.uid')} mono>
          {r.transcriptUid}
        </Fact>
      </Box>
      <Fact label={translate('app.hocba.show.version')}>{r.version}</Fact>
      <Fact label={translate('app.hocba.show.status')}>
        <TranscriptStatusChip status={r.status} />
      </Fact>
      <Fact label={translate('app.hocba.show.code')} mono>
        {r.verificationCode ?? '—'}
      </Fact>
      {r.sealedAt && <Fact label={translate('app.hocba.show.sealed_at')}>{formatDateTime(r.sealedAt, locale)}</Fact>}
      {r.sha256 && (
        <Box sx={{ gridColumn: { sm: 'span 2', md: 'span 4' } }}>
          <Fact label={translate('app.hocba.show.sha256')} mono>
            {r.sha256}
          </Fact>
        </Box>
      )}
    </Box>
  );
}

const stepOf = (s: SignatureSlot) => s.step ?? stepOfSignatureId(s.signatureId);

/** The chain's slots (the server's `slots`) as rows: who signed, or who is expected, and when. */
export function signatureRows(r: TranscriptDetail, sealName: string): SignatureSlot[] {
  if (!r.slots) return r.signatures ?? [];
  return r.slots.map((s) => ({
    step: s.step,
    signatureId: s.signatureId,
    covers: s.covers,
    schoolYear: r.schoolYear,
    subjectCode: s.subject?.code ?? null,
    subjectName: s.subject?.name ?? null,
    signerName: s.signed ? (s.signedBy === 'seal' || s.step === 'seal' ? sealName : s.signedBy) : s.step === 'seal' ? sealName : s.signer,
    signedAt: s.signed ? s.signedAt : null,
  }));
}

/** The part a row covers, in words ("Môn Toán năm học 2025-2026"). */
function RowPart({ s, rows }: { s: SignatureSlot; rows: SignatureSlot[] }) {
  const translate = useTranslate();
  const subjectName = (code: string) => rows.find((x) => x.subjectCode === code)?.subjectName ?? code;
  if (s.subjectName && s.schoolYear && stepOf(s) === 'subject') return <>{translate('app.hocba.part.subject', { subject: s.subjectName, year: s.schoolYear })}</>;
  return <PartText signatureId={s.signatureId} covers={s.covers} subjectName={subjectName} />;
}

/** On a phone: one compact entry per signature instead of a five-column table. */
function SignatureList({ rows }: { rows: SignatureSlot[] }) {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} data-testid="signature-table">
      {rows.map((s, i) => (
        <Box component="li" key={s.signatureId ?? i} sx={{ py: 1, borderTop: i ? 1 : 0, borderColor: 'divider' }}>
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            <RowPart s={s} rows={rows} />
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {SIGNING_STEPS.indexOf(stepOf(s) ?? 'seal') + 1}. {s.signerName ?? '—'} ·{' '}
            {s.signedAt ? (
              formatDateTime(s.signedAt, locale)
            ) : (
              <Box component="span" sx={{ color: 'warning.main' }}>
                {translate('app.hocba.show.not_signed')}
              </Box>
            )}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function SignatureTable({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const rows = signatureRows(r, translate('app.hocba.step.seal'));
  if (phone) return <SignatureList rows={rows} />;
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
              <TableCell>{SIGNING_STEPS.indexOf(stepOf(s) ?? 'seal') + 1}</TableCell>
              <TableCell>{s.signerName ?? '—'}</TableCell>
              <TableCell sx={{ display: { xs: 'none', md: 'table-cell' }, whiteSpace: 'nowrap' }}>
                {s.role ? translate(`app.roles.${s.role}`, { _: s.role }) : translate(`app.hocba.step.${stepOf(s)}`, { _: String(stepOf(s) ?? '') })}
              </TableCell>
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
                <RowPart s={s} rows={rows} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

interface PrintApprovalRow {
  schoolYearId: number;
  grade: number;
  classId: number | null;
  approvedBy?: string | null;
  approvedAt?: string | null;
}

/**
 * Whether printing this version is approved (grades 6 and 9 wait for the principal, domain/transcript/chain
 * PRINT_APPROVAL_GRADES): true/false, or null when this user cannot read the approvals (the server then decides).
 */
function usePrintApproval(r: TranscriptDetail, enabled: boolean): { approved: boolean | null; by: PrintApprovalRow | null } {
  const [rows, setRows] = useState<PrintApprovalRow[] | null>(null);
  useEffect(() => {
    if (!enabled || !PRINT_APPROVAL_GRADES.includes(r.grade)) return;
    apiCall<PrintApprovalRow[]>('/transcripts/print-approvals')
      .then(setRows)
      .catch(() => setRows(null));
  }, [enabled, r.grade]);
  if (r.printApproved !== undefined) return { approved: r.printApproved, by: null };
  if (!PRINT_APPROVAL_GRADES.includes(r.grade)) return { approved: true, by: null };
  if (!rows) return { approved: null, by: null };
  const by = rows.find((a) => a.schoolYearId === r.schoolYearId && a.grade === r.grade && (a.classId === null || a.classId === r.classId)) ?? null;
  return { approved: by !== null, by };
}

/** The print copy (GET /transcripts/:id/print, logged as issued): opened in a new tab, or the server's refusal. */
async function openPrintCopy(id: number): Promise<string | null> {
  const res = await fetch(`${API_URL}/transcripts/${id}/print`, { credentials: 'include' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    return body.message ?? res.statusText;
  }
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}

/** XML / PDF downloads (logged by the server as issued copies) and the print button, closed until printing is approved. */
export function Downloads({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const { permissions } = usePermissions<Principal | null>();
  const mayPrint = !!permissions && canPrint(permissions);
  const { approved, by } = usePrintApproval(r, mayPrint && !!permissions && readsWholeSchool(permissions));
  const issued = r.status === 'sealed' || r.status === 'superseded' || r.status === 'revoked';
  const printReason = r.status !== 'sealed' ? translate('app.hocba.show.print_not_sealed') : approved === false ? translate('app.hocba.show.print_not_approved') : '';
  const approval = r.printApproval ?? (by ? { approvedByName: by.approvedBy, approvedAt: by.approvedAt } : null);
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Tooltip title={issued ? '' : translate('app.hocba.show.no_pdf')}>
          <span>
            <Button variant="outlined" startIcon={<CodeIcon />} href={`${API_URL}/transcripts/${r.id}/xml`} download disabled={!issued} data-testid="download-xml">
              {translate('app.hocba.show.download_xml')}
            </Button>
          </span>
        </Tooltip>
        <Tooltip title={issued ? '' : translate('app.hocba.show.no_pdf')}>
          <span>
            <Button variant="outlined" startIcon={<PictureAsPdfIcon />} href={`${API_URL}/transcripts/${r.id}/pdf`} download disabled={!issued} data-testid="download-pdf">
              {translate('app.hocba.show.download_pdf')}
            </Button>
          </span>
        </Tooltip>
        {mayPrint && (
          <Button
            variant="contained"
            startIcon={<PrintIcon />}
            disabled={!!printReason}
            onClick={() => void openPrintCopy(r.id).then((refusal) => refusal && notify(refusal, { type: 'error' }))}
            data-testid="print"
          >
            {translate('app.hocba.show.print')}
          </Button>
        )}
      </Stack>
      {!issued ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.hocba.show.no_pdf')}
        </Typography>
      ) : mayPrint && printReason ? (
        <Typography variant="body2" color="text.secondary" data-testid="print-reason">
          {printReason}
        </Typography>
      ) : mayPrint && approval?.approvedByName ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.hocba.show.print_approved_by', { name: approval.approvedByName, date: formatDate(approval.approvedAt, locale) })}
        </Typography>
      ) : null}
    </Stack>
  );
}

/** The student's versions (GET /transcripts?filter={studentId}), newest first; superseded ones stay readable. */
function useVersions(r: TranscriptDetail) {
  const { data } = useGetList<TranscriptRow & { sealedAt?: string | null }>('transcripts', {
    filter: { studentId: r.studentId },
    sort: { field: 'version', order: 'DESC' },
    pagination: { page: 1, perPage: 50 },
  });
  const rows = r.versions ?? (data ?? []).filter((v) => v.schoolYear === r.schoolYear).map((v) => ({ id: Number(v.id), version: v.version, status: v.status, sealedAt: v.sealedAt ?? null }));
  return [...rows].sort((a, b) => b.version - a.version);
}

function Versions({ r, versions }: { r: TranscriptDetail; versions: ReturnType<typeof useVersions> }) {
  const translate = useTranslate();
  const locale = useLocale();
  if (versions.length <= 1) return null;
  return (
    <Box component="ul" sx={{ pl: 2, my: 0 }} data-testid="transcript-versions">
      {versions.map((v) => (
        <li key={v.id}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', py: 0.5 }}>
            {v.id === r.id ? <strong>{translate('app.hocba.show.version_n', { n: v.version })}</strong> : <Link to={`/transcripts/${v.id}/show`}>{translate('app.hocba.show.version_n', { n: v.version })}</Link>}
            <TranscriptStatusChip status={v.status} />
            {v.sealedAt && <Typography variant="body2">{formatDateTime(v.sealedAt, locale)}</Typography>}
            {'reason' in v && v.reason && <Typography variant="body2" color="text.secondary">— {v.reason}</Typography>}
            {v.id === r.id && <Typography variant="caption" color="text.secondary">({translate('app.hocba.show.current')})</Typography>}
          </Stack>
        </li>
      ))}
    </Box>
  );
}

/** The principal opens version + 1 of a sealed transcript, with the reason (POST /transcripts/:transcriptId/reopen {reason}). */
function NewVersionButton({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const { permissions } = usePermissions<Principal | null>();
  const [open, setOpen] = useState(false);
  if (!permissions || !canCorrectTranscripts(permissions) || r.status !== 'sealed') return null;
  const submit = async (reason: string) => {
    setOpen(false);
    try {
      const created = await apiCall<{ versionId?: number }>(`/transcripts/${r.transcriptId ?? r.id}/reopen`, { method: 'POST', body: { reason } });
      notify('app.hocba.show.new_version_done', { type: 'success' });
      if (created?.versionId) redirect('show', 'transcripts', created.versionId);
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

/** Who is still to sign: from the slots (the seal named as such), else the server's list of names. */
function Missing({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const seal = translate('app.hocba.step.seal');
  const names = [
    ...new Set(r.slots ? signatureRows(r, seal).filter((s) => !s.signedAt).map((s) => s.signerName ?? translate(`app.hocba.step.${stepOf(s)}`)) : (r.missing ?? [])),
  ];
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
  return r ? <ShowContent r={r} /> : null;
}

function ShowContent({ r }: { r: TranscriptDetail }) {
  const translate = useTranslate();
  const versions = useVersions(r);
  return (
    <Stack spacing={2} sx={{ p: { xs: 1, sm: 2 } }}>
      <Typography variant="h5" data-testid="transcript-title">
        {[r.studentName, r.className, r.schoolYear].filter(Boolean).join(' · ')}
      </Typography>
      <Header r={r} />
      <Downloads r={r} />
      <Missing r={r} />
      <Section title={translate('app.hocba.show.signatures')}>
        <SignatureTable r={r} />
      </Section>
      {versions.length > 1 && (
        <Section title={translate('app.hocba.show.versions')}>
          <Versions r={r} versions={versions} />
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
