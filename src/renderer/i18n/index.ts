import { en, type Messages } from './en.js';
import { translator } from './translator.js';

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
async function load(lng: Language): Promise<Messages> {
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

/** Ready before the first render: at once for English, one small file more for French. */
export async function setupI18n(saved: Language | undefined): Promise<void> {
  const lng = initialLanguage(saved);
  translator.add('en', en);
  if (lng !== 'en') translator.add(lng, await load(lng));
  translator.use(lng);
  document.documentElement.lang = lng;
}

/** Switches the wizard's language, fetching its strings first if needed (the caller remembers the choice). */
export async function switchLanguage(lng: Language): Promise<void> {
  if (!translator.has(lng)) translator.add(lng, await load(lng));
  translator.use(lng);
  document.documentElement.lang = lng;
}
