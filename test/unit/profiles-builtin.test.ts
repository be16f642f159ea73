/**
 * Every shipped profile: valid, and what its block makes OpenSSH do (`ssh -G`, the real
 * client) for the login alias and for a compute-node name of each pattern, reached through
 * the login node. All blocks side by side in one file, as a user with Mila and every
 * Alliance cluster would have them: no block may catch another cluster's names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBlock, renderBlock } from '../../src/engine/config/template.js';
import { resolveIdentity } from '../../src/engine/config/validate.js';
import { BUILT_IN_PROFILES, builtInProfile, loadProfile, parseProfile } from '../../src/engine/profile/load.js';
import type { ClusterProfile } from '../../src/engine/profile/schema.js';

const ALLIANCE = ['narval', 'rorqual', 'fir', 'nibi', 'trillium', 'trillium-gpu', 'tamia', 'killarney', 'vulcan'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'onboard-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshG(config: string, host: string): Map<string, string> {
  const out = execFileSync('ssh', ['-G', '-F', config, host], { encoding: 'utf8' });
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0 && !m.has(line.slice(0, i))) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** A name a pattern matches: `?` → 1, `*` → x (nc????? → nc11111, rack??-?? → rack11-11). */
function exampleName(pattern: string): string {
  return pattern.replace(/\?/g, '1').replace(/\*/g, 'x');
}

function block(p: ClusterProfile, user: string, variant: 'simple' | 'advanced' = 'simple'): string {
  const identity = resolveIdentity(undefined, { sshDir: '/home/al/.ssh', home: '/home/al', defaultName: p.keys.defaultName, platform: 'linux' });
  return renderBlock(buildBlock(p, { user, identity, variant, platform: 'linux' }), '\n');
}

