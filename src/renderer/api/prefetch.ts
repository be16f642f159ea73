import type { AsyncState } from '../useAsync.js';
import type { Progress } from '../progress.js';
import type { AppInfo } from '../steps/types.js';
import { connectNow, getApi } from './client.js';

/**
 * The two answers the first screen needs (app.info, the saved progress), asked for as soon as
 * the page's first module runs: the web socket then opens while React and the wizard's code
 * are still being evaluated, and the first render already has both (one render, not three).
 */
export interface Boot {
  info: AsyncState<AppInfo>;
  /** Null: no progress saved yet, or it could not be read (the wizard starts at the welcome step). */
  progress: Progress | null;
}

let boot: Promise<Boot> | null = null;

export function startBoot(): Promise<Boot> {
  boot ??= (async () => {
    const api = getApi();
    const calls = Promise.allSettled([api['app.info']({}), api['progress.get']({})]);
    // Now, not after every module of the page has run: the connection is made meanwhile.
    connectNow();
    const [info, progress] = await calls;
    return {
      info: info.status === 'fulfilled' ? { status: 'done', value: info.value } : { status: 'failed', error: info.reason },
      progress: progress.status === 'fulfilled' ? progress.value.progress : null,
    };
  })();
  return boot;
}

/** app.info again (the retry after a failure). */
export function appInfo(): Promise<AppInfo> {
  return getApi()['app.info']({});
}
