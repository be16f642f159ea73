import { useSyncExternalStore } from 'react';
import { translator } from './translator.js';

const subscribe = (onChange: () => void): (() => void) => translator.onChange(onChange);
const currentLanguage = (): string => translator.language;

/** `t`, and a new render of the component when the language changes. */
export function useTranslation(): { t: typeof translator.t; i18n: { readonly language: string } } {
  useSyncExternalStore(subscribe, currentLanguage);
  return { t: translator.t, i18n: translator };
}