describe('built-in profiles', () => {
  it('ships Mila and the nine Alliance clusters, and the files on disk are exactly those', () => {
    expect(Object.keys(BUILT_IN_PROFILES)).toEqual(['mila', ...ALLIANCE]);
    const files = readdirSync(path.join(__dirname, '../../profiles')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(['mila', ...ALLIANCE].sort());
  });

  it.each(['mila', ...ALLIANCE])('%s: valid, its id is its name, and the file parses the same', async (name) => {
    const p = builtInProfile(name);
    expect(p.id).toBe(name);
    const fromFile = await loadProfile(path.join(__dirname, '../../profiles', `${name}.json`));
    expect(fromFile).toEqual(p);
    // profile show --json prints the parsed form: it must be accepted back as it is.
    expect(parseProfile(JSON.parse(JSON.stringify(p)), 'round trip')).toEqual(p);
  });

  it.each(ALLIANCE)('%s: the Alliance facts (CCDB, Duo, port 22, no published fingerprints, one shared account)', (name) => {
    const p = builtInProfile(name);
    expect(p.login.host).toBe(`${name}.alliancecan.ca`);
    expect(p.login.port).toBe(22);
    expect(p.login.fingerprintsPublished).toBe(false);
    expect(p.login.fingerprints).toEqual({});
    expect(p.mfa).toMatchObject({ enabled: true, kind: 'duo' });
    expect(p.keys.registration).toEqual({ kind: 'ccdb', url: 'https://ccdb.alliancecan.ca/ssh_authorized_keys', delayMinutes: { typical: 5, max: 30 } });
    expect(p.account.id).toBe('alliance');
    expect(p.notes.length).toBeGreaterThan(0);
  });

  it('Mila: published fingerprints, one-time code, onboarding form', () => {
    const p = builtInProfile('mila');
    expect(p.login.fingerprintsPublished).toBe(true);
    expect(p.mfa.kind).toBe('one-time-code');
    expect(p.keys.registration.kind).toBe('onboarding-form');
    expect(p.account).toEqual({ id: 'mila', name: 'Mila' });
  });

  it('TamIA says VS Code is not allowed on its login nodes, in English and French', () => {
    const notes = builtInProfile('tamia').notes;
    expect(notes.some((n) => /VS Code/.test(n.en) && /VS Code/.test(n.fr) && /login/.test(n.en) && /connexion/.test(n.fr))).toBe(true);
  });
});

describe('ssh -G of every alias against the written blocks (all side by side)', () => {
  const profiles = ['mila', ...ALLIANCE].map((n) => builtInProfile(n));
  const config = path.join(dir, 'config');
  writeFileSync(config, profiles.map((p) => block(p, p.id === 'mila' ? 'mila_user' : 'ccdb_user')).join('\n'));

  it.each(ALLIANCE)('%s: login alias and a compute node of each pattern, through the login node', (name) => {
    const p = builtInProfile(name);
    const login = sshG(config, name);
    expect(login.get('hostname')).toBe(`${name}.alliancecan.ca`);
    expect(login.get('port')).toBe('22');
    expect(login.get('user')).toBe('ccdb_user');
    expect(login.get('identityfile')).toBe('~/.ssh/id_ed25519_alliance');
    expect(login.get('preferredauthentications')).toBe('publickey,keyboard-interactive');
    // Connection sharing: one Duo approval, reused for 10 minutes (ssh -G prints seconds).
    expect(login.get('controlmaster')).toBe('auto');
    expect(login.get('controlpersist')).toBe('600');
    expect(login.get('proxyjump')).toBeUndefined();
    const positive = p.compute.hostPatterns.flatMap((e) => e.split(/\s+/)).filter((x) => x && !x.startsWith('!'));
    expect(positive.length).toBeGreaterThan(0);
    for (const pattern of positive) {
      const node = exampleName(pattern);
      const g = sshG(config, node);
      expect([node, g.get('hostname'), g.get('proxyjump'), g.get('user'), g.get('identityfile')]).toEqual([
        node,
        node,
        name,
        'ccdb_user',
        '~/.ssh/id_ed25519_alliance',
      ]);
    }
  });

  it('narval: ssh nc10101 goes through narval (the issue\'s own example)', () => {
    expect(sshG(config, 'nc10101').get('proxyjump')).toBe('narval');
  });

  it('Mila keeps its own user and key beside the Alliance blocks', () => {
    const g = sshG(config, 'mila');
    expect([g.get('hostname'), g.get('user'), g.get('identityfile'), g.get('controlpersist')]).toEqual(['login.server.mila.quebec', 'mila_user', '~/.ssh/id_ed25519_mila', 'yes']);
    expect(sshG(config, 'cn-a001').get('proxyjump')).toBe('mila');
  });

  it('advanced variant of an Alliance profile: login and compute still right', () => {
    const file = path.join(dir, 'advanced');
    writeFileSync(file, block(builtInProfile('narval'), 'ccdb_user', 'advanced'));
    const login = sshG(file, 'narval');
    expect([login.get('hostname'), login.get('user'), login.get('identityfile'), login.get('controlpersist')]).toEqual(['narval.alliancecan.ca', 'ccdb_user', '~/.ssh/id_ed25519_alliance', '600']);
    const node = sshG(file, 'ng12345');
    expect([node.get('hostname'), node.get('proxyjump'), node.get('user')]).toEqual(['ng12345', 'narval', 'ccdb_user']);
  });
});

describe('another institution: a new file, validated with clear errors', () => {
  const valid = JSON.parse(readFileSync(path.join(__dirname, '../../profiles/narval.json'), 'utf8')) as Record<string, unknown>;

  it('accepts a new cluster that is only a file', async () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ ...valid, id: 'other', name: 'Other', alias: 'other', login: { host: 'login.other.example', port: 22, fingerprints: 'not-published' } }));
    const p = await loadProfile(file);
    expect([p.id, p.login.host, p.mfa.kind, p.account.id]).toEqual(['other', 'login.other.example', 'duo', 'alliance']);
  });

  it.each([
    ['empty fingerprints', { login: { host: 'x.example', port: 22, fingerprints: {} } }, /login\.fingerprints.*"not-published"/],
    ['a wrong MFA kind', { mfa: { enabled: true, kind: 'sms' } }, /"mfa\.kind"/],
    ['MFA kind contradicting enabled', { mfa: { enabled: false, kind: 'duo' } }, /"mfa\.kind".*contradicts/],
    ['a CCDB registration without its page', { keys: { defaultName: 'k', registration: { kind: 'ccdb' } } }, /"keys\.registration\.url".*page's address/],
    ['a note in one language only', { notes: [{ en: 'only English' }] }, /"notes\.0\.fr"/],
    ['a bad ControlPersist', { login: { host: 'x.example', port: 22, fingerprints: 'not-published', controlPersist: 'forever' } }, /"login\.controlPersist".*10m/],
  ])('refuses %s, saying where and what', async (_what, change, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ ...valid, ...change }));
    await expect(loadProfile(file)).rejects.toThrow(message);
  });
});
