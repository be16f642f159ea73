import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { readProgress, writeProgress } from '../../src/engine/progress/store.js';
import { ProgressSchema, type ProgressDto } from '../../src/shared/contract/app.js';

/** Progress as the wizard saved it before it knew several clusters (issue #15): it must still load. */
const OLD: ProgressDto = {
  stepId: 'trust',
  keyFile: 'id_ed25519_mila',
  user: 'alice',
  variant: 'simple',
  done: { welcome: true, keys: true, create: true, public: true, config: true },
  language: 'fr',
};

const NEW: ProgressDto = {
  ...OLD,
  clusters: ['narval', 'rorqual'],
  accounts: { alliance: { user: 'alice2', keyFile: 'id_ed25519_alliance' } },
  clusterDone: { mila: { config: true }, narval: { config: true, trust: true } },
};

const root = mkdtempSync(path.join(os.tmpdir(), 'progress-clusters-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the saved progress with several clusters', () => {
  it('loads progress saved before the cluster fields existed, from the file as it was written', async () => {
    const ctx = createContext({ sshDir: path.join(root, 'ssh'), stateDir: path.join(root, 'state'), profile: builtInProfile('mila') });
    await writeProgress(ctx, NEW);
    // The same file, rewritten by hand with exactly the old fields (as an older version left it).
    const [file] = readdirSync(ctx.stateDir);
    writeFileSync(path.join(ctx.stateDir, file!), JSON.stringify(OLD, null, 2) + '\n');
    expect(await readProgress(ctx)).toEqual(OLD);
  });

  it('keeps the chosen clusters, the other account’s username and key, and each cluster’s steps', async () => {
    const ctx = createContext({ sshDir: path.join(root, 'ssh2'), stateDir: path.join(root, 'state2'), profile: builtInProfile('mila') });
    await writeProgress(ctx, NEW);
    expect(await readProgress(ctx)).toEqual(NEW);
    const [file] = readdirSync(ctx.stateDir);
    expect(JSON.parse(readFileSync(path.join(ctx.stateDir, file!), 'utf8'))).toEqual(NEW);
  });

  it('stays bounded and has no room for anything but names, usernames and booleans', () => {
    expect(ProgressSchema.safeParse(NEW).success).toBe(true);
    const refused: Array<[string, unknown]> = [
      ['a cluster id that is a path', { ...NEW, clusters: ['../narval'] }],
      ['more than 16 clusters', { ...NEW, clusters: Array.from({ length: 17 }, (_, i) => `c${i}`) }],
      ['more than 8 accounts', { ...NEW, accounts: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, { user: 'u', keyFile: null }])) }],
      ['a long username', { ...NEW, accounts: { alliance: { user: 'x'.repeat(65), keyFile: null } } }],
      ['a key path', { ...NEW, accounts: { alliance: { user: 'u', keyFile: '/home/u/.ssh/id' } } }],
      ['a field of its own in an account (a passphrase)', { ...NEW, accounts: { alliance: { user: 'u', keyFile: null, passphrase: 'secret words' } } }],
      ['a string where a step is done or not', { ...NEW, clusterDone: { narval: { login: 'yes' } } }],
      ['too many steps for one cluster', { ...NEW, clusterDone: { narval: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`s${'a'.repeat(i + 1)}`, true])) } }],
      ['an unknown field', { ...NEW, otp: '123456' }],
    ];
    for (const [what, value] of refused) expect(ProgressSchema.safeParse(value).success, what).toBe(false);
  });
});
