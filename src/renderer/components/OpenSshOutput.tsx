import { useTranslation } from '../i18n/use-translation.js';

/**
 * What OpenSSH itself printed, exactly as it printed it (in English: OpenSSH speaks no other
 * language), labelled as OpenSSH's so it is never taken for the wizard's own words.
 */
export function OpenSshOutput({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <figure className="openssh-output">
      <figcaption>{t('errors.openssh')}</figcaption>
      <pre className="mono details" lang="en" data-openssh="">
        {text}
      </pre>
    </figure>
  );
}
