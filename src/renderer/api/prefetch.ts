import type { ProgressDto } from '../../shared/contract/app.js';
import type { AppInfo } from '../steps/types.js';
import { getApi } from './client.js';

let first: Promise<AppInfo> | null = null;
let firstProgress: Promise<{ progress: ProgressDto | null }> | null = null;

/** Starts app.info and progress.get (and so the web socket) before the first render. */
export function prefetchInfo(): void {
  first ??= getApi()['app.info']({});
  firstProgress ??= getApi()['progress.get']({});
}

/** The prefetched saved progress once, then a fresh call. */
export function savedProgress(): Promise<{ progress: ProgressDto | null }> {
  const p = firstProgress ?? getApi()['progress.get']({});
  firstProgress = null;
  return p;
}

/** The prefetched answer once, then a fresh call each time (retry). */
export function appInfo(): Promise<AppInfo> {
  const p = first ?? getApi()['app.info']({});
  first = null;
  return p;
}
