// `npm run scan:electron`: Doyensec's Electronegativity (a static scanner for Electron
// security misconfigurations) over the Electron side of the app: src/main, src/preload and
// the renderer's index.html (for its Content-Security-Policy). It also runs inside
// `npm test`, through test/integration/built-app.test.ts.
//
// Rule: no finding above LOW, unless electronegativity.allowlist.json lists it (check id
// and file) with the reason it does not apply. An allow-list entry that no longer matches
// anything fails the scan too, so the list cannot rot.
//
// Offline by construction. Electronegativity fetches two things with `got`: updated
// translations of its messages (it falls back to the bundled English) and the list of
// Electron releases, for AvailableSecurityFixesGlobalCheck. `got` is replaced in the
// require cache by a stub that answers 404 without touching the network, and that check
// is excluded: whether the Electron version is still supported is checked offline by
// test/integration/built-app.test.ts instead.
//
// Its command line (dist/index.js) does not start here: it expects an old `commander`
// (`commander.default.version`) and, declaring none, gets the project's commander 14. So
// this script calls its documented programmatic API (package main: dist/runner.js).
//
// Usage: node scripts/scan-electron.mjs [--json]   (exit code 0 = clean, 1 = findings)
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const requireFromScanner = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));

/** Makes `require('got')`, as the scanner resolves it, a stub that never opens a socket. */
function stubGot() {
  const gotPath = requireFromScanner.resolve('got');
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  const answer = async () => ({ statusCode: 404, body: '' });
  stub.exports = Object.assign(answer, { default: answer, get: answer, stream: () => { throw new Error('offline'); } });
  // Module._cache is require.cache, shared by every require.
  Module._cache[gotPath] = stub;
}

/** The files to scan, copied into a temp folder so the report's paths are short and stable. */
function assembleInput() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-electronegativity-'));
  const copy = (fromDir, toDir, filter) => {
    mkdirSync(path.join(dir, toDir), { recursive: true });
    for (const name of readdirSync(path.join(root, fromDir)).filter(filter)) {
      copyFileSync(path.join(root, fromDir, name), path.join(dir, toDir, name));
    }
  };
  copy('src/main', 'main', (n) => n.endsWith('.ts'));
  copy('src/preload', 'preload', (n) => n.endsWith('.ts'));
  copy('src/renderer', 'renderer', (n) => n === 'index.html');
  return dir;
}

function severityName(s) {
  return String(s?.name ?? s).toUpperCase();
}

export async function scan() {
  stubGot();
  const run = requireFromScanner('./dist/runner.js');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const electronVersion = String(pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '');
  const allowlist = JSON.parse(readFileSync(path.join(root, 'electronegativity.allowlist.json'), 'utf8')).allow;
  const input = assembleInput();
  // The scanner logs progress through console.log; keep stdout for the report.
  const log = console.log;
  console.log = () => undefined;
  let result;
  try {
    result = await run({
      input,
      isRelative: true,
      excludeFromScan: EXCLUDED_CHECKS,
      electronVersionOverride: electronVersion,
      severitySet: 'informational',
      confidenceSet: 'tentative',
    });
  } finally {
    console.log = log;
    rmSync(input, { recursive: true, force: true });
  }

  const findings = result.issues.map((i) => ({
    check: i.id,
    file: String(i.file).split(path.sep).join('/'),
    line: i.location?.line ?? 0,
    column: i.location?.column ?? 0,
    severity: severityName(i.severity),
    confidence: severityName(i.confidence),
    manualReview: Boolean(i.manualReview),
    description: i.description,
  }));
  const used = new Set();
  const blocking = [];
  const allowed = [];
  for (const f of findings) {
    const entry = allowlist.findIndex((a) => a.check === f.check && a.file === f.file);
    if (entry >= 0) {
      used.add(entry);
      allowed.push({ ...f, reason: allowlist[entry].reason });
    } else if (SEVERITY_ORDER.indexOf(f.severity) > SEVERITY_ORDER.indexOf('LOW')) {
      blocking.push(f);
    }
  }
  const stale = allowlist.filter((_a, i) => !used.has(i));
  const parseErrors = result.errors.filter((e) => !e.tolerable);
  return {
    electronVersion,
    checks: { global: result.globalChecks, atomic: result.atomicChecks, excluded: EXCLUDED_CHECKS },
    findings,
    allowed,
    blocking,
    stale,
    parseErrors,
    ok: blocking.length === 0 && stale.length === 0 && parseErrors.length === 0 && result.atomicChecks > 0,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // node:util's parseArgs, strict, as the programs' flags are read (src/host/flags.ts, which a
  // plain-Node script cannot import): a misspelt flag stops here instead of being ignored.
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  const report = await scan();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const where = (f) => `${f.file}:${f.line}:${f.column}`;
    console.log(`Electronegativity: ${report.checks.atomic} atomic and ${report.checks.global} global checks on src/main, src/preload, src/renderer/index.html (Electron ${report.electronVersion}; skipped: ${report.checks.excluded.join(', ')}).`);
    for (const f of report.allowed) console.log(`  allowed  ${f.severity.padEnd(6)} ${f.check} ${where(f)}\n           ${f.reason}`);
    const key = (f) => `${f.check} ${where(f)}`;
    const listed = new Set([...report.allowed, ...report.blocking].map(key));
    for (const f of report.findings.filter((x) => !listed.has(key(x)))) console.log(`  low      ${f.severity.padEnd(6)} ${f.check} ${where(f)}: ${f.description}`);
    for (const f of report.blocking) console.log(`  FINDING  ${f.severity.padEnd(6)} ${f.check} ${where(f)}: ${f.description}`);
    for (const a of report.stale) console.log(`  STALE    allow-list entry ${a.check} ${a.file} matches nothing: remove it`);
    for (const e of report.parseErrors) console.log(`  ERROR    could not parse ${e.file}: ${e.message}`);
    console.log(report.ok ? 'Electronegativity: no finding above LOW outside the allow-list.' : 'Electronegativity: FAILED (see above).');
  }
  process.exit(report.ok ? 0 : 1);
}
