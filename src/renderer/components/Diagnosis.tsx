import { useTranslation } from '../i18n/use-translation.js';
import type { DiagnosisDto } from '../../shared/contract/connect.js';
import { diagnosisTexts, type OtherClusterWords } from './diagnosis-text.js';

/** A failed connection: what happened and what to do, with OpenSSH's own words one click away. */
export function Diagnosis({ diagnosis, details, supportUrl, other }: { diagnosis: DiagnosisDto; details: string; supportUrl: string; other?: OtherClusterWords | undefined }) {
  const { t } = useTranslation();
  const text = diagnosisTexts(t, diagnosis, other);
  return (
    <div className={`notice ${diagnosis.alarming ? 'notice-error alarm' : 'notice-warn'}`} role="alert">
      <h3>{diagnosis.alarming ? t('diagnosis.alarmTitle') : t('diagnosis.title')}</h3>
      <p>
        {text.message}
        {text.note && ` ${text.note}`}
      </p>
      <p>
        <strong>{t('diagnosis.next')}</strong> {text.next}
      </p>
      {diagnosis.alarming && (
        <p>
          <a href={supportUrl} target="_blank" rel="noreferrer">
            {t('welcome.support')}
          </a>
        </p>
      )}
      {details && (
        <details>
          <summary>{t('diagnosis.details')}</summary>
          <pre className="mono details" lang="en" data-openssh="">
            {details}
          </pre>
        </details>
      )}
    </div>
  );
}
