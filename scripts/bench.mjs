// `npm run bench`: builds what is measured (the Node bundles and the renderer), bundles the
// benchmark (bench/run.ts, TypeScript) with esbuild, and runs it. Arguments go to bench/run.ts
// (--quick, --only=1,3, --write); --no-build skips the project build (the bench is always rebuilt).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const benchArgs = args.filter((a) => a !== '--no-build');

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`bench: ${cmd} ${cmdArgs.join(' ')} failed (${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

if (!skipBuild) {
  run(process.execPath, [path.join(root, 'scripts/build-node.mjs')]);
  run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
}

/**
 * Engine parts still being written elsewhere: `bench-optional:NAME` is the module when its file
 * exists, else a stand-in that only exports `__absent` (bench/optional.ts).
 */
const OPTIONAL = {
  doctor: () => {
    const dir = path.join(root, 'src/engine/doctor');
    if (!existsSync(dir)) return null;
    for (const f of ['index.ts', 'doctor.ts']) if (existsSync(path.join(dir, f))) return path.join(dir, f);
    const any = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()[0];
    return any ? path.join(dir, any) : null;
  },
  connect: () => path.join(root, 'src/engine/connect/connect.ts'),
  trust: () => path.join(root, 'src/engine/trust/apply.ts'),
};
const optionalPlugin = {
  name: 'bench-optional',
  setup(b) {
    b.onResolve({ filter: /^bench-optional:/ }, (a) => {
      const name = a.path.slice('bench-optional:'.length);
      const file = OPTIONAL[name]?.();
      return file && existsSync(file) ? { path: file } : { path: name, namespace: 'bench-absent' };
    });
    b.onLoad({ filter: /.*/, namespace: 'bench-absent' }, (a) => ({ contents: `export const __absent = ${JSON.stringify(a.path)};`, loader: 'js' }));
  },
};

// Inside node_modules/.cache so that playwright-core and esbuild resolve from the project.
const outfile = path.join(root, 'node_modules/.cache/mila-onboard-bench/run.cjs');
await build({
  entryPoints: [path.join(root, 'bench/run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['playwright-core', 'esbuild', 'node-pty', 'electron'],
  plugins: [optionalPlugin],
});

const r = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', outfile, ...benchArgs], { cwd: root, stdio: 'inherit', env: { ...process.env, MILA_BENCH_ROOT: root } });
process.exit(r.status ?? 1);
