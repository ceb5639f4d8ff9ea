import { Box, Chip, LinearProgress, Typography } from '@mui/material';
import { useLocale, useTranslate } from 'react-admin';
import type { Milestone, Step, TimelineConfig } from '../../../domain/timeline/types';
import { formatInteger } from '../format';

/** GET /api/timelines/:schoolYearId (server/timeline/queries.ts). */
export interface Completion {
  available: boolean;
  required?: number;
  entered?: number;
  percent?: number | null;
  reason?: string;
}
export interface MilestoneView {
  key: string;
  title: string;
  due: string | null;
  kind: 'milestone' | 'weekly' | 'inspection';
  milestone?: Milestone;
  next: Step | null;
  stepsDone: number;
  stepsTotal: number;
  completion: Completion;
}
export interface TimelineView {
  schoolId: number;
  schoolYearId: number;
  profile: string;
  version: number;
  config: TimelineConfig;
  now: string;
  engine?: string;
  milestones: MilestoneView[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** "còn 5 ngày" / "quá hạn 2 ngày" / "còn 3 giờ", counted from `now` to `due`. */
export function countdown(due: string, now: string): { key: string; n: number; overdue: boolean } {
  const diff = Date.parse(due) - Date.parse(now);
  const abs = Math.abs(diff);
  const overdue = diff < 0;
  if (abs < DAY) return { key: overdue ? 'app.timeline.overdue_hours' : 'app.timeline.left_hours', n: Math.max(Math.floor(abs / HOUR), overdue ? 1 : 0), overdue };
  return { key: overdue ? 'app.timeline.overdue_days' : 'app.timeline.left_days', n: Math.floor(abs / DAY), overdue };
}

export function Countdown({ due, now }: { due: string; now: string }) {
  const translate = useTranslate();
  const c = countdown(due, now);
  const soon = !c.overdue && Date.parse(due) - Date.parse(now) < 7 * DAY;
  return (
    <Chip
      size="small"
      color={c.overdue ? 'error' : soon ? 'warning' : 'default'}
      variant={c.overdue || soon ? 'filled' : 'outlined'}
      label={translate(c.key, { smart_count: c.n, n: c.n })}
      data-testid="countdown"
    />
  );
}

/** 85,5 % (vi) or 85.5 % (en). */
export function formatPercent(p: number, locale: string): string {
  return `${new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: 1 }).format(p)} %`;
}

/** The percent complete with its counts; the provider's reason in words when it cannot count (never a figure). */
export function CompletionBar({ completion }: { completion: Completion }) {
  const translate = useTranslate();
  const locale = useLocale();
  if (!completion.available) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }} data-testid="completion-reason">
        {completion.reason || translate('app.timeline.cannot_count')}
      </Typography>
    );
  }
  if (completion.percent === null || completion.percent === undefined || !completion.required) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('app.timeline.nothing_required')}
      </Typography>
    );
  }
  const p = completion.percent;
  return (
    <Box sx={{ minWidth: 140 }} data-testid="completion">
      <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {formatPercent(p, locale)}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {translate('app.timeline.entered_of', { entered: formatInteger(completion.entered ?? 0, locale), required: formatInteger(completion.required, locale) })}
        </Typography>
      </Box>
      <LinearProgress variant="determinate" value={Math.min(p, 100)} color={p >= 100 ? 'success' : p >= 80 ? 'primary' : 'warning'} sx={{ height: 6, borderRadius: 3 }} />
    </Box>
  );
}
