import type { Command } from 'commander';
import { checkKey } from '../../engine/connect/check.js';
import { EngineError } from '../../engine/errors.js';
import { defaultKeyName } from '../../engine/keys/default-key.js';
import { addKeyToAgent, agentStatus } from '../../engine/keys/agent.js';
import { createKey, type CreatePhase } from '../../engine/keys/create.js';
import { fixPermissions } from '../../engine/keys/fix-permissions.js';
import { compareFingerprints, inspectKey } from '../../engine/keys/inspect.js';
import { listKeys } from '../../engine/keys/list.js';
import type { KeyType } from '../../engine/keys/names.js';
import { protectKey } from '../../engine/keys/protect.js';
import { readPublicKey, recoverPublicKey } from '../../engine/keys/public.js';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { reportFailure } from './connect.js';
import { EXIT, printJson } from '../output.js';
import { confirm, readNewPassphrase, readSecret } from '../prompt-secret.js';
import { run } from '../run.js';
import { askOnTerminal, whileInterruptible } from '../terminal.js';

/** OpenSSH's passphrase prompts (recover a public key, add to the agent), answered without echo. */
const terminalAsk = askOnTerminal();

function describe(k: KeyEntry): string {
  const head = k.kind === 'unusable' ? `${k.file}  (not usable)` : `${k.file}  ${k.type ?? '?'}${k.bits ? ` ${k.bits}` : ''}`;
  const lines = [head];
  if (k.fingerprint) lines.push(`    fingerprint  ${k.fingerprint}`);
  if (k.comment) lines.push(`    comment      ${k.comment}`);
  if (k.kind === 'private') {
    lines.push(`    passphrase   ${k.encrypted === null ? 'unknown' : k.encrypted ? 'yes, protected' : 'none (anyone with the file can use it)'}`);
    lines.push(`    public half  ${k.hasPublic ? `${k.file}.pub` : 'missing'}`);
  }
  if (k.permissions.mode) lines.push(`    permissions  ${k.permissions.mode}${k.permissions.tooOpen ? ' (too open)' : ' (fine)'}`);
  for (const p of k.problems) lines.push(`    ! ${p.message}`);
  return lines.join('\n');
}

const PHASE_TEXT: Record<CreatePhase, string> = {
  starting: 'Starting ssh-keygen...',
  generating: 'Generating the key pair...',
  writing: 'Writing the key files...',
  done: 'Done.',
};

interface CreateOptions extends CommonOptions {
  type: string;
  bits?: string;
  name?: string;
  comment?: string;
  /** Commander's --no-passphrase: false when given. */
  passphrase: boolean;
}

function parseType(t: string): KeyType {
  if (t === 'ed25519' || t === 'rsa') return t;
  throw new EngineError('invalid-input', `Unknown key type "${t}": use ed25519 (recommended) or rsa.`);
}

