import { useCallback, useMemo } from 'react';
import { useProgress, type Progress } from './progress.js';
import type { AppInfo } from './steps/types.js';

/**
 * Several clusters in one session (issue #15). The primary cluster (the host's first profile,
 * Mila's) is always set up; the user adds clusters of other accounts (the Alliance's) on the
 * welcome step. Each account has one username and one key; each cluster has its own settings
 * block, trust and first login, remembered per cluster in the progress.
 */
export type ClusterInfo = AppInfo['clusters'][number];

export interface Account {
  id: string;
  /** The account's name in the user's language (the profile's `names`, else its `name`). */
  name: string;
  usernameHint: { en: string; fr: string } | undefined;
  clusters: ClusterInfo[];
}

/** The steps done per cluster (public: its account's key was copied); `done[step]` says a step is done for every chosen cluster. */
export type ClusterStep = 'public' | 'config' | 'trust' | 'login';

export function primaryOf(info: AppInfo): ClusterInfo {
  return info.clusters.find((c) => c.primary) ?? info.clusters[0]!;
}

function accountName(c: ClusterInfo, language: string): string {
  return (language === 'fr' ? c.account.names?.fr : c.account.names?.en) ?? c.account.name;
}

/**
 * The accounts the user may add, with their clusters in the host's order. Clusters that share
 * the primary's account are left out: their username and key would be the primary's, which
 * the steps ask for the primary only.
 */
export function otherAccounts(info: AppInfo, language: string): Account[] {
  const primary = primaryOf(info);
  const accounts = new Map<string, Account>();
  for (const c of info.clusters) {
    if (c.id === primary.id || c.account.id === primary.account.id) continue;
    const account = accounts.get(c.account.id) ?? { id: c.account.id, name: accountName(c, language), usernameHint: c.account.usernameHint, clusters: [] };
    account.clusters.push(c);
    accounts.set(c.account.id, account);
  }
  return [...accounts.values()];
}

/** The clusters this session sets up: the primary, then the chosen ones whose account the user has. */
export function chosenClusters(info: AppInfo, progress: Progress): ClusterInfo[] {
  const primary = primaryOf(info);
  const chosen = new Set(progress.clusters ?? []);
  return [primary, ...info.clusters.filter((c) => c.id !== primary.id && chosen.has(c.id) && progress.accounts?.[c.account.id] !== undefined)];
}

/** The accounts of the chosen clusters, the primary's first (the public-key step: one key per account). */
export function chosenAccounts(info: AppInfo, progress: Progress, language: string): Account[] {
  const out = new Map<string, Account>();
  for (const c of chosenClusters(info, progress)) {
    const account = out.get(c.account.id) ?? { id: c.account.id, name: c.primary ? c.name : accountName(c, language), usernameHint: c.account.usernameHint, clusters: [] };
    account.clusters.push(c);
    out.set(c.account.id, account);
  }
  return [...out.values()];
}

/** The username and key of a cluster's account: the primary's are `user` and `keyFile`. */
export function accountOf(progress: Progress, cluster: ClusterInfo): { user: string; keyFile: string | null } {
  if (cluster.primary) return { user: progress.user, keyFile: progress.keyFile };
  return progress.accounts?.[cluster.account.id] ?? { user: '', keyFile: null };
}

/** Changes one account's entry (the primary's are the top-level fields). */
export function withAccount(p: Progress, cluster: ClusterInfo, patch: Partial<{ user: string; keyFile: string | null }>): Progress {
  if (cluster.primary) return { ...p, ...patch };
  const current = p.accounts?.[cluster.account.id] ?? { user: '', keyFile: null };
  return { ...p, accounts: { ...p.accounts, [cluster.account.id]: { ...current, ...patch } } };
}

function isDoneIn(p: Progress, cluster: ClusterInfo, step: ClusterStep): boolean {
  const own = p.clusterDone?.[cluster.id]?.[step];
  // Progress saved before clusters were remembered one by one: the step's mark was the primary's.
  return own ?? (cluster.primary && p.done[step] === true);
}

/** Per-cluster marks for the config, trust and login steps, and the step's own mark from them. */
export function useClusterSteps(info: AppInfo) {
  const { progress, change } = useProgress();
  const clusters = useMemo(() => chosenClusters(info, progress), [info, progress]);
  const isDone = useCallback((cluster: ClusterInfo, step: ClusterStep) => isDoneIn(progress, cluster, step), [progress]);
  const set = useCallback(
    (of: readonly ClusterInfo[], step: ClusterStep, value: boolean) =>
      change((p) => {
        const clusterDone = { ...p.clusterDone };
        for (const c of of) clusterDone[c.id] = { ...clusterDone[c.id], [step]: value };
        const next: Progress = { ...p, clusterDone };
        const all = chosenClusters(info, next).every((c) => isDoneIn(next, c, step));
        return { ...next, done: { ...next.done, [step]: all } };
      }),
    [change, info],
  );
  const markDone = useCallback((cluster: ClusterInfo | readonly ClusterInfo[], step: ClusterStep) => set(Array.isArray(cluster) ? cluster : [cluster as ClusterInfo], step, true), [set]);
  const clearDone = useCallback((cluster: ClusterInfo, step: ClusterStep) => set([cluster], step, false), [set]);
  return { clusters, isDone, markDone, clearDone };
}
