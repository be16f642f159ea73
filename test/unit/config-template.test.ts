import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { buildBlock, CONTROL_PATH, controlPathFor, excludeAlias, renderBlock, sectionsApplying } from '../../src/engine/config/template.js';
import { resolveIdentity } from '../../src/engine/config/validate.js';

const profile = builtInProfile();
const identity = resolveIdentity(undefined, { sshDir: '/home/al/.ssh', home: '/home/al', defaultName: 'id_ed25519_mila', platform: 'linux' });

describe('config block template', () => {
  it('simple variant: exactly what the seed and mila init ask for', () => {
    const text = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'simple', platform: 'linux' }), '\n');
    expect(text).toBe(
      [
        '# >>> mila-onboard (mila) >>> managed block: edit with mila-onboard; changes here are replaced',
        '# Written by mila-onboard for Mila (variant: simple). Undo the last change: mila-onboard config revert',
        'Host mila',
        '    HostName login.server.mila.quebec',
        '    Port 2222',
        '    User alice',
        '    IdentityFile ~/.ssh/id_ed25519_mila',
        '    PreferredAuthentications publickey,keyboard-interactive',
        '    ServerAliveInterval 120',
        '    ServerAliveCountMax 5',
        '    ControlMaster auto',
        '    ControlPath ~/.cache/ssh/%r@%h:%p',
        '    ControlPersist yes',
        '',
        'Host mila-cpu',
        '    User alice',
        '    PreferredAuthentications publickey,keyboard-interactive',
        '    Port 2222',
        '    ConnectTimeout 600',
        '    ServerAliveInterval 120',
        '    ServerAliveCountMax 5',
        '    HostKeyAlias mila-cpu',
        '    ProxyCommand ssh mila "/cvmfs/config.mila.quebec/scripts/milatools/slurm-proxy.sh mila-cpu --mem=8G"',
        '    RemoteCommand /cvmfs/config.mila.quebec/scripts/milatools/entrypoint.sh mila-cpu',
        '    RequestTTY force',
        '    ForwardAgent yes',
        '    IdentityFile ~/.ssh/id_ed25519_mila',
        '',
        'Host cn-????',
        '    HostName %h.server.mila.quebec',
        '    ProxyJump mila',
        '    User alice',
        '    IdentityFile ~/.ssh/id_ed25519_mila',
        '',
        'Host *.server.mila.quebec !*login.server.mila.quebec',
        '    ProxyJump mila',
        '    User alice',
        '    IdentityFile ~/.ssh/id_ed25519_mila',
        '',
        '# Back to every host: the lines after this block apply exactly as they did before it.',
        'Host *',
        '# <<< mila-onboard (mila) <<<',
        '',
      ].join('\n'),
    );
  });

  it('points ControlPath into the folder apply creates: ~/ under the home, absolute elsewhere, quoted with a space', () => {
    const name = { user: 'al', hosts: ['login.server.mila.quebec'], port: 2222, platform: 'linux' as const };
    expect(controlPathFor('/home/al/.cache/ssh', '/home/al', name)).toBe(CONTROL_PATH);
    expect(controlPathFor(null, '/home/al', name)).toBe(CONTROL_PATH);
    expect(controlPathFor('/tmp/x/cm', '/home/al', name)).toBe('/tmp/x/cm/%r@%h:%p');
    expect(controlPathFor('/home/al2/cm', '/home/al', name)).toBe('/home/al2/cm/%r@%h:%p');
    expect(controlPathFor('/tmp/my dir', '/home/al', name)).toBe('"/tmp/my dir/%r@%h:%p"');
    const text = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'simple', platform: 'linux', controlPath: controlPathFor('/tmp/x/cm', '/home/al', name) }), '\n');
    expect(text).toContain('    ControlPath /tmp/x/cm/%r@%h:%p\n');
  });

  it('names the socket by its hash (%C) when user@host:port would not fit in a Unix socket path', () => {
    const home = '/home/jean-philippe.tremblay';
    const name = (user: string, platform: NodeJS.Platform) => ({ user, hosts: ['login.server.mila.quebec', 'login-1.login.server.mila.quebec'], port: 2222, platform });
    // The longest host counts: /home/jean-philippe.tremblay/.cache/ssh/jean@login-1.login.server.mila.quebec:2222
    // is 82 bytes, + 17 for the temporary suffix: fits in 107 (Linux) and 103 (macOS).
    expect(controlPathFor(null, home, name('jean', 'linux'))).toBe(CONTROL_PATH);
    expect(controlPathFor(null, home, name('jean', 'darwin'))).toBe(CONTROL_PATH);
    // A 22-character username: 100 + 17, too long on both.
    expect(controlPathFor(null, home, name('jean-philippe.tremblay', 'linux'))).toBe('~/.cache/ssh/%C');
    expect(controlPathFor(null, home, name('jean-philippe.tremblay', 'darwin'))).toBe('~/.cache/ssh/%C');
    // 11 characters: 89 + 17 = 106, within Linux's limit only.
    expect(controlPathFor(null, home, name('jean-philip', 'linux'))).toBe(CONTROL_PATH);
    expect(controlPathFor(null, home, name('jean-philip', 'darwin'))).toBe('~/.cache/ssh/%C');
  });

  it('leaves connection sharing out on Windows and uses CRLF when asked', () => {
    const text = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'simple', platform: 'win32' }), '\r\n');
    expect(text).not.toMatch(/Control/);
    expect(text.split('\r\n').length).toBe(text.split('\n').length);
    expect(text.endsWith('<<<\r\n')).toBe(true);
  });

  it('advanced variant: mila1..mila5, cn-????, Match host blocks; UseKeychain only on macOS', () => {
    const linux = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'advanced', platform: 'linux' }), '\n');
    for (let i = 1; i <= 5; i++) expect(linux).toContain(`Host mila${i} login-${i}.login.server.mila.quebec\n    HostName login-${i}.login.server.mila.quebec\n`);
    expect(linux).toContain('Host mila login.server.mila.quebec\n    HostName login.server.mila.quebec\n');
    expect(linux).toContain('Host cn-????\n    HostName %h.server.mila.quebec\n');
    expect(linux).toContain('Match host *.server.mila.quebec,!*login.server.mila.quebec\n    HostName %h\n    ProxyJump mila\n');
    expect(linux).toContain('Match host *login.server.mila.quebec\n    Port 2222\n    ServerAliveInterval 120\n    ServerAliveCountMax 5\n    ControlMaster auto\n');
    expect(linux).toContain('Match host *.server.mila.quebec\n    PreferredAuthentications publickey,keyboard-interactive\n    AddKeysToAgent yes\n    User alice\n    IdentityFile ~/.ssh/id_ed25519_mila\n');
    expect(linux).not.toMatch(/UseKeychain/);
    // "Everything above": the advanced variant writes mila-cpu too, with its key and host-key name.
    expect(linux).toMatch(/\nHost mila-cpu\n( {4}.*\n)* {4}HostKeyAlias mila-cpu\n( {4}.*\n)* {4}IdentityFile ~\/\.ssh\/id_ed25519_mila\n/);
    const mac = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'advanced', platform: 'darwin' }), '\n');
    expect(mac).toContain('    AddKeysToAgent yes\n    UseKeychain yes\n');
    const macNoKeychain = renderBlock(buildBlock(profile, { user: 'alice', identity, variant: 'advanced', platform: 'darwin', useKeychain: false }), '\n');
    expect(macNoKeychain).not.toMatch(/UseKeychain/);
  });

  it('predicts which sections apply to a host, HostName included', () => {
    const m = buildBlock(profile, { user: 'alice', identity, variant: 'advanced', platform: 'linux' });
    const names = (h: string): string[] => sectionsApplying(m, h).map((i) => `${m.sections[i]!.kind}:${m.sections[i]!.patterns.join(',')}`);
    expect(names('mila')).toEqual(['host:mila,login.server.mila.quebec', 'match-host:*login.server.mila.quebec', 'match-host:*.server.mila.quebec']);
    expect(names('cn-a001')).toEqual(['host:cn-????', 'match-host:*.server.mila.quebec,!*login.server.mila.quebec', 'match-host:*.server.mila.quebec']);
    expect(names('github.com')).toEqual([]);
  });

  it('keep-mine drops or negates the user\'s alias', () => {
    const m = buildBlock(profile, { user: 'alice', identity, variant: 'simple', platform: 'linux' });
    const k = excludeAlias(excludeAlias(m, 'mila'), 'cn-a001');
    expect(k.sections.some((s) => s.patterns.includes('mila'))).toBe(false);
    expect(k.sections.find((s) => s.patterns[0] === 'cn-????')?.patterns).toEqual(['cn-????', '!cn-a001']);
    expect(sectionsApplying(k, 'cn-a001')).toEqual([]);
    expect(sectionsApplying(k, 'cn-b002').length).toBe(1);
  });

  it('refuses profile values that would inject lines', () => {
    const bad = { ...profile, extraHosts: [{ alias: 'x', options: [['User', 'a\nHost evil']] as Array<[string, string]> }] };
    expect(() => buildBlock(bad, { user: 'alice', identity, variant: 'simple', platform: 'linux' })).toThrow(EngineError);
    const badAlias = { ...profile, extraHosts: [{ alias: 'x y', options: [] }] };
    expect(() => buildBlock(badAlias, { user: 'alice', identity, variant: 'simple', platform: 'linux' })).toThrow(/characters a host pattern cannot have/);
  });
});
