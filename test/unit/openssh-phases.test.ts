/** The phases a long OpenSSH job reports (key creation, a login), and the last line a refusal carries. */
import { describe, expect, it } from 'vitest';
import { lastLine, sentenceWith } from '../../src/engine/openssh/last-line.js';
import { phases } from '../../src/engine/openssh/phases.js';

describe('phases', () => {
  it('says the first phase at once, then each change once, in order', () => {
    const said: string[] = [];
    const phase = phases<'starting' | 'generating' | 'writing' | 'done'>('starting', (p) => said.push(p));
    expect(said).toEqual(['starting']);
    expect(phase.current).toBe('starting');
    phase.to('generating');
    phase.to('generating'); // the passphrase prompt and ssh-keygen's "Generating" line both say it
    phase.to('writing');
    phase.to('done');
    expect(said).toEqual(['starting', 'generating', 'writing', 'done']);
    expect(phase.current).toBe('done');
  });

  it('keeps track without a listener', () => {
    const phase = phases<'connecting' | 'authenticating'>('connecting', undefined);
    phase.to('authenticating');
    expect(phase.current).toBe('authenticating');
  });
});

describe('OpenSSH’s last line in a refusal', () => {
  it('is the last line printed, trimmed', () => {
    expect(lastLine('Enter passphrase:\nLoad key "/k": invalid format\n\n')).toBe('Load key "/k": invalid format');
    expect(lastLine('   ')).toBe('');
  });

  it('ends the sentence, or a full stop when there is none', () => {
    expect(sentenceWith('ssh-keygen could not read id_x', 'invalid format')).toBe('ssh-keygen could not read id_x: invalid format');
    expect(sentenceWith('ssh-keygen could not read id_x', '')).toBe('ssh-keygen could not read id_x.');
  });
});
