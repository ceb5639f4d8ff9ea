import { Box, Chip, Stack, Typography } from '@mui/material';
import { useFieldValue, useLocale, useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { formatDate, formatDateTime } from '../format';

export type { FieldProps };

/** A calendar date (`YYYY-MM-DD`) as dd/mm/yyyy. */
export function DateField(props: FieldProps) {
  const value = useFieldValue(props) as string | null | undefined;
  const locale = useLocale();
  return (
    <Typography component="span" variant="body2">
      {formatDate(value, locale) || props.emptyText || ''}
    </Typography>
  );
}

/** An instant (ISO UTC) as dd/mm/yyyy HH:mm[:ss] in Vietnam's time zone, 24-hour clock. */
export function DateTimeField(props: FieldProps & { seconds?: boolean }) {
  const { seconds, ...rest } = props;
  const value = useFieldValue(rest) as string | null | undefined;
  const locale = useLocale();
  return (
    <Typography component="span" variant="body2" sx={{ whiteSpace: 'nowrap' }}>
      {formatDateTime(value, locale, { seconds }) || rest.emptyText || ''}
    </Typography>
  );
}

/** A translated enum value: `app.choices.<group>.<value>`, falling back to the raw value. */
export function ChoiceField(props: FieldProps & { group: string }) {
  const { group, ...rest } = props;
  const value = useFieldValue(rest) as string | number | null | undefined;
  const translate = useTranslate();
  if (value === null || value === undefined || value === '') return null;
  return (
    <Typography component="span" variant="body2">
      {translate(`app.choices.${group}.${value}`, { _: String(value) })}
    </Typography>
  );
}

/** A role name in the UI language (or several, as the audit log stores them: `subject_teacher,homeroom_teacher`). */
export function RoleName({ role }: { role: string }) {
  const translate = useTranslate();
  const names = role
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => translate(`app.roles.${r}`, { _: r }));
  return <>{names.join(', ')}</>;
}

/** The roles of an account as chips (`roles: [{ role, … }]`). */
export function RolesField(_props: FieldProps) {
  const record = useRecordContext<{ roles?: Array<{ role: string } | string> }>();
  const translate = useTranslate();
  const roles = (record?.roles ?? []).map((r) => (typeof r === 'string' ? r : r.role));
  if (roles.length === 0) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {roles.map((role, i) => (
        <Chip key={`${role}-${i}`} size="small" label={translate(`app.roles.${role}`, { _: role })} />
      ))}
    </Stack>
  );
}

/** Pretty-printed JSON (audit before/after). */
export function JsonField(props: FieldProps) {
  const value = useFieldValue(props);
  const translate = useTranslate();
  if (value === null || value === undefined) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('app.audit.no_change')}
      </Typography>
    );
  }
  return (
    <Box
      component="pre"
      sx={{ m: 0, p: 1, bgcolor: 'action.hover', borderRadius: 1, fontSize: 12, overflow: 'auto', maxHeight: 360, maxWidth: '100%' }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  );
}

/** A long hash, shortened with the full value on hover. */
export function HashField(props: FieldProps) {
  const value = useFieldValue(props) as string | null | undefined;
  if (!value) return null;
  return (
    <Typography component="span" variant="body2" title={value} sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
      {value}
    </Typography>
  );
}
