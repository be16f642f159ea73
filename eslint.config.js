// ESLint: the rules that keep the floors apart (the engine never imports Electron, only main
// binds IPC), React's hook rules, and no blocking file calls in the engine's async code.
// Type-aware linting is off on purpose: `npm run typecheck` already runs tsc on every file,
// and the untyped rules keep `npm run lint` to a few seconds on this 2-core machine.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const syncFsCalls = [
  'accessSync', 'appendFileSync', 'chmodSync', 'chownSync', 'closeSync', 'copyFileSync', 'existsSync',
  'fstatSync', 'fsyncSync', 'linkSync', 'lstatSync', 'mkdirSync', 'mkdtempSync', 'openSync', 'readdirSync',
  'readFileSync', 'readlinkSync', 'readSync', 'realpathSync', 'renameSync', 'rmdirSync', 'rmSync', 'statSync',
  'symlinkSync', 'truncateSync', 'unlinkSync', 'utimesSync', 'writeFileSync', 'writeSync',
];

/** `electron` (and its ipcMain) belong to Electron main and preload only: GitHub Desktop's rule. */
const noElectron = {
  paths: [{ name: 'electron', message: 'Only src/main and src/preload may import electron: the engine, hosts, CLI and renderer run without it.' }],
  patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'docs/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are errors, except the `_`-prefixed ones kept for a signature's shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Hosts and tests talk to untyped JSON; `unknown` is preferred but `any` at a boundary is a judgement call.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', noElectron],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The engine's work is async; one blocking call on a slow disk (a network home folder) freezes
    // every task sharing its process. Sync calls are allowed where they are at start-up or in CLI-only code.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        ...noElectron,
        paths: [
          ...noElectron.paths,
          { name: 'node:fs', importNames: syncFsCalls, message: 'Use node:fs/promises in the engine: its work is async.' },
          { name: 'fs', importNames: syncFsCalls, message: 'Use node:fs/promises in the engine: its work is async.' },
        ],
      }],
    },
  },
  {
    // Electron main: electron is its own, but IPC handlers are bound only through src/main/ipc.ts
    // (every sender checked, architecture checklist item 6); main.ts hands it the real ipcMain.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/main.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Bind IPC through src/main/ipc.ts (registerIpcHandlers), which checks the sender.' }],
      }],
    },
  },
  {
    files: ['src/main/main.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/electron/**/*.ts', 'scripts/**/*.{js,mjs,cjs}'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
