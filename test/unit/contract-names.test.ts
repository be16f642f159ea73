import { describe, expect, it } from 'vitest';
import { channels } from '../../src/shared/contract/index.js';
import { channelNames } from '../../src/shared/contract/names.js';

describe('the schema-free list of channel names the renderer uses', () => {
  it("is exactly the contract's channels", () => {
    expect([...channelNames].sort()).toEqual(Object.keys(channels).sort());
    expect(new Set(channelNames).size).toBe(channelNames.length);
  });
});
