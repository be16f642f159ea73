/**
 * "Continue" on one tab of a per-cluster step (settings, trust, login) or per-account step
 * (public key): which tab it selects next, or none (the wizard goes on to the next step).
 */
import { describe, expect, it } from 'vitest';
import { nextUndone } from '../../src/renderer/steps/next-undone.js';

const tabs = [{ id: 'mila' }, { id: 'narval' }, { id: 'rorqual' }, { id: 'fir' }];
const doneOnly = (...ids: string[]) => (t: { id: string }) => ids.includes(t.id);

describe('the tab "Continue" goes to', () => {
  it('the next tab not done yet, after the one left', () => {
    expect(nextUndone(tabs, { id: 'mila' }, doneOnly())?.id).toBe('narval');
    expect(nextUndone(tabs, { id: 'narval' }, doneOnly('rorqual'))?.id).toBe('fir');
  });

  it('wraps round to the tabs before the one left', () => {
    expect(nextUndone(tabs, { id: 'rorqual' }, doneOnly('fir'))?.id).toBe('mila');
    expect(nextUndone(tabs, { id: 'fir' }, doneOnly('mila'))?.id).toBe('narval');
  });

  it('never back to the tab left, even when its own part is not done (a login "Continue" marks nothing)', () => {
    expect(nextUndone(tabs, { id: 'narval' }, doneOnly('mila', 'rorqual', 'fir'))).toBeNull();
    expect(nextUndone([{ id: 'mila' }], { id: 'mila' }, doneOnly())).toBeNull();
  });

  it('nowhere once every other tab is done: the wizard goes on', () => {
    expect(nextUndone(tabs, { id: 'mila' }, doneOnly('narval', 'rorqual', 'fir'))).toBeNull();
  });

  it('from an unknown tab, the first tab not done', () => {
    expect(nextUndone(tabs, { id: 'gone' }, doneOnly('mila'))?.id).toBe('narval');
  });
});
