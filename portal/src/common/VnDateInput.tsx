import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import { IconButton, InputAdornment, TextField } from '@mui/material';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import {
  FieldTitle,
  InputHelperText,
  useInput,
  useLocale,
  useTranslate,
  type InputProps,
  type Validator,
} from 'react-admin';
import { formatDate, isIsoDate, parseVnDate, vnDateOf, vnDayBoundary } from '../format';

export interface VnDateInputProps extends Omit<InputProps, 'format' | 'parse'> {
  /**
   * Without it the value is a calendar date `YYYY-MM-DD`. With it the value is the first (`start`) or last (`end`)
   * instant of that day in Vietnam, as an ISO UTC string (for filtering timestamps such as `at_gte`/`at_lte`).
   */
  boundary?: 'start' | 'end';
  fullWidth?: boolean;
  size?: 'small' | 'medium';
  disabled?: boolean;
  readOnly?: boolean;
  alwaysOn?: boolean;
  sx?: object;
  className?: string;
}

const isInstant = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/** The stored value → what the text box shows (dd/mm/yyyy). */
function display(value: unknown, boundary: VnDateInputProps['boundary'], locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (boundary && isInstant(value)) return formatDate(vnDateOf(value), locale);
  if (isIsoDate(value)) return formatDate(value, locale);
  return String(value);
}

/** What the user typed → the stored value (an unparseable text is kept so the validator can flag it). */
function toStored(text: string, boundary: VnDateInputProps['boundary']): string | null {
  if (text.trim() === '') return null;
  const iso = parseVnDate(text);
  if (!iso) return text;
  return boundary ? vnDayBoundary(iso, boundary) : iso;
}

const validDate =
  (boundary: VnDateInputProps['boundary']): Validator =>
  (value: unknown) => {
    if (value === null || value === undefined || value === '') return undefined;
    if (boundary ? isInstant(value) : isIsoDate(value)) return undefined;
    return 'app.validation.date';
  };

/**
 * A date typed as dd/mm/yyyy (the way Vietnamese forms write it, whatever the browser's language), with a calendar
 * button opening the browser's date picker. The form value is `YYYY-MM-DD`, as the API expects.
 */
export function VnDateInput(props: VnDateInputProps) {
  const {
    source,
    label,
    helperText,
    validate,
    boundary,
    fullWidth,
    size,
    disabled,
    readOnly,
    sx,
    resource,
    defaultValue,
    className,
  } = props;
  const locale = useLocale();
  const translate = useTranslate();
  const validators = [validDate(boundary), ...(Array.isArray(validate) ? validate : validate ? [validate] : [])];
  const { field, fieldState, id, isRequired } = useInput({
    source,
    resource,
    defaultValue,
    validate: validators,
    // The text box keeps its own text; the form holds the parsed value.
    format: (v: unknown) => v,
    parse: (v: unknown) => v,
  });
  const [text, setText] = useState(() => display(field.value, boundary, locale));
  const pickerRef = useRef<HTMLInputElement>(null);

  // Follow changes made from outside (form reset, record loaded, filter cleared).
  useEffect(() => {
    if (toStored(text, boundary) !== (field.value ?? null)) setText(display(field.value, boundary, locale));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [field.value]);

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    setText(e.target.value);
    field.onChange(toStored(e.target.value, boundary));
  };
  const onBlur = () => {
    field.onBlur();
    const stored = toStored(text, boundary);
    if (stored && (isIsoDate(stored) || isInstant(stored))) setText(display(stored, boundary, locale));
  };
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const iso = e.target.value;
    if (!isIsoDate(iso)) return;
    setText(formatDate(iso, locale));
    field.onChange(boundary ? vnDayBoundary(iso, boundary) : iso);
    field.onBlur();
  };
  const pickerValue = isIsoDate(field.value) ? field.value : isInstant(field.value) && boundary ? vnDateOf(field.value) : '';
  const openPicker = () => {
    const el = pickerRef.current;
    if (!el) return;
    try {
      el.showPicker();
    } catch {
      el.focus();
      el.click();
    }
  };

  return (
    <TextField
      id={id}
      name={field.name}
      inputRef={field.ref}
      value={text}
      onChange={onChange}
      onBlur={onBlur}
      className={className ? `ra-input ra-input-${source} ${className}` : `ra-input ra-input-${source}`}
      label={label === false || label === '' ? undefined : <FieldTitle label={label} source={source} resource={resource} isRequired={isRequired} />}
      placeholder={translate('app.common.date_placeholder')}
      error={fieldState.invalid}
      helperText={
        helperText !== false || fieldState.invalid ? (
          <InputHelperText error={fieldState.error?.message} helperText={helperText} />
        ) : null
      }
      fullWidth={fullWidth}
      size={size}
      disabled={disabled}
      sx={{ minWidth: 170, ...sx }}
      slotProps={{
        input: {
          readOnly,
          endAdornment: (
            <InputAdornment position="end">
              <IconButton
                size="small"
                edge="end"
                aria-label={translate('app.common.pick_date')}
                title={translate('app.common.pick_date')}
                onClick={openPicker}
                disabled={disabled || readOnly}
                tabIndex={-1}
              >
                <CalendarMonthIcon fontSize="small" />
              </IconButton>
              <input
                ref={pickerRef}
                type="date"
                tabIndex={-1}
                aria-hidden
                value={pickerValue}
                onChange={onPick}
                style={{ position: 'absolute', opacity: 0, width: 1, height: 1, right: 8, bottom: 0, pointerEvents: 'none', border: 0 }}
              />
            </InputAdornment>
          ),
        },
        htmlInput: { inputMode: 'numeric', autoComplete: 'off' },
      }}
    />
  );
}
