import { useCallback, useState } from 'react';

/**
 * One user action at a time: `run` marks the step busy, clears the last error, runs the
 * call and keeps its error for an ErrorNotice. Returns the call's value, or null if it failed.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(call: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await call();
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  // When the user changes what the failed call was about, its error no longer describes the page.
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