function parseBits(b: string | undefined): number | undefined {
  if (b === undefined) return undefined;
  if (!/^\d+$/.test(b)) throw new EngineError('invalid-input', `--bits must be a number (3072 or 4096), not "${b}".`);
  return Number(b);
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

  withCommonOptions(
    keys
      .command('create')
      .description('create a new key pair (asks for a passphrase twice, without echo)')
      .option('--type <type>', 'ed25519 (recommended) or rsa', 'ed25519')
      .option('--bits <bits>', 'RSA only: 3072 (default) or 4096')
      .option('--name <name>', 'file name inside the SSH folder (default: a free name like id_ed25519_mila)')
      .option('--comment <text>', 'comment stored in the key (default: user@this-computer)')
      .option('--no-passphrase', 'create the key without a passphrase (anyone with the file can use it)'),
  ).action((opts: CreateOptions) =>
    run(opts, async () => {
      const type = parseType(opts.type);
      const bits = parseBits(opts.bits);
      const ctx = await contextFrom(opts);
      const passphrase = opts.passphrase === false ? '' : await readNewPassphrase('Passphrase for the new key');
      return whileInterruptible(async (signal) => {
        const created = await createKey({
          sshDir: ctx.sshDir,
          type,
          bits,
          name: opts.name,
          comment: opts.comment,
          passphrase,
          allowEmptyPassphrase: opts.passphrase === false,
          defaultName: ctx.profile.keys.defaultName,
          signal,
          onProgress: (phase) => {
            if (!opts.json && phase !== 'done') process.stderr.write(`${PHASE_TEXT[phase]}\n`);
          },
        });
        if (opts.json) return printJson(created);
        console.log(`Created ${created.path} (${created.key.type} ${created.key.bits ?? ''}, ${created.key.encrypted ? 'protected by a passphrase' : 'NO passphrase'}).`);
        console.log(`Fingerprint ${created.fingerprint}`);
        for (const l of created.randomart) console.log(l);
        console.log('\nPublic key (this is what you give to Mila; never give the private key):');
        console.log(created.publicKey);
      });
    }),
  );

  withCommonOptions(
    keys
      .command('public [name]')
      .description("print a key's public half as one line (to copy or submit); without NAME, the key your connection settings use"),
  ).action((name: string | undefined, opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const choice = name === undefined ? await defaultKeyName(ctx) : null;
      const pub = await readPublicKey(ctx.sshDir, name ?? choice!.name);
      if (opts.json) return printJson(choice ? { ...pub, chosen: choice.reason } : pub);
      // Which key was chosen goes to stderr, so that stdout stays the one line to paste.
      if (choice) {
        process.stderr.write(
          choice.reason === 'config'
            ? `The key your connection settings use: ${pub.file} (${pub.fingerprint}).\n`
            : `Your connection settings name no key yet; the usual key name is ${choice.name}: ${pub.file} (${pub.fingerprint}).\n`,
        );
      }
      console.log(pub.line);
    }),
  );

  withCommonOptions(
    keys
      .command('check')
      .description('does the cluster accept your key yet? Asks nothing: no passphrase, no one-time code (exit 0 when it does)'),
  ).action((opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const r = await checkKey(ctx);
      if (opts.json) {
        printJson(r);
        return r.works ? EXIT.ok : EXIT.failed;
      }
      const who = r.user ? ` for ${r.user}` : '';
      const keyText = r.key ? `${r.key.file} (${r.key.fingerprint})` : null;
      const line: Record<typeof r.verdict, string> = {
        'logged-in': `Yes: your key works. ${ctx.profile.name} let you in${who}, and asks no one-time code there.`,
        'code-needed': `Yes: your key works. ${ctx.profile.name} accepts it${who} and would now ask your one-time code (not asked by this check). You can log in: "mila-onboard connect" or "ssh ${ctx.profile.alias}".`,
        'accepted-locked': `Yes: your key works. ${ctx.profile.name} accepts it${who}. It has a passphrase and is not in the SSH agent, so this check did not unlock it; logging in asks the passphrase, then your one-time code.`,
        refused: `Not yet: ${ctx.profile.name} does not accept ${keyText ?? 'your key'}${who}.`,
        'not-offered': 'OpenSSH had no key to offer.',
        failed: 'The check could not be made.',
      };
      console.log(line[r.verdict]);
      if (keyText && r.verdict !== 'refused') console.log(`Key: ${keyText}`);
      if (r.failure) return reportFailure(r.failure, false);
      return EXIT.ok;
    }),
  );

  withCommonOptions(
    keys
      .command('recover-public <name>')
      .description('make NAME.pub again from the private key (asks for its passphrase)')
      .option('--overwrite', 'replace an existing NAME.pub that belongs to another key'),
  ).action((name: string, opts: CommonOptions & { overwrite?: boolean }) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      return whileInterruptible(async (signal) => {
        const res = await recoverPublicKey({ sshDir: ctx.sshDir, file: name, ask: terminalAsk, overwrite: opts.overwrite, signal });
        if (opts.json) return printJson(res);
        console.log(res.written ? `Wrote ${res.file}.` : `${res.file} already holds this key; left as it is.`);
        console.log(res.line);
      });
    }),
  );

  withCommonOptions(
    keys
      .command('protect <name>')
      .description('add a passphrase to a key that has none (or change it)')
      .option('--yes', 'do not ask for confirmation'),
  ).action((name: string, opts: CommonOptions & { yes?: boolean }) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const entry = (await listKeys(ctx.sshDir, ctx.platform)).keys.find((k) => k.file === name);
      const changing = entry?.encrypted === true;
      if (!opts.yes) {
        const ok = await confirm(`${changing ? 'Change the passphrase of' : 'Add a passphrase to'} ${name}? The key file is rewritten; the key itself stays the same.`);
        if (!ok) {
          if (opts.json) printJson({ ok: false, declined: true });
          else process.stderr.write('Nothing was changed.\n');
          return EXIT.failed;
        }
      }
      const oldPassphrase = changing ? await readSecret('Current passphrase: ') : undefined;
      const passphrase = await readNewPassphrase('New passphrase');
      return whileInterruptible(async (signal) => {
        const res = await protectKey({ sshDir: ctx.sshDir, file: name, passphrase, oldPassphrase, signal });
        if (opts.json) return printJson(res);
        console.log(`${name} is now protected by the new passphrase.`);
      });
    }),
  );

  withCommonOptions(keys.command('agent-status').description('is an SSH agent running, and which keys does it hold')).action((opts: CommonOptions) =>
    run(opts, async () => {
      const status = await agentStatus();
      if (opts.json) return printJson(status);
      if (status.reachable) {
        console.log(status.keys.length ? `The SSH agent holds ${status.keys.length} key(s):` : 'The SSH agent is running and holds no keys.');
        for (const k of status.keys) console.log(`    ${k.fingerprint}  ${k.comment ?? ''} (${k.type})`);
      } else {
        console.log('No SSH agent is reachable.');
      }
      if (status.advice) console.log(status.advice);
      return status.reachable ? EXIT.ok : EXIT.failed;
    }),
  );

  withCommonOptions(keys.command('agent-add <name>').description('add a key to the SSH agent (asks for its passphrase)')).action((name: string, opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      return whileInterruptible(async (signal) => {
        const res = await addKeyToAgent({ sshDir: ctx.sshDir, file: name, ask: terminalAsk, signal });
        if (opts.json) return printJson(res);
        console.log(`Added ${res.file} (${res.fingerprint}) to the SSH agent.`);
      });
    }),
  );

  withCommonOptions(
    keys
      .command('inspect <name>')
      .description("show a key's fingerprint and randomart picture")
      .option('--expect <fingerprint>', 'compare with this fingerprint (exit 1 when different)'),
  ).action((name: string, opts: CommonOptions & { expect?: string }) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const info = await inspectKey(ctx.sshDir, name);
      const cmp = opts.expect !== undefined ? compareFingerprints(info.fingerprint, opts.expect) : null;
      if (opts.json) {
        printJson(cmp ? { ...info, comparison: cmp } : info);
      } else {
        console.log(`${info.file}  ${info.type} ${info.bits ?? ''}${info.comment ? `  ${info.comment}` : ''}`);
        console.log(`Fingerprint ${info.fingerprint}`);
        for (const l of info.randomart) console.log(l);
        if (cmp) {
          console.log(cmp.equal ? 'Matches the expected fingerprint.' : 'DOES NOT match the expected fingerprint:');
          if (!cmp.equal) {
            const mark = (segs: typeof cmp.segments) => segs.map((s) => (s.same ? ' '.repeat(s.text.length) : '^'.repeat(s.text.length))).join('');
            console.log(`  key      ${cmp.segments.map((s) => s.text).join('')}`);
            console.log(`  expected ${cmp.other.map((s) => s.text).join('')}`);
            console.log(`           ${mark(cmp.other)}`);
          }
        }
      }
      return cmp && !cmp.equal ? EXIT.failed : EXIT.ok;
    }),
  );

  withCommonOptions(
    keys
      .command('fix-permissions [names...]')
      .description('make the SSH folder 700 and private keys 600 (by default every key listed as too open)'),
  ).action((names: string[], opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const res = await fixPermissions(ctx.sshDir, names.length ? names : undefined, ctx.platform);
      if (opts.json) return printJson(res);
      if (res.windows) {
        console.log(res.windows.explanation);
        for (const c of res.windows.commands) console.log(`    ${c}`);
        return;
      }
      if (res.changed.length === 0) console.log('Nothing to change: the permissions are already right.');
      for (const c of res.changed) console.log(`${c.file === '.' ? ctx.sshDir : c.file}: ${c.from} → ${c.to}`);
      for (const s of res.skipped) console.log(`${s.file}: skipped. ${s.reason}`);
      return res.skipped.length ? EXIT.failed : EXIT.ok;
    }),
  );
}
