import type { z } from 'zod';
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

export { eventNames, type EventName } from './names.js';

export const channelNames = Object.keys(channels) as ChannelName[];

export * from './common.js';
export * from './app.js';
export * from './keys.js';
export * from './config.js';
export * from './trust.js';
export * from './connect.js';
