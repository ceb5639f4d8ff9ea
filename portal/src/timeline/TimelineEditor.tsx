import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  FormControlLabel,
  IconButton,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useMemo, useState } from 'react';
import { useLocale, useNotify, useTranslate } from 'react-admin';
import { vnAt, vnDateOf } from '../../../domain/timeline/calendar';
import type { TimelineConfig } from '../../../domain/timeline/types';
import { apiCall, errorBody } from '../api/client';
import { formatDate, parseVnDate } from '../format';
import type { TimelineView } from './shared';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const WEEKDAYS = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface MilestoneForm {
  date: string;
  time: string;
  reminderDays: string;
  escalation: Array<{ role: string; afterDays: string }>;
  lockAtDue: boolean;
}
interface Form {
  remindAt: string;
  milestones: MilestoneForm[];
  holidays: Array<{ name: string; from: string; to: string }>;
  weekly: { enabled: boolean; remindWeekday: number; remindAt: string };
}

const timeOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(11, 16);

function toForm(c: TimelineConfig, locale: string): Form {
  return {
    remindAt: c.remindAt,
    milestones: c.milestones.map((m) => ({
      date: formatDate(vnDateOf(m.due), locale),
      time: timeOf(m.due),
      reminderDays: m.reminderDays.join(', '),
      escalation: m.escalation.map((e) => ({ role: e.role, afterDays: String(e.afterDays) })),
      lockAtDue: m.lockAtDue,
    })),
    holidays: c.holidays.map((h) => ({ name: h.name, from: formatDate(h.from, locale), to: formatDate(h.to, locale) })),
    weekly: { enabled: c.weekly.enabled, remindWeekday: c.weekly.remindWeekday, remindAt: c.weekly.remindAt },
  };
}

const intIn = (s: string, min: number, max: number) => (/^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max ? Number(s) : null);

/** The form back to a configuration, with errors keyed by the server's field paths (config.milestones.0.due…). */
function fromForm(f: Form, base: TimelineConfig): { config: TimelineConfig; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!HHMM.test(f.remindAt)) errors['config.remindAt'] = 'app.timeline.err_time';
  if (!HHMM.test(f.weekly.remindAt)) errors['config.weekly.remindAt'] = 'app.timeline.err_time';
  const milestones = base.milestones.map((m, i) => {
    const x = f.milestones[i];
    const date = parseVnDate(x.date);
    if (!date) errors[`config.milestones.${i}.due`] = 'app.timeline.err_date';
    if (!HHMM.test(x.time)) errors[`config.milestones.${i}.time`] = 'app.timeline.err_time';
    const days = x.reminderDays.split(/[,;\s]+/).filter(Boolean).map((d) => intIn(d, 1, 60));
    if (days.some((d) => d === null) || days.length > 10) errors[`config.milestones.${i}.reminderDays`] = 'app.timeline.err_days';
    const escalation = x.escalation.map((e, j) => {
      const n = intIn(e.afterDays, 0, 60);
      if (n === null) errors[`config.milestones.${i}.escalation.${j}.afterDays`] = 'app.timeline.err_after';
      return { role: e.role as (typeof m.escalation)[number]['role'], afterDays: n ?? 0 };
    });
    return {
      ...m,
      due: date && HHMM.test(x.time) ? vnAt(date, x.time) : m.due,
      reminderDays: [...new Set(days.filter((d): d is number => d !== null))].sort((a, b) => b - a),
      escalation,
      lockAtDue: x.lockAtDue,
    };
  });
  const holidays = f.holidays.map((h, i) => {
    const from = parseVnDate(h.from);
    const to = parseVnDate(h.to);
    if (!h.name.trim()) errors[`config.holidays.${i}.name`] = 'app.timeline.err_required';
    if (!from) errors[`config.holidays.${i}.from`] = 'app.timeline.err_date';
    if (!to) errors[`config.holidays.${i}.to`] = 'app.timeline.err_date';
    if (from && to && to < from) errors[`config.holidays.${i}.to`] = 'app.timeline.err_range';
    return { name: h.name.trim(), from: from ?? '', to: to ?? '' };
  });
  return {
    config: { ...base, remindAt: f.remindAt, milestones, holidays, weekly: { ...base.weekly, ...f.weekly } },
    errors,
  };
}

