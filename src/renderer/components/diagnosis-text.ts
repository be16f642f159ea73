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
/**
 * The cluster a diagnosis is about, when it is not the primary (Mila): its name, its account's
 * name and how long a new key takes to reach it. Its "what to do" then names it, not Mila's
 * form, password or 48 hours (issue #14).
 */
export interface OtherClusterWords {
  name: string;
  account: string;
  maxMinutes: number;
}

/** The codes whose "what to do" speaks of Mila: another cluster's tab says them its own way. */
const OTHER_CLUSTER_CODES = ['wrong-passphrase', 'key-refused', 'too-many-keys', 'wrong-username'] as const;
type OtherClusterCode = (typeof OTHER_CLUSTER_CODES)[number];
const isOtherClusterCode = (code: string): code is OtherClusterCode => (OTHER_CLUSTER_CODES as readonly string[]).includes(code);

export function diagnosisTexts(t: T, d: DiagnosisDto, other?: OtherClusterWords): { message: string; next: string; note: string | null } {
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
  const next =
    other && isOtherClusterCode(d.code)
      ? t(`otherCluster.diagnosis.${d.code}`, { ...values, name: other.name, account: other.account, minutes: String(other.maxMinutes) })
      : t(`${base}.next`, { ...values, defaultValue: d.next });
  // A wrong passphrase with a key the server accepted: say the registration is fine.
  const note = d.code === 'wrong-passphrase' && d.values.keyAccepted === 'yes' ? t('diagnosis.keyRegistered') : null;
  return { message, next, note };
}
