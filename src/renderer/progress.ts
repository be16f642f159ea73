import { createContext, useContext } from 'react';
import type { ProgressDto } from '../shared/contract/app.js';
import { getApi } from './api/client.js';
import type { StepId } from './steps/registry.js';

/**
 * What the wizard remembers between runs: where the user was and the choices they made.
 * Never a secret. It is saved by the engine in the app's state folder (so it survives a
 * restart of either front), validated by the contract's schema on the way.
 */
export type Progress = ProgressDto;

export const EMPTY_PROGRESS: Progress = { stepId: 'welcome', keyFile: null, user: '', variant: 'simple', done: {} };

export function saveProgress(p: Progress): void {
  // Saving is best effort: a read-only state folder must not stop the wizard.
  getApi()['progress.set']({ progress: p }).catch(() => undefined);
}

export interface ProgressApi {
  progress: Progress;
  update(patch: Partial<Progress>): void;
  /** A change computed from the latest progress (two changes in one event both count). */
  change(next: (p: Progress) => Progress): void;
  markDone(stepId: StepId): void;
}

export const ProgressContext = createContext<ProgressApi | null>(null);

export function useProgress(): ProgressApi {
  const api = useContext(ProgressContext);
  if (!api) throw new Error('useProgress outside ProgressContext');
  return api;
}
