import { useTranslation } from '../i18n/use-translation.js';
import { otherAccounts, primaryOf, type Account } from '../clusters.js';
import { useProgress, type Progress } from '../progress.js';
import type { AppInfo } from '../steps/types.js';
import { Field } from './Field.js';

/** Unchecking an account forgets it: its chosen clusters, its username and the key named for it (the key file stays where it is). */
function withoutAccount(p: Progress, account: Account): Progress {
  const ids = new Set(account.clusters.map((c) => c.id));
  const { [account.id]: _gone, ...accounts } = p.accounts ?? {};
  return { ...p, accounts, clusters: (p.clusters ?? []).filter((id) => !ids.has(id)) };
}

/**
 * Which clusters the user has accounts on (welcome step). The primary (Mila) is always set up;
 * "I also have an account with the Alliance" reveals that account's clusters, each with its
 * notes, and asks its one username (the CCDB username, for all of its clusters). Saved in the
 * progress; nothing is written to the computer here.
 */
export function AccountsChoice({ info }: { info: AppInfo }) {
  const { t, i18n } = useTranslation();
  const { progress, change } = useProgress();
  const lang = i18n.language === 'fr' ? 'fr' : 'en';
  const primary = primaryOf(info);
  const accounts = otherAccounts(info, i18n.language);
  if (accounts.length === 0) return null;
  const chosen = new Set(progress.clusters ?? []);

  return (
    <section className="accounts" aria-labelledby="accounts-heading">
      <h3 id="accounts-heading">{t('clusters.welcome.title')}</h3>
      <p>{t('clusters.welcome.primary', { name: primary.name, command: `ssh ${primary.alias}` })}</p>
      {accounts.map((account) => {
        const has = progress.accounts?.[account.id] !== undefined;
        const user = progress.accounts?.[account.id]?.user ?? '';
        const none = has && !account.clusters.some((c) => chosen.has(c.id));
        return (
          <div key={account.id} className="account">
            <label className="check">
              <input
                type="checkbox"
                checked={has}
                onChange={(e) =>
                  change((p) => (e.target.checked ? { ...p, accounts: { ...p.accounts, [account.id]: p.accounts?.[account.id] ?? { user: '', keyFile: null } } } : withoutAccount(p, account)))
                }
              />{' '}
              {t('clusters.welcome.also', { account: account.name })}
            </label>
            {has && (
              <div className="account-details">
                <Field label={t('clusters.welcome.user', { account: account.name })} help={account.usernameHint?.[lang] ?? t('clusters.welcome.userHelp')}>
                  <input
                    value={user}
                    maxLength={64}
                    onChange={(e) => {
                      const value = e.target.value;
                      change((p) => ({ ...p, accounts: { ...p.accounts, [account.id]: { keyFile: null, ...p.accounts?.[account.id], user: value } } }));
                    }}
                    autoComplete="username"
                    spellCheck={false}
                  />
                </Field>
                <fieldset>
                  <legend>{t('clusters.welcome.which', { account: account.name })}</legend>
                  <p className="muted small">{t('clusters.welcome.whichHelp')}</p>
                  <ul className="cluster-choices">
                    {account.clusters.map((c) => (
                      <li key={c.id}>
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={chosen.has(c.id)}
                            aria-describedby={c.notes.length > 0 ? `cluster-notes-${c.id}` : undefined}
                            onChange={(e) => {
                              const on = e.target.checked;
                              change((p) => ({ ...p, clusters: on ? [...new Set([...(p.clusters ?? []), c.id])] : (p.clusters ?? []).filter((id) => id !== c.id) }));
                            }}
                          />{' '}
                          <span>
                            <strong>{c.name}</strong> <code className="mono small">ssh {c.alias}</code>
                          </span>
                        </label>
                        {c.notes.length > 0 && (
                          <ul className="muted small cluster-notes" id={`cluster-notes-${c.id}`}>
                            {c.notes.map((n) => (
                              <li key={n.en}>{n[lang]}</li>
                            ))}
                          </ul>
                        )}
                      </li>
                    ))}
                  </ul>
                </fieldset>
                {none && (
                  <p className="notice notice-warn" role="status">
                    {t('clusters.welcome.noneChosen')}
                  </p>
                )}
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