/** The principal's and the admin's edit of the timeline: due dates and times, reminders, escalations, locks, holidays, the weekly rule. */
export function TimelineEditor({ timeline, onSaved }: { timeline: TimelineView; onSaved: () => void }) {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const initial = useMemo(() => toForm(timeline.config, locale), [timeline, locale]);
  const [form, setForm] = useState<Form>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const err = (path: string) => (errors[path] ? translate(errors[path], { _: errors[path] }) : undefined);
  const setMs = (i: number, patch: Partial<MilestoneForm>) => setForm((f) => ({ ...f, milestones: f.milestones.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));
  const setHoliday = (i: number, patch: Partial<Form['holidays'][number]>) => setForm((f) => ({ ...f, holidays: f.holidays.map((h, j) => (j === i ? { ...h, ...patch } : h)) }));

  // The first field in error (or the stale-version notice) into view once React has drawn it.
  const showFirstError = () =>
    window.setTimeout(() => document.querySelector('[data-testid=timeline-editor] [aria-invalid=true], [data-testid=timeline-stale]')?.scrollIntoView({ block: 'center' }), 50);

  const save = async () => {
    const { config, errors: found } = fromForm(form, timeline.config);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      notify('ra.message.invalid_form', { type: 'error' });
      showFirstError();
      return;
    }
    setSaving(true);
    try {
      await apiCall(`/timelines/${timeline.schoolYearId}`, { method: 'PUT', body: { version: timeline.version, config } });
      notify('app.timeline.saved', { type: 'success' });
      onSaved();
    } catch (e) {
      const b = errorBody(e);
      if (b.status === 409) setStale(true);
      setErrors(b.errors);
      showFirstError();
      notify(b.message || 'ra.notification.http_error', { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack spacing={2} data-testid="timeline-editor">
      {stale && (
        <Alert severity="warning" action={<Button onClick={() => window.location.reload()}>{translate('app.timeline.reload')}</Button>} data-testid="timeline-stale">
          {translate('app.timeline.stale')}
        </Alert>
      )}
      {errors._ && <Alert severity="error">{errors._}</Alert>}
      <Card>
        <CardHeader title={translate('app.timeline.general')} slotProps={{ title: { variant: 'subtitle1' } }} />
        <CardContent sx={{ pt: 0 }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <TextField
              label={translate('app.timeline.field_remind_at')}
              value={form.remindAt}
              onChange={(e) => setForm({ ...form, remindAt: e.target.value })}
              error={!!err('config.remindAt')}
              helperText={err('config.remindAt') ?? translate('app.timeline.help_remind_at')}
              placeholder="07:00"
              size="small"
              sx={{ width: { sm: 220 } }}
            />
            <FormControlLabel
              control={<Switch checked={form.weekly.enabled} onChange={(e) => setForm({ ...form, weekly: { ...form.weekly, enabled: e.target.checked } })} />}
              label={translate('app.timeline.field_weekly_enabled')}
            />
            <TextField
              select
              label={translate('app.timeline.field_weekly_day')}
              value={form.weekly.remindWeekday}
              onChange={(e) => setForm({ ...form, weekly: { ...form.weekly, remindWeekday: Number(e.target.value) } })}
              size="small"
              sx={{ width: { sm: 160 } }}
            >
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <MenuItem key={d} value={d}>
                  {translate(`app.timeline.weekday.${WEEKDAYS[d]}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={translate('app.timeline.field_weekly_at')}
              value={form.weekly.remindAt}
              onChange={(e) => setForm({ ...form, weekly: { ...form.weekly, remindAt: e.target.value } })}
              error={!!err('config.weekly.remindAt')}
              helperText={err('config.weekly.remindAt')}
              placeholder="07:00"
              size="small"
              sx={{ width: { sm: 140 } }}
            />
          </Stack>
        </CardContent>
      </Card>
      {timeline.config.milestones.map((m, i) => {
        const x = form.milestones[i];
        return (
          <Card key={m.key} data-testid="milestone-form">
            <CardHeader title={m.title} slotProps={{ title: { variant: 'subtitle1' } }} />
            <CardContent sx={{ pt: 0 }}>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: { sm: 'flex-start' } }}>
                <TextField
                  label={translate('app.timeline.field_due_date')}
                  value={x.date}
                  onChange={(e) => setMs(i, { date: e.target.value })}
                  error={!!err(`config.milestones.${i}.due`)}
                  helperText={err(`config.milestones.${i}.due`) ?? 'dd/mm/yyyy'}
                  size="small"
                  sx={{ width: { sm: 160 } }}
                  slotProps={{ htmlInput: { 'data-testid': `due-date-${i}` } }}
                />
                <TextField
                  label={translate('app.timeline.field_due_time')}
                  value={x.time}
                  onChange={(e) => setMs(i, { time: e.target.value })}
                  error={!!err(`config.milestones.${i}.time`)}
                  helperText={err(`config.milestones.${i}.time`) ?? 'HH:mm'}
                  size="small"
                  sx={{ width: { sm: 110 } }}
                />
                <TextField
                  label={translate('app.timeline.field_reminder_days')}
                  value={x.reminderDays}
                  onChange={(e) => setMs(i, { reminderDays: e.target.value })}
                  error={!!err(`config.milestones.${i}.reminderDays`)}
                  helperText={err(`config.milestones.${i}.reminderDays`) ?? translate('app.timeline.help_reminder_days')}
                  size="small"
                  sx={{ width: { sm: 200 } }}
                />
                {x.escalation.map((e, j) => (
                  <TextField
                    key={j}
                    label={translate('app.timeline.field_escalate', { role: translate(`app.timeline.role.${e.role}`) })}
                    value={e.afterDays}
                    onChange={(ev) => setMs(i, { escalation: x.escalation.map((y, k) => (k === j ? { ...y, afterDays: ev.target.value } : y)) })}
                    error={!!err(`config.milestones.${i}.escalation.${j}.afterDays`)}
                    helperText={err(`config.milestones.${i}.escalation.${j}.afterDays`) ?? translate('app.timeline.help_after_days')}
                    size="small"
                    sx={{ width: { sm: 230 } }}
                  />
                ))}
                <FormControlLabel control={<Switch checked={x.lockAtDue} onChange={(e) => setMs(i, { lockAtDue: e.target.checked })} />} label={translate('app.timeline.field_lock')} />
              </Stack>
            </CardContent>
          </Card>
        );
      })}
      <Card>
        <CardHeader title={translate('app.timeline.holidays')} slotProps={{ title: { variant: 'subtitle1' } }} />
        <CardContent sx={{ pt: 0 }}>
          <Stack spacing={1.5}>
            {form.holidays.map((h, i) => (
              <Stack key={i} direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
                <TextField
                  label={translate('app.timeline.field_holiday_name')}
                  value={h.name}
                  onChange={(e) => setHoliday(i, { name: e.target.value })}
                  error={!!err(`config.holidays.${i}.name`)}
                  helperText={err(`config.holidays.${i}.name`)}
                  size="small"
                  sx={{ flex: 1 }}
                />
                <TextField label={translate('app.timeline.field_from')} value={h.from} onChange={(e) => setHoliday(i, { from: e.target.value })} error={!!err(`config.holidays.${i}.from`)} helperText={err(`config.holidays.${i}.from`) ?? 'dd/mm/yyyy'} size="small" sx={{ width: { sm: 150 } }} />
                <TextField label={translate('app.timeline.field_to')} value={h.to} onChange={(e) => setHoliday(i, { to: e.target.value })} error={!!err(`config.holidays.${i}.to`)} helperText={err(`config.holidays.${i}.to`) ?? 'dd/mm/yyyy'} size="small" sx={{ width: { sm: 150 } }} />
                <Box>
                  <IconButton aria-label={translate('ra.action.remove')} onClick={() => setForm({ ...form, holidays: form.holidays.filter((_, j) => j !== i) })}>
                    <DeleteIcon />
                  </IconButton>
                </Box>
              </Stack>
            ))}
            {form.holidays.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                {translate('app.timeline.no_holidays')}
              </Typography>
            )}
            <Box>
              <Button startIcon={<AddIcon />} onClick={() => setForm({ ...form, holidays: [...form.holidays, { name: '', from: '', to: '' }] })}>
                {translate('app.timeline.add_holiday')}
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
      {stale && (
        <Alert severity="warning" action={<Button onClick={() => window.location.reload()}>{translate('app.timeline.reload')}</Button>}>
          {translate('app.timeline.stale')}
        </Alert>
      )}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" onClick={() => void save()} disabled={saving} data-testid="timeline-save">
          {translate('ra.action.save')}
        </Button>
        <Button onClick={() => { setForm(initial); setErrors({}); }} disabled={saving}>
          {translate('app.timeline.reset')}
        </Button>
      </Stack>
    </Stack>
  );
}
