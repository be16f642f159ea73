import { useTranslation } from '../i18n/use-translation.js';
import { LANGUAGES, switchLanguage, type Language } from '../i18n/index.js';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span>{t('app.language')}</span>
      <select
        value={i18n.language}
        onChange={(e) => void switchLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
