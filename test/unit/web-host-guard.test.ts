import { describe, expect, it } from 'vitest';
import { describeFault } from '../../src/host/web/guard.js';

describe('the web host logs a fault without what a client sent', () => {
  it('names the error, its code and where it was thrown, never its message', () => {
    let parseError: unknown;
    try {
      JSON.parse('hunter2');
    } catch (err) {
      parseError = err;
    }
    // JSON.parse quotes its input in the message: that is what must never reach the log.
    expect(String((parseError as Error).message)).toContain('hunter2');
    const line = describeFault(parseError);
    expect(line).toMatch(/^SyntaxError at /);
    expect(line).not.toContain('hunter2');

    const reset = Object.assign(new Error('read ECONNRESET token=abc'), { code: 'ECONNRESET' });
    expect(describeFault(reset)).toMatch(/^Error \(ECONNRESET\) at /);
    expect(describeFault(reset)).not.toContain('token=abc');
    expect(describeFault('a string')).toBe('string');
  });
});
