import { checkPassword } from '../../../domain/password-policy';
import { isIsoDate } from '../format';

/**
 * Client-side checks mirroring the server's (server/http/fields.ts, domain/password-policy.ts), so most mistakes
 * are caught before a round trip. The server stays the authority; its field errors land on the same inputs.
 * Validators return a translation key (or `{ message, args }`), as react-admin expects.
 */

type Validator = (value: unknown, values?: Record<string, unknown>) => string | { message: string; args: Record<string, unknown> } | undefined;

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** Mã định danh cá nhân: exactly 12 digits. */
export const nationalId: Validator = (v) => (empty(v) || /^\d{12}$/.test(String(v)) ? undefined : 'app.validation.national_id');

/** A real calendar date `YYYY-MM-DD` (what the date inputs produce from dd/mm/yyyy). */
export const isoDate: Validator = (v) => (empty(v) || isIsoDate(v) ? undefined : 'app.validation.date');

/** Vietnamese phone numbers: digits, spaces, dots, an optional leading +; 8–15 digits. */
export const phone: Validator = (v) => {
  if (empty(v)) return undefined;
  const s = String(v);
  const digits = s.replace(/\D/g, '');
  return /^\+?[\d .-]+$/.test(s) && digits.length >= 8 && digits.length <= 15 ? undefined : 'app.validation.phone';
};

/** `2026-2027`: two consecutive years. */
export const schoolYearName: Validator = (v) => {
  if (empty(v)) return undefined;
  const m = /^(\d{4})-(\d{4})$/.exec(String(v));
  return m && Number(m[2]) === Number(m[1]) + 1 ? undefined : 'app.validation.school_year_name';
};

/** Lowercase ASCII usernames such as `gv.lan`, `hs_2026-001`. */
export const username: Validator = (v) =>
  empty(v) || /^[a-z0-9][a-z0-9._-]{2,63}$/.test(String(v)) ? undefined : 'app.validation.username';

/** A 6-digit TOTP code. */
export const totpCode: Validator = (v) => (/^\d{6}$/.test(String(v ?? '').trim()) ? undefined : 'app.validation.code_6_digits');

/** Form-level: `endField` must not be before `startField` (both `YYYY-MM-DD`). */
export const dateOrder =
  (startField: string, endField: string) =>
  (values: Record<string, unknown>): Record<string, string> => {
    const start = values[startField];
    const end = values[endField];
    if (isIsoDate(start) && isIsoDate(end) && end < start) return { [endField]: 'app.validation.end_before_start' };
    return {};
  };

/** The password policy (domain/password-policy.ts), translated: `null` when acceptable. */
export function passwordProblem(
  password: string,
  usernameValue: string,
): { message: string; args: Record<string, unknown> } | null {
  const problem = checkPassword(password, usernameValue);
  if (!problem) return null;
  return { message: `app.password.problem.${problem.key}`, args: 'params' in problem ? problem.params : {} };
}

/** react-admin validator for a new password; `usernameField` names the form field holding the username. */
export const newPassword =
  (usernameField = 'username'): Validator =>
  (v, values) => {
    if (empty(v)) return undefined;
    const p = passwordProblem(String(v), String(values?.[usernameField] ?? ''));
    return p ?? undefined;
  };
