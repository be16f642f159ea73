/**
 * The one flag reader of the project's programs (src/host/flags.ts, node:util parseArgs):
 * strict where the command line is the program's own, lenient where Electron, Chromium or a
 * utility process share it. The desktop app's and the engine host's own cases are tested with
 * them (electron-security.test.ts, engine-host.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { pickFlags, readOwnFlags } from '../../src/host/flags.js';

describe('readOwnFlags (a command line that is all ours)', () => {
  const options = { port: { type: 'string', default: '0' }, open: { type: 'boolean', default: false }, 'ssh-dir': { type: 'string' } } as const;
  const usage = 'web-host [--port N] [--open] [--ssh-dir DIR]';

  it('reads both spellings of a value, booleans and defaults', () => {
    expect(readOwnFlags(['--port', '8080', '--open', '--ssh-dir=/tmp/s'], options, usage)).toEqual({ port: '8080', open: true, 'ssh-dir': '/tmp/s' });
    expect(readOwnFlags([], options, usage)).toEqual({ port: '0', open: false });
  });

  it.each([
    [['--prot', '8080'], /Unknown option '--prot'/],
    [['--port'], /argument missing/],
    [['--open=yes'], /does not take an argument/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('refuses %j with the usage line rather than ignoring it', (argv, message) => {
    expect(() => readOwnFlags(argv, options, usage)).toThrow(message);
    expect(() => readOwnFlags(argv, options, usage)).toThrow(`Usage: ${usage}`);
  });
});

describe('pickFlags (a command line others share)', () => {
  it.each<[string[], Record<string, string>]>([
    [['/electron', '/app', '--no-sandbox', '--enable-logging', '--type=utility'], {}],
    [['/electron', '.', '--ssh-dir', '/tmp/ssh', '--lang=fr'], { 'ssh-dir': '/tmp/ssh' }],
    [['--profile=/p/--profile=x.json'], { profile: '/p/--profile=x.json' }],
    [['--profile=a', '--profile', 'b'], { profile: 'b' }],
    [['--ssh-dir', '--profile', 'x.json'], { profile: 'x.json' }],
    [['--ssh-dir=/a', '--ssh-dir', '--profile=p'], { 'ssh-dir': '/a', profile: 'p' }],
    [['--ssh-dir='], {}],
    [['--ssh-dir'], {}],
    [['--ssh-dir', '-single-dash-dir'], { 'ssh-dir': '-single-dash-dir' }],
    [['--ssh-dir=/a', '--', '--ssh-dir=/after'], { 'ssh-dir': '/a' }],
  ])('%j → %j', (argv, expected) => {
    expect(pickFlags(argv, ['ssh-dir', 'profile'])).toEqual(expected);
  });
});
