import { i18nProvider, LOCALES } from './i18n';
import { store } from './store';

/**
 * The language chosen before react-admin is loaded (the sign-in screens), kept where react-admin keeps it (the
 * store's `locale`), so the app opens in it.
 */
export async function chooseLocale(locale: string): Promise<void> {
  await i18nProvider.changeLocale(locale);
  store.setItem('locale', locale);
}

/** The language the visitor chose before, applied before the first render. */
export async function applySavedLocale(): Promise<void> {
  const saved = store.getItem<string>('locale');
  if (saved && saved !== i18nProvider.getLocale() && LOCALES.some((l) => l.locale === saved)) await i18nProvider.changeLocale(saved);
}
