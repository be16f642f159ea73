import type { Command } from 'commander';
import { listKeys } from '../../engine/keys/list.js';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { printJson } from '../output.js';
import { run } from '../run.js';

function describe(k: KeyEntry): string {
  const head = k.kind === 'unusable' ? `${k.file}  (not usable)` : `${k.file}  ${k.type ?? '?'}${k.bits ? ` ${k.bits}` : ''}`;
  const lines = [head];
  if (k.fingerprint) lines.push(`    fingerprint  ${k.fingerprint}`);
  if (k.comment) lines.push(`    comment      ${k.comment}`);
  if (k.kind === 'private') {
    lines.push(`    passphrase   ${k.encrypted === null ? 'unknown' : k.encrypted ? 'yes, protected' : 'none (anyone with the file can use it)'}`);
    lines.push(`    public half  ${k.hasPublic ? `${k.file}.pub` : 'missing'}`);
  }
  if (k.permissions.mode && k.kind !== 'unusable') lines.push(`    permissions  ${k.permissions.mode}${k.permissions.tooOpen ? ' (too open)' : ' (fine)'}`);
  for (const p of k.problems) lines.push(`    ! ${p.message}`);
  return lines.join('\n');
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('find, inspect and create SSH keys');
  withCommonOptions(keys.command('list').description('list the SSH keys in the SSH folder')).action((opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const list = await listKeys(ctx.sshDir, ctx.platform);
      if (opts.json) return printJson(list);
      if (!list.folder.exists) {
        console.log(`No SSH folder at ${list.folder.path} yet: there are no keys. Create one with "mila-onboard keys create".`);
        return;
      }
      console.log(`SSH folder ${list.folder.path}${list.folder.permissions.tooOpen ? `  (mode ${list.folder.permissions.mode}: should be 700)` : ''}`);
      if (list.keys.length === 0) console.log('No keys found. Create one with "mila-onboard keys create".');
      for (const k of list.keys) console.log(describe(k));
    }),
  );
}
