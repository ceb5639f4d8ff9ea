import TranslateIcon from '@mui/icons-material/Translate';
import { Button, CssBaseline, Menu, MenuItem, ThemeProvider, createTheme } from '@mui/material';
import { I18nContext } from 'ra-core';
import { useMemo, useState } from 'react';
import { i18nProvider, LOCALES } from '../i18n';
import { chooseLocale } from '../locale';
import { theme } from '../theme';
import { authProvider, type LoginParams } from './authProvider';
import { LoginForm } from './LoginForm';
import type { NextStep } from './QuickSignIn';

/**
 * The later steps of a sign-in begun on the quick screen (QuickSignIn: a TOTP code, an enrolment, a forced password
 * change), before react-admin is loaded: the app's login form at that step, with the language the app will use (the
 * same persisted store). `onSignedIn` loads the app once the session is `ok`.
 */
export function SignInScreen({ onSignedIn, initial }: { onSignedIn: () => void; initial: NextStep }) {
  const [locale, setLocale] = useState(i18nProvider.getLocale());
  const muiTheme = useMemo(() => createTheme(theme as Parameters<typeof createTheme>[0]), []);
  const changeLocale = async (next: string) => {
    await chooseLocale(next);
    setLocale(next);
  };
  const login = async (params: LoginParams) => {
    await authProvider.login(params);
    onSignedIn();
  };
  return (
    <ThemeProvider theme={muiTheme}>
      <CssBaseline />
      {/* Keyed by the language: a change re-renders every text, as react-admin does. */}
      <I18nContext.Provider value={i18nProvider} key={locale}>
        <LoginForm login={login} initial={initial} localeSwitcher={<LanguageMenu locale={locale} onChange={(l) => void changeLocale(l)} />} />
      </I18nContext.Provider>
    </ThemeProvider>
  );
}

/** The language button of react-admin's LocalesMenuButton, without react-admin. */
function LanguageMenu({ locale, onChange }: { locale: string; onChange: (locale: string) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const current = LOCALES.find((l) => l.locale === locale) ?? LOCALES[0];
  return (
    <>
      <Button color="inherit" startIcon={<TranslateIcon />} onClick={(e) => setAnchor(e.currentTarget)} aria-haspopup="true">
        {current.name}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {LOCALES.map((l) => (
          <MenuItem
            key={l.locale}
            selected={l.locale === locale}
            onClick={() => {
              setAnchor(null);
              onChange(l.locale);
            }}
          >
            {l.name}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
