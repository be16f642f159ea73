/** Writing the cluster's entries into the user's SSH config: the public surface. */
export { planConfig } from './plan.js';
export { unifiedDiff } from './diff.js';
export { PlanCache } from './plan-cache.js';
export { applyConfig } from './apply.js';
export { revertConfig, checkRevert } from './revert.js';
export { configStatus } from './status.js';
export type { ConfigDeps } from './state.js';
export type { FsLayer, WritableFile } from '../files/fs-layer.js';
export { nodeFs } from '../files/fs-layer.js';
export type { SshRunner } from './verify.js';
export { validateUser, resolveIdentity } from './validate.js';
export { configPaths } from './paths.js';
