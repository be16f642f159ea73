import type { ReactNode } from 'react';
import { useClusterSteps, type ClusterInfo } from '../clusters.js';
import { useTranslation } from '../i18n/use-translation.js';
import { TabbedStep } from './TabbedStep.js';
import type { AppInfo } from './types.js';

/** What a cluster's panel may say to its step: its part is done, undone, or the user goes on. */
export interface ClusterPanelMarks {
  markDone(cluster: ClusterInfo): void;
  clearDone(cluster: ClusterInfo): void;
  /** "Continue" on this cluster's tab: the next cluster not done yet, else the next step. */
  next(cluster: ClusterInfo): void;
}

/**
 * The settings, trust and login steps: one tab per chosen cluster (TabbedStep), each marked
 * done in the saved progress on its own (useClusterSteps).
 */
export function ClusterStepFrame({
  info,
  step,
  heading,
  goNext,
  continueMarksDone,
  above,
  children,
}: {
  info: AppInfo;
  step: 'config' | 'trust' | 'login';
  heading: string;
  goNext(): void;
  /**
   * Settings and trust: "Continue" is offered once the block or the host keys are there, maybe
   * from an earlier run, so it marks the cluster done. A login is done only when it worked.
   */
  continueMarksDone: boolean;
  above?: ReactNode;
  children(cluster: ClusterInfo, marks: ClusterPanelMarks): ReactNode;
}) {
  const { t } = useTranslation();
  const steps = useClusterSteps(info);
  const marks = (next: (c: ClusterInfo) => void): ClusterPanelMarks => ({
    markDone: (c) => steps.markDone(c, step),
    clearDone: (c) => steps.clearDone(c, step),
    next: (c) => {
      if (continueMarksDone) steps.markDone(c, step);
      next(c);
    },
  });
  return (
    <TabbedStep id={step} heading={heading} tabsLabel={t('clusters.tabs')} items={steps.clusters} isDone={(c) => steps.isDone(c, step)} goNext={goNext} above={above}>
      {(cluster, next) => children(cluster, marks(next))}
    </TabbedStep>
  );
}
