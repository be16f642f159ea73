// Sync on purpose: this runs while node-pty is loaded, and require() of a native module is
// synchronous anyway (once per process).
// eslint-disable-next-line no-restricted-imports
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Pty from 'node-pty';
import { EngineError } from '../errors.js';
import { spawnHelperPath, spawnHelperProblem, unpackedPath, type StatLike } from './pty-ready.js';

/**
 * Loads node-pty, once, with `require`.
 *
 * Why `require` and not `import()`: every bundle that carries the engine is CommonJS (the
 * desktop app's engine host, the web host) or has a `require` from its banner (the CLI's ESM
 * chunks), and node-pty is CommonJS. A dynamic import() from inside app.asar, in a utility
 * process, goes through Electron's ESM loader, whose asar support has regressed in several
 * releases; require() goes through the asar-aware CommonJS loader that every Electron app uses.
 * (test/integration/built-app.test.ts checks the built bundles load it this way.)
 *
 * Why from app.asar.unpacked: in the packaged app all of node-pty is unpacked
 * (electron-builder.yml). Loading it from there gives node-pty a real folder as __dirname,
 * so what it starts by path (the conpty output Worker on Windows, spawn-helper on macOS)
 * is a real file; from inside app.asar its Windows Worker path would name a file in the archive.
 */

/** The `require` of the running bundle, or one made for this module when run from source. */
function nodeRequire(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

/** Where node-pty's entry is, preferring the unpacked copy of a packaged app. */
export function ptyEntry(resolved: string, exists: (p: string) => boolean = existsSync): string {
  const unpacked = unpackedPath(resolved);
  return unpacked !== resolved && exists(unpacked) ? unpacked : resolved;
}

const fsStat: StatLike = (file) => {
  try {
    const st = statSync(file);
    return { mode: st.mode, isFile: st.isFile() };
  } catch {
    return null;
  }
};

let loaded: { pty: typeof Pty; packageDir: string } | undefined;

/** The spawn-helper node-pty uses on macOS (null elsewhere, or before node-pty is loaded). */
export function loadedSpawnHelper(stat: StatLike = fsStat): string | null {
  return loaded ? spawnHelperPath(loaded.packageDir, process.platform, process.arch, stat) : null;
}
/** Set once the helper was found runnable: the check runs before spawns until then. */
let helperOk = false;

/**
 * node-pty, ready to spawn. Throws a plain EngineError when it cannot be loaded or, on
 * macOS, when its spawn-helper cannot run (with the exact command that fixes it).
 */
export function loadPty(platform: NodeJS.Platform = process.platform, stat: StatLike = fsStat): typeof Pty {
  if (!loaded) {
    try {
      const req = nodeRequire();
      const entry = ptyEntry(req.resolve('node-pty'));
      const pty = req(entry) as typeof Pty;
      loaded = { pty, packageDir: path.dirname(path.dirname(entry)) }; // <pkg>/lib/index.js
    } catch (err) {
      throw new EngineError('internal', 'The terminal component of Mila Onboard could not be loaded.', {
        hint: 'Reinstall Mila Onboard. If you run it from source, run "npm ci" again.',
        cause: err,
      });
    }
  }
  if (!helperOk) {
    const problem = spawnHelperProblem(spawnHelperPath(loaded.packageDir, platform, process.arch, stat), platform, stat);
    if (problem) throw problem;
    helperOk = true;
  }
  return loaded.pty;
}
