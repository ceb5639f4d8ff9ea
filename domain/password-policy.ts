/**
 * Password policy (seed 002, Điều 7: accounts kept secret, passwords changed when compromised). Long enough to
 * resist guessing, letters and digits, not the username, not one of the passwords everyone tries first.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const COMMON = ['1234567890', 'password123', 'matkhau123', '123456789a', 'qwerty1234', 'abc1234567', 'admin12345'];

export type PasswordProblem =
  | { key: 'passwordTooShort'; params: { min: number } }
  | { key: 'passwordTooLong'; params: { max: number } }
  | { key: 'passwordNeedsLetterDigit' }
  | { key: 'passwordIsUsername' }
  | { key: 'passwordCommon' };

export function checkPassword(password: string, username: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) return { key: 'passwordTooShort', params: { min: PASSWORD_MIN } };
  if (password.length > PASSWORD_MAX) return { key: 'passwordTooLong', params: { max: PASSWORD_MAX } };
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) return { key: 'passwordNeedsLetterDigit' };
  if (username && password.toLowerCase().includes(username.toLowerCase())) return { key: 'passwordIsUsername' };
  if (COMMON.includes(password.toLowerCase())) return { key: 'passwordCommon' };
  return null;
}
