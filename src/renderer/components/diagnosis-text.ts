import type { DiagnosisDto } from '../../shared/contract/connect.js';
import type { Translate } from '../i18n/translator.js';
import type { Messages } from '../i18n/en.js';

/** The translate function, as the translator and useTranslation give it. */
type T = Translate<Messages>;

/**
 * A diagnosis in the wizard's language: the code picks the texts, the engine's values (the
 * username, key, port… that OpenSSH used) fill them. Pure, so the mapping is tested in both
 * languages on real diagnoses. A value the engine did not learn reads as a neutral word,
 * never as "{{user}}"; the engine's English text is only the fallback for a code this build
 * does not know.
 */
export function diagnosisTexts(t: T, d: DiagnosisDto): { message: string; next: string; note: string | null } {
  const values: Record<string, string> = {
    user: t('diagnosis.unknownValue'),
    key: t('diagnosis.unknownValue'),
    previousUser: t('diagnosis.unknownValue'),
    hours: '48',
    failures: '?',
    ...d.values,
  };
  // "port 2222" when OpenSSH said which port, "the SSH port" when it did not.
  values.portName = d.values.port ? t('diagnosis.portNumber', { port: d.values.port }) : t('diagnosis.sshPort');
  const base = `diagnosis.codes.${d.code}` as const;
  const message = t(`${base}.message`, { ...values, defaultValue: d.message });
  const next = t(`${base}.next`, { ...values, defaultValue: d.next });
  // A wrong passphrase with a key the server accepted: say the registration is fine.
  const note = d.code === 'wrong-passphrase' && d.values.keyAccepted === 'yes' ? t('diagnosis.keyRegistered') : null;
  return { message, next, note };
}
