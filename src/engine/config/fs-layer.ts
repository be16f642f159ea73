/** Moved to src/engine/files/ (shared with known_hosts); kept so existing imports work. */
export { nodeFs, errnoOf, type FsLayer, type WritableFile } from '../files/fs-layer.js';
