import i18next from 'i18next';
import { useSyncExternalStore } from 'react';

/**
 * The React side of i18next: `t`, and a new render of the component when the language
 * changes. Written here instead of taken from react-i18next, which the wizard used before:
 * its useTranslation (v16) keeps per-component state and effects and a copy of the i18next
 * instance, and measured about 7 ms of the first screen on the test machine (docs/benchmarks.md),
 * where the wizard needs only these two things. i18next itself still does all the work of
 * translating (lookup, plurals, interpolation).
 */
function subscribe(onChange: () => void): () => void {
  i18next.on('languageChanged', onChange);
  return () => i18next.off('languageChanged', onChange);
}

const currentLanguage = (): string => i18next.language;

export function useTranslation(): { t: typeof i18next.t; i18n: typeof i18next } {
  useSyncExternalStore(subscribe, currentLanguage);
  return { t: i18next.t, i18n: i18next };
}
