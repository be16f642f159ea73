import type { OtherClusterWords } from './components/diagnosis-text.js';
import type { ClusterInfoDto as ClusterInfo } from '../shared/contract/clusters.js';

/**
 * What a text needs to name a cluster that is not the primary (issue #14): its name, its
 * account's name in the user's language, and the longest wait for a new key (the Alliance's
 * CCDB: up to ~30 minutes). Undefined for the primary, whose texts are the wizard's own.
 */
export function otherClusterWords(cluster: Pick<ClusterInfo, 'name' | 'primary' | 'account' | 'keyRegistration'> | undefined, language: string): OtherClusterWords | undefined {
  if (!cluster || cluster.primary) return undefined;
  const names = cluster.account.names;
  const account = (language === 'fr' ? names?.fr : names?.en) ?? cluster.account.name;
  return { name: cluster.name, account, maxMinutes: cluster.keyRegistration.delayMinutes?.max ?? 30 };
}
