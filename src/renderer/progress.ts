import { createContext, useContext } from 'react';

/**
 * What the wizard remembers between runs: where the user was and the choices they made.
 * Never a secret: passphrases and codes are not part of it (a test checks the stored JSON).
 */
export interface Progress {
  stepId: string;
  /** The private key file (name inside the SSH folder) chosen for the cluster. */
  keyFile: string | null;
  user: string;
  variant: 'simple' | 'advanced';
  /** Steps the user finished, by id. */
  done: Record<string, boolean>;
}

const STORAGE_KEY = 'mila-onboard.progress';
export const EMPTY_PROGRESS: Progress = { stepId: 'welcome', keyFile: null, user: '', variant: 'simple', done: {} };

export function loadProgress(): Progress {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return EMPTY_PROGRESS;
    const p = JSON.parse(raw) as Partial<Progress>;
    return {
      stepId: typeof p.stepId === 'string' ? p.stepId : EMPTY_PROGRESS.stepId,
      keyFile: typeof p.keyFile === 'string' ? p.keyFile : null,
      user: typeof p.user === 'string' ? p.user : '',
      variant: p.variant === 'advanced' ? 'advanced' : 'simple',
      done: p.done && typeof p.done === 'object' ? Object.fromEntries(Object.entries(p.done).filter(([, v]) => v === true)) : {},
    };
  } catch {
    return EMPTY_PROGRESS;
  }
}

export function saveProgress(p: Progress): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(p));
}

export interface ProgressApi {
  progress: Progress;
  update(patch: Partial<Progress>): void;
  markDone(stepId: string): void;
}

export const ProgressContext = createContext<ProgressApi | null>(null);

export function useProgress(): ProgressApi {
  const api = useContext(ProgressContext);
  if (!api) throw new Error('useProgress outside ProgressContext');
  return api;
}
