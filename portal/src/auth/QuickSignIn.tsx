import { useState, type FormEvent } from 'react';
import { errorBody } from '../api/client';
import { i18nProvider, LOCALES } from '../i18n';
import { chooseLocale } from '../locale';
import { authProvider } from './authProvider';
import { StageRequiredError, type Stage } from './session';
// Its CSS (quick-sign-in.css) is inlined into index.html at build time (vite.config.ts), for the first paint.

/** Where the sign-in goes after the password, when the server asks for another step (main.tsx loads the full form). */
export interface NextStep {
  stage: Exclude<Stage, 'ok'>;
  username: string;
  password: string;
}

const t = (key: string, options?: Record<string, unknown>) => i18nProvider.translate(key, { _: key, ...options }) as string;

/**
 * The first screen of a visitor without a session (issue 11: the form visible within 300 ms of an empty cache):
 * username and password in plain React and CSS — no MUI, no CSS-in-JS at start-up, which cost ~200 ms of rendering
 * on the 2-core machine. It looks like the app's sign-in form (LoginForm), which takes over for the later steps
 * (TOTP, enrolment, a forced password change) and inside the app. Same messages, same language store.
 */
export function QuickSignIn({ onSignedIn, onNextStep }: { onSignedIn: () => void; onNextStep: (next: NextStep) => void }) {
  const [locale, setLocale] = useState(i18nProvider.getLocale());
  // What was typed into index.html's form before this screen took over, and where the cursor was.
  const [username, setUsername] = useState(() => staticInput('username')?.value ?? '');
  const [password, setPassword] = useState(() => staticInput('password')?.value ?? '');
  const [focus] = useState(() => (document.activeElement === staticInput('password') ? 'password' : 'username'));
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const changeLocale = async (next: string) => {
    await chooseLocale(next);
    setLocale(next);
    setMessage(null);
    setFields({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!username.trim()) missing.username = t('ra.validation.required');
    if (!password) missing.password = t('ra.validation.required');
    setFields(missing);
    setMessage(null);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      await authProvider.login({ username: username.trim(), password });
      onSignedIn();
    } catch (err) {
      if (err instanceof StageRequiredError) return onNextStep({ stage: err.stage, username: username.trim(), password });
      const body = errorBody(err);
      setMessage(t(body.message || 'ra.auth.sign_in_error'));
      setFields(body.errors);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="qs-page" lang={locale}>
      <LanguageMenu locale={locale} onChange={(l) => void changeLocale(l)} />
      <main className="qs-card">
        <div className="qs-avatar" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="24" height="24">
            <path fill="currentColor" d="M12 17a2 2 0 1 0 0-4 2 2 0 0 0 0 4m6-9h-1V6a5 5 0 0 0-10 0v2H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V10a2 2 0 0 0-2-2M8.9 6a3.1 3.1 0 0 1 6.2 0v2H8.9zM18 20H6V10h12z" />
          </svg>
        </div>
        <h1 className="qs-title">{t('app.title')}</h1>
        <p className="qs-subtitle">{t('app.login.subtitle')}</p>
        {message && (
          <div className="qs-alert" role="alert">
            {message}
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field label={t('app.login.username')} error={fields.username}>
            <input
              name="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus={focus === 'username'}
              disabled={busy}
              aria-invalid={!!fields.username}
            />
          </Field>
          <Field label={t('app.login.password')} error={fields.password}>
            <input
              name="password"
              type={visible ? 'text' : 'password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              autoFocus={focus === 'password'}
              disabled={busy}
              aria-invalid={!!fields.password}
            />
            <button
              type="button"
              className="qs-eye"
              onClick={() => setVisible((v) => !v)}
              aria-label={t(visible ? 'ra.input.password.toggle_visible' : 'ra.input.password.toggle_hidden')}
            >
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <path fill="currentColor" d={visible ? EYE_OFF : EYE} />
              </svg>
            </button>
          </Field>
          <button type="submit" className="qs-submit" disabled={busy}>
            {busy && <span className="qs-spinner" aria-hidden="true" />}
            {t('app.login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}

/** An input of the form index.html draws before the script loads (gone once this screen is rendered). */
const staticInput = (name: 'username' | 'password') => document.querySelector<HTMLInputElement>(`[data-static-sign-in] input[name=${name}]`);

function Field({ label, error, children }: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className={`qs-field${error ? ' qs-field-error' : ''}`}>
      <span className="qs-label">{label}</span>
      <span className="qs-input">{children}</span>
      <span className="qs-helper">{error ?? ' '}</span>
    </label>
  );
}

/** The app bar's language button (react-admin's LocalesMenuButton), as a small menu. */
function LanguageMenu({ locale, onChange }: { locale: string; onChange: (locale: string) => void }) {
  const [open, setOpen] = useState(false);
  const current = LOCALES.find((l) => l.locale === locale) ?? LOCALES[0];
  return (
    <div
      className="qs-lang"
      // Closes when the focus leaves it (a click elsewhere) or on Escape, as a menu does.
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button type="button" aria-haspopup="true" aria-expanded={open} onClick={() => setOpen((o) => !o)} aria-label={t('app.login.language')}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path fill="currentColor" d="m12.87 15.07-2.54-2.51.03-.03A17.5 17.5 0 0 0 14.07 6H17V4h-7V2H8v2H1v2h11.17C11.5 7.92 10.44 9.75 9 11.35 8.07 10.32 7.3 9.19 6.69 8h-2c.73 1.63 1.73 3.17 2.98 4.56l-5.09 5.02L4 19l5-5 3.11 3.11zM18.5 10h-2L12 22h2l1.12-3h4.75L21 22h2zm-2.62 7 1.62-4.33L19.12 17z" />
        </svg>
        {current.name}
      </button>
      {open && (
        <ul role="menu">
          {LOCALES.map((l) => (
            <li
              key={l.locale}
              role="menuitem"
              tabIndex={0}
              aria-current={l.locale === locale}
              onClick={() => {
                setOpen(false);
                onChange(l.locale);
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                setOpen(false);
                onChange(l.locale);
              }}
            >
              {l.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const EYE = 'M12 4.5C7 4.5 2.73 7.61 1 12c1.73 4.39 6 7.5 11 7.5s9.27-3.11 11-7.5c-1.73-4.39-6-7.5-11-7.5M12 17a5 5 0 1 1 0-10 5 5 0 0 1 0 10m0-8a3 3 0 1 0 0 6 3 3 0 0 0 0-6';
const EYE_OFF =
  'M12 7a5 5 0 0 1 5 5c0 .65-.13 1.26-.36 1.83l2.92 2.92A11.8 11.8 0 0 0 23 12c-1.73-4.39-6-7.5-11-7.5-1.4 0-2.74.25-3.98.7l2.16 2.16C10.74 7.13 11.35 7 12 7M2 4.27l2.28 2.28.46.46A11.8 11.8 0 0 0 1 12c1.73 4.39 6 7.5 11 7.5 1.55 0 3.03-.3 4.38-.84l.42.42L19.73 22 21 20.73 3.27 3zM7.53 9.8l1.55 1.55c-.05.21-.08.43-.08.65a3 3 0 0 0 3 3c.22 0 .44-.03.65-.08l1.55 1.55c-.67.33-1.41.53-2.2.53a5 5 0 0 1-5-5c0-.79.2-1.53.53-2.2m4.31-.78 3.15 3.15.02-.16a3 3 0 0 0-3-3z';

