import { useTranslation } from '../i18n/use-translation.js';
import { LANGUAGES, switchLanguage, type Language } from '../i18n/index.js';
import { useProgress } from '../progress.js';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { update } = useProgress();
  return (
    <label className="language">
      <span>{t('app.language')}</span>
      <select
        value={i18n.language}
        onChange={(e) => {
          const language = e.target.value as Language;
          // Kept with the progress, so the wizard opens in this language next time.
          update({ language });
          void switchLanguage(language);
        }}
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
