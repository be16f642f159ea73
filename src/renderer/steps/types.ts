import type { OutputOf } from '../../shared/contract/index.js';

export type AppInfo = OutputOf<'app.info'>;
