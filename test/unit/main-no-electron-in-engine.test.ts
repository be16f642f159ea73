import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeWithoutComments, sourceFilesUnder as filesUnder } from '../fixtures/source-files.js';

/**
 * The engine, the contract, the hosts and the CLI run under plain Node (the CLI, the web
 * host, the tests), so none of them may import Electron — not even its types. Only
 * src/main and src/preload touch Electron, and their pure modules only for types.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_FREE_DIRS = ['src/engine', 'src/shared', 'src/host', 'src/cli'];

/** Any static import/export, require() or dynamic import() of 'electron' or 'electron/…'. */
const ELECTRON_IMPORT = /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"`])electron(?:\/[^'"`]*)?\1/;
/** The same, but a value (not `import type`) import. */
const ELECTRON_VALUE_IMPORT = /^(?!\s*(?:import|export)\s+type\b).*(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s*)(['"`])electron(?:\/[^'"`]*)?\1/m;

/** Offending lines, with comments left out so prose about Electron does not count. */
function electronImports(file: string, pattern: RegExp): string[] {
  const text = codeWithoutComments(file);
  // Join multi-line import statements so `import {\n a\n} from 'electron'` is one line.
  const statements = text.replace(/\{[^{}]*\}/g, (m) => m.replace(/\s+/g, ' ')).split('\n');
  return statements.filter((line) => pattern.test(line)).map((line) => `${path.relative(root, file)}: ${line.trim()}`);
}

describe('the detector', () => {
  it.each([
    ["import { app } from 'electron';", true],
    ['import { app } from "electron";', true],
    ["import type { WebContents } from 'electron';", true],
    ["import 'electron';", true],
    ["const { ipcMain } = require('electron');", true],
    ["const e = await import('electron');", true],
    ["import { ipcRenderer } from 'electron/renderer';", true],
    ["export { app } from 'electron';", true],
    ["import x from 'electron-store';", false],
    ["import * as z from 'zod/mini';", false],
    ["const s = 'the electron window';", false],
  ])('%s → %s', (line, expected) => {
    expect(ELECTRON_IMPORT.test(line)).toBe(expected);
  });

  it.each([
    ["import type { WebContents } from 'electron';", false],
    ["export type { WebContents } from 'electron';", false],
    ["import { app } from 'electron';", true],
    ["import 'electron';", true],
    ["const { shell } = require('electron');", true],
  ])('value import: %s → %s', (line, expected) => {
    expect(ELECTRON_VALUE_IMPORT.test(line)).toBe(expected);
  });
});

describe('no Electron outside src/main and src/preload', () => {
  it.each(ELECTRON_FREE_DIRS)('%s imports nothing from electron', (dir) => {
    const files = filesUnder(path.join(root, dir));
    expect(files.length).toBeGreaterThan(0); // the scan must actually look at something
    const found = files.flatMap((f) => electronImports(f, ELECTRON_IMPORT));
    expect(found).toEqual([]);
  });
});

describe('the pure Electron-side modules', () => {
  it('(control) the scan does find the value import in src/main/main.ts', () => {
    expect(electronImports(path.join(root, 'src/main/main.ts'), ELECTRON_VALUE_IMPORT)).toHaveLength(1);
    expect(electronImports(path.join(root, 'src/preload/preload.ts'), ELECTRON_IMPORT)).toHaveLength(1);
  });

  it.each(['src/main/security.ts', 'src/main/ipc.ts', 'src/main/args.ts', 'src/main/menu.ts', 'src/main/utility-engine.ts', 'src/preload/expose.ts'])(
    '%s imports electron for types only',
    (file) => {
      expect(electronImports(path.join(root, file), ELECTRON_VALUE_IMPORT)).toEqual([]);
    },
  );
});
