import type * as z from 'zod/mini';
import { appChannels } from './app.js';
import { configChannels } from './config.js';
import { connectChannels } from './connect.js';
import type { ChannelSpec } from './common.js';
import { keysChannels } from './keys.js';
import { trustChannels } from './trust.js';

/**
 * The one contract between every front (Electron window, web host, tests) and the engine.
 * Each feature declares its channels in its own file; this map is the union.
 */
export const channels = {
  ...appChannels,
  ...keysChannels,
  ...configChannels,
  ...trustChannels,
  ...connectChannels,
} satisfies Record<string, ChannelSpec>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type InputOf<C extends ChannelName> = z.input<Channels[C]['input']>;
export type OutputOf<C extends ChannelName> = z.output<Channels[C]['output']>;

import { channelNames as listedNames } from './names.js';

// names.ts lists every channel, and only channels: a channel added to the contract but not
// there (or a name there that is no channel) fails to compile here.
type Listed = (typeof listedNames)[number];
const complete: [Exclude<ChannelName, Listed>, Exclude<Listed, ChannelName>] extends [never, never] ? true : [Exclude<ChannelName, Listed>, Exclude<Listed, ChannelName>] = true;
void complete;

export { channelNames, eventNames, type EventName } from './names.js';

export * from './common.js';
export * from './errors.js';
export * from './clusters.js';
export * from './app.js';
export * from './keys.js';
export * from './config.js';
export * from './trust.js';
export * from './connect.js';
export * from './events.js';
