import polyglotI18nProvider from 'ra-i18n-polyglot';
import vietnameseMessages from './vi';

export const LOCALES = [
  { locale: 'vi', name: 'Tiếng Việt' },
  { locale: 'en', name: 'English' },
];

/**
 * Vietnamese by default; English is one click away in the app bar (LocalesMenuButton) and on the login page. The
 * English messages load when first chosen (react-admin waits for the promise), so the first script — the sign-in
 * screen's — carries one language (issue 11).
 */
export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'en' ? import('./en').then((m) => m.default) : vietnameseMessages),
  'vi',
  LOCALES,
  { allowMissing: true },
);

/** The locale the UI currently shows, sent to the API as `Accept-Language` so error messages match it. */
export const currentLocale = (): string => i18nProvider.getLocale();
