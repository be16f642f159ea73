import type { Command } from 'commander';
import { BUILT_IN_PROFILES, loadProfile } from '../../engine/profile/load.js';
import type { ClusterProfile } from '../../engine/profile/schema.js';
import { printJson } from '../output.js';
import { run } from '../run.js';

function registrationText(r: ClusterProfile['keys']['registration']): string {
  const delay = r.delayMinutes ? `; works after ${r.delayMinutes.typical ? `about ${r.delayMinutes.typical} and ` : ''}up to ${r.delayMinutes.max} minutes` : '';
  if (r.kind === 'ccdb') return `CCDB, ${r.url}${delay}`;
  if (r.kind === 'onboarding-form') return `the onboarding form, ${r.url}${delay}`;
  return `~/.ssh/authorized_keys on the cluster${delay}`;
}

export function registerProfile(program: Command): void {
  const profile = program.command('profile').description('cluster profiles: every fact about a cluster the program uses, as data');

  profile
    .command('show')
    .description('print a profile (built-in name or JSON file); with --json, in the exact form --profile FILE accepts')
    .argument('[name-or-file]', 'a built-in profile name or a JSON file', 'mila')
    .option('--json', 'print the profile as JSON (a valid --profile file)')
    .action((nameOrFile: string, opts: { json?: boolean }) =>
      run(opts, async () => {
        const p = await loadProfile(nameOrFile);
        if (opts.json) return printJson(p);
        const lines = [
          `${p.name} (id "${p.id}", alias "${p.alias}")`,
          `  login       ${p.login.host} port ${p.login.port}`,
          `  nodes       ${Object.entries(p.login.nodes).map(([a, h]) => `${a}=${h}`).join(', ') || '(none)'}`,
          `  compute     ${p.compute.hostPatterns.join(' | ')}${p.compute.domain ? ` (domain ${p.compute.domain})` : ''}`,
          `  extra hosts ${p.extraHosts.map((h) => h.alias).join(', ') || '(none)'}`,
          `  key name    ${p.keys.defaultName}`,
          `  account     ${p.account.name} (id "${p.account.id}")`,
          `  fingerprints ${p.login.fingerprintsPublished ? Object.keys(p.login.fingerprints).join(', ') : 'not published: the key the server presents is shown, and recorded only when you confirm'}`,
          `  MFA         ${p.mfa.kind === 'none' ? 'no' : `${p.mfa.kind === 'duo' ? 'Duo (push or passcode)' : 'one-time code'}${p.mfa.portal ? ` (${p.mfa.portal})` : ''}`}`,
          `  keys go to  ${registrationText(p.keys.registration)}`,
          ...p.notes.map((n) => `  note        ${n.en}`),
          `  docs        ${p.links.docs}`,
          `  support     ${p.links.support}`,
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );

  profile
    .command('list')
    .description('list the built-in profiles')
    .option('--json', 'print machine-readable JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const names = Object.keys(BUILT_IN_PROFILES);
        if (opts.json) return printJson(names);
        process.stdout.write(names.join('\n') + '\n');
      }),
    );
}
