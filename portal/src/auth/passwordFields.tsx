import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import { IconButton, InputAdornment, TextField } from '@mui/material';
import { useState } from 'react';
import { useTranslate, type TranslateFunction } from 'ra-core';
import { passwordProblem } from '../common/validators';
import { PasswordPolicy } from './PasswordPolicy';

/** A password input with a show/hide toggle; `label` is a translation key. */
export function PasswordField({
  label,
  value,
  onChange,
  error,
  name,
  autoComplete,
  autoFocus,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  name: string;
  autoComplete: string;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  const translate = useTranslate();
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      label={translate(label)}
      name={name}
      type={visible ? 'text' : 'password'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={!!error}
      helperText={error ?? ' '}
      autoComplete={autoComplete}
      autoFocus={autoFocus}
      disabled={disabled}
      fullWidth
      slotProps={{
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <IconButton
                aria-label={translate(visible ? 'ra.input.password.toggle_visible' : 'ra.input.password.toggle_hidden')}
                onClick={() => setVisible((v) => !v)}
                edge="end"
                size="small"
                tabIndex={-1}
              >
                {visible ? <VisibilityOffIcon fontSize="small" /> : <VisibilityIcon fontSize="small" />}
              </IconButton>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}

/**
 * The field errors of a new password and its confirmation (domain/password-policy, not the current one, typed
 * twice alike), translated; empty when both are fine. Used by the forced change at sign-in and by "Đổi mật khẩu".
 */
export function newPasswordErrors(
  translate: TranslateFunction,
  { next, confirm, current, username }: { next: string; confirm: string; current: string; username: string },
): Record<string, string> {
  const errors: Record<string, string> = {};
  const problem = passwordProblem(next, username);
  if (problem) errors.newPassword = translate(problem.message, problem.args);
  else if (next === current) errors.newPassword = translate('app.password.same_as_current');
  if (confirm !== next) errors.confirm = translate('app.password.mismatch');
  return errors;
}

/** Mật khẩu mới and Nhập lại mật khẩu mới, then the password rules ticked as they are met. */
export function NewPasswordFields({
  next,
  onNext,
  confirm,
  onConfirm,
  errors,
  username,
  current,
  autoFocus,
  disabled,
}: {
  next: string;
  onNext: (v: string) => void;
  confirm: string;
  onConfirm: (v: string) => void;
  errors: Record<string, string>;
  username: string;
  current: string;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  return (
    <>
      <PasswordField
        label="app.password.new"
        name="newPassword"
        value={next}
        onChange={onNext}
        error={errors.newPassword}
        autoComplete="new-password"
        autoFocus={autoFocus}
        disabled={disabled}
      />
      <PasswordField
        label="app.password.confirm"
        name="confirmPassword"
        value={confirm}
        onChange={onConfirm}
        error={errors.confirm}
        autoComplete="new-password"
        disabled={disabled}
      />
      <PasswordPolicy password={next} username={username} current={current} />
    </>
  );
}
