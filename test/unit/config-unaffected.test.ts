import { describe, expect, it } from 'vitest';
import { utf8ToBin } from '../../src/engine/config/bytes.js';
import type { IncludeReport } from '../../src/engine/config/includes.js';
import { scanLines } from '../../src/engine/config/scan.js';
import { parseConfig } from '../../src/engine/config/splice.js';
import { buildBlock, renderBlock, type ConfigVariant } from '../../src/engine/config/template.js';
import { provablyUnaffected } from '../../src/engine/config/unaffected.js';
import { resolveIdentity } from '../../src/engine/config/validate.js';
import { builtInProfile } from '../../src/engine/profile/load.js';

/**
 * The proof's cases, by hand (config-unaffected.test.ts under test/integration checks it
 * against real ssh -G on generated configs). "Proven" means ssh -G is not asked.
 */

const profile = builtInProfile('mila');
const identity = resolveIdentity(undefined, { sshDir: '/home/u/.ssh', home: '/home/u', defaultName: profile.keys.defaultName, platform: 'linux' });

function blockText(variant: ConfigVariant = 'simple', user = 'alice'): string {
  return renderBlock(buildBlock(profile, { user, identity, variant, platform: 'linux' }), '\n');
}

const noIncludes = (): IncludeReport => ({ risky: new Map(), files: [], resolved: new Map(), refused: [] });

function proof(config: string, opts: { variant?: ConfigVariant; includes?: IncludeReport } = {}): (alias: string) => boolean {
  const parsed = parseConfig(utf8ToBin(config), profile.id);
  return provablyUnaffected({ parsed, blockLines: scanLines(utf8ToBin(blockText(opts.variant))), includes: opts.includes ?? noIncludes() });
}

const users = 'Host *.internal.example.org\n  User ops\nHost foo bar.example.com login.server.mila.quebec\n  HostName 10.0.0.1\nMatch host *.lab.example.org user admin\n  IdentitiesOnly yes\n';

describe('which aliases the block provably leaves alone', () => {
  it('a new block at the top: names none of its sections can match are proven, the others are not', () => {
    const p = proof(users);
    expect(['foo', 'bar.example.com', 'web-1']).toEqual(['foo', 'bar.example.com', 'web-1'].filter(p));
    // Host mila, mila-cpu, cn-????, and *.server.mila.quebec (but not *login.server.mila.quebec).
    for (const a of ['mila', 'mila-cpu', 'cn-a001', 'gpu.server.mila.quebec']) expect(p(a), a).toBe(false);
    expect(p('login.server.mila.quebec')).toBe(true);
  });

  it('the advanced variant: its Match host sections are decided on the name typed, nothing being set before the block', () => {
    const p = proof(users, { variant: 'advanced' });
    expect(p('foo')).toBe(true);
    expect(p('login.server.mila.quebec')).toBe(false);
    expect(p('x.login.server.mila.quebec')).toBe(false);
  });

  it('case: a name OpenSSH 9 and older releases compare differently is never proven', () => {
    const p = proof(users);
    expect(p('MILA')).toBe(false);
    expect(p('Foo')).toBe(true);
  });

  it('a name ssh reads as more than a host (user@host, a URI) is never proven', () => {
    const p = proof(users);
    for (const a of ['x@foo', 'ssh://foo', 'foo:22', '[foo]']) expect(p(a), a).toBe(false);
  });

  it('nothing is proven when OpenSSH may read the config twice (CanonicalizeHostname, Match canonical or final)', () => {
    for (const extra of ['CanonicalizeHostname yes\n', 'Host foo\n  CanonicalizeHostname no\n', 'Match canonical host x\n', 'Match final\n', 'match FINAL all\n']) {
      expect(proof(users + extra)('foo'), extra).toBe(false);
    }
  });

  it('nothing is proven when an included file asks for a second pass, or when an Include cannot be followed', () => {
    const inc = noIncludes();
    inc.files.push({ path: '/x/inc', via: 'Include /x/inc', lines: scanLines('Host zed\n  CanonicalizeHostname always\n') });
    expect(proof(users, { includes: inc })('foo')).toBe(false);
    const risky = noIncludes();
    risky.risky.set('Include ~other/x', 'names another user\'s home folder');
    expect(proof(users, { includes: risky })('foo')).toBe(false);
  });

  it('an older block is judged too: one not ending with `Host *` leaves the lines after it to other hosts', () => {
    const old = blockText('simple', 'bob');
    expect(proof(old + users)('foo')).toBe(true);
    const cut = old.replace('Host *\n', '');
    expect(proof(cut + users)('foo')).toBe(false);
    // An option before the older block's first Host line applies to every host.
    const global = old.replace(/(variant: simple\)[^\n]*\n)/, '$1User everyone\n');
    expect(proof(global + users)('foo')).toBe(false);
  });

  it('a block below the user\'s own lines: Host sections still decide, Match host ones cannot (the HostName may be set)', () => {
    const below = `${users}${blockText('simple', 'bob')}`;
    expect(proof(below)('foo')).toBe(true);
    const belowAdvanced = `${users}${blockText('advanced', 'bob')}`;
    expect(proof(belowAdvanced, { variant: 'advanced' })('foo')).toBe(false);
    // Only comments before it: as good as the top.
    expect(proof(`# mine\n\n${blockText('advanced', 'bob')}${users}`, { variant: 'advanced' })('foo')).toBe(true);
  });
});
