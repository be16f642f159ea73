import i18next from 'i18next';
import { en } from './en.js';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The language the user chose (kept with the wizard's progress by the engine, so it survives
 * a restart of either front: the web front's origin changes with its port, and with it the
 * page's own storage), else the computer's.
 */
export function initialLanguage(saved: Language | undefined): Language {
  if (saved) return saved;
  const preferred = globalThis.navigator?.languages ?? [];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr') return 'fr';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** The strings of a language other than English arrive when that language is first used. */
async function load(lng: Language): Promise<Record<string, unknown>> {
  return lng === 'fr' ? (await import('./fr.js')).fr : en;
}

/**
 * On a computer set to French, its strings are fetched while the saved progress is on its way
 * (it may name another language; a module is fetched once either way).
 */
export function prefetchStrings(): void {
  const lng = initialLanguage(undefined);
  if (lng !== 'en') void load(lng);
}

/** Ready before the first render: synchronous for English, one small file more for French. */
export async function setupI18n(saved: Language | undefined): Promise<typeof i18next> {
  const lng = initialLanguage(saved);
  const resources = { en: { translation: en }, ...(lng === 'en' ? {} : { [lng]: { translation: await load(lng) } }) };
  await i18next.init({
    resources,
    lng,
    // With every string at hand, nothing is worth a turn of the event loop before the first render.
    initAsync: false,
    showSupportNotice: false,
    fallbackLng: false,
    // React escapes; double escaping would show &amp; to users.
    interpolation: { escapeValue: false },
    returnNull: false,
    // A missing key must never show silently as its raw key in production builds either.
    saveMissing: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

/** Switches the wizard's language, fetching its strings first if needed (the caller remembers the choice). */
export async function switchLanguage(lng: Language): Promise<void> {
  if (!i18next.hasResourceBundle(lng, 'translation')) i18next.addResourceBundle(lng, 'translation', await load(lng));
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
}
