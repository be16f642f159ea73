import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'failed'; error: unknown };

/** Runs an async call when the component mounts (unless its answer is already known), and again on `reload()`. */
export function useAsync<T>(fn: () => Promise<T>, known?: AsyncState<T>): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>(known ?? { status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (round === 0 && known) return;
    let live = true;
    setState({ status: 'loading' });
    fn().then(
      (value) => live && setState({ status: 'done', value }),
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
    // fn is a new closure each render; `round` is the deliberate trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [state, reload];
}
