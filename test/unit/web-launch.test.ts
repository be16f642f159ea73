import { describe, expect, it } from 'vitest';
import { parseProtocols, Secrets } from '../../src/host/web/launch.js';

describe('the web host’s secrets', () => {
  it('a launch secret opens once, for a session secret; a second use is known as such', () => {
    const s = new Secrets();
    const launch = s.issueLaunch();
    expect(launch).toMatch(/^[\w-]{32}$/);
    const session = s.redeemLaunch(launch);
    expect(session).toMatch(/^[\w-]{32}$/);
    expect(session).not.toBe(launch);
    expect(s.isSession(session as string)).toBe(true);
    expect(s.redeemLaunch(launch)).toBe('spent');
    expect(s.isSession(launch)).toBe(false);
    expect(s.redeemLaunch('never-issued')).toBeNull();
    expect(s.isSession('never-issued')).toBe(false);
    // Each launch secret is its own.
    const next = s.issueLaunch();
    expect(next).not.toBe(launch);
    expect(s.redeemLaunch(next)).not.toBe(session);
  });

  it('reads the secret the page offers beside the app protocol, and nothing without it', () => {
    expect(parseProtocols('mila-onboard, mila-launch.abc')).toEqual({ kind: 'launch', secret: 'abc' });
    expect(parseProtocols('mila-onboard,mila-session.xyz')).toEqual({ kind: 'session', secret: 'xyz' });
    expect(parseProtocols('mila-session.xyz')).toEqual({ kind: 'none' });
    expect(parseProtocols('mila-onboard')).toEqual({ kind: 'none' });
    expect(parseProtocols(undefined)).toEqual({ kind: 'none' });
  });
});
