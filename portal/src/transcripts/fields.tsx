import { Chip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { coveredPart, stepCount, type PartWords } from './parts';
import { SIGNING_STEPS, type SigningStep, type StepCount, type TranscriptStatus } from './types';

const STATUS_COLOR: Record<TranscriptStatus, 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  draft: 'default',
  signing: 'info',
  sealed: 'success',
  superseded: 'warning',
  revoked: 'error',
};

/** Nháp / Đang ký / Đã niêm phong / Đã thay thế / Đã thu hồi. */
export function TranscriptStatusChip({ status }: { status: TranscriptStatus | string | null | undefined }) {
  const translate = useTranslate();
  if (!status) return null;
  const color = STATUS_COLOR[status as TranscriptStatus] ?? 'default';
  return <Chip size="small" color={color} label={translate(`app.hocba.status.${status}`, { _: status })} data-testid="transcript-status" />;
}

/** A translator for a part in words ("Môn Toán năm học 2025-2026"), with a subject code → name lookup. */
export function usePartText(subjectName: (code: string) => string = (c) => c) {
  const translate = useTranslate();
  return (p: PartWords): string => {
    switch (p.key) {
      case 'subject':
        return translate('app.hocba.part.subject', { subject: subjectName(p.subject), year: p.year });
      case 'identity_summary':
        return p.year ? translate('app.hocba.part.identity_summary', { year: p.year }) : translate('app.hocba.part.identity_summary_any');
      case 'identity':
        return translate('app.hocba.part.identity');
      case 'summary':
        return translate('app.hocba.part.summary', { year: p.year });
      case 'year':
        return translate('app.hocba.part.year', { year: p.year });
      case 'whole':
        return translate('app.hocba.part.whole');
      default:
        return translate('app.hocba.part.unknown', { id: p.id });
    }
  };
}

/** The part a signature covers, in words. */
export function PartText({ signatureId, covers, subjectName }: { signatureId?: string | null; covers?: string[]; subjectName?: (code: string) => string }) {
  const text = usePartText(subjectName);
  return <>{text(coveredPart(signatureId, covers))}</>;
}

/** "Chữ ký GVBM 11/13 · GVCN ✓ · Duyệt — · Con dấu —". */
export function signedProgressText(translate: (k: string, o?: Record<string, unknown>) => string, signed: Partial<Record<SigningStep, StepCount>> | undefined): string {
  return SIGNING_STEPS.map((step) => {
    const c = stepCount(signed?.[step]);
    let count: string;
    if (!c || (c.done === 0 && step !== 'subject')) count = translate('app.hocba.progress.none');
    else if (step === 'subject' && c.total > 0) count = `${c.done}/${c.total}`;
    else if (c.total > 0 && c.done >= c.total) count = translate('app.hocba.progress.done');
    else count = c.total > 0 ? `${c.done}/${c.total}` : String(c.done);
    if (step === 'subject' && c && c.total === 0 && c.done === 0) count = translate('app.hocba.progress.none');
    return translate(`app.hocba.progress.${step}`, { count });
  }).join(' · ');
}

export function SignedProgress({ signed }: { signed?: Partial<Record<SigningStep, StepCount>> }) {
  const translate = useTranslate();
  return (
    <Typography component="span" variant="body2" sx={{ whiteSpace: { md: 'nowrap' } }} data-testid="signed-progress">
      {signedProgressText(translate, signed)}
    </Typography>
  );
}
