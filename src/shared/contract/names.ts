import type { ChannelName } from './index.js';

/**
 * The contract's channel and event names without its schemas, so the renderer's bundle and
 * the Electron main process (which only forwards calls to the engine host) do not carry zod. The compiler checks it names every channel; a test checks the order matches.
 */
const NAMES = [
  'app.info',
  'changes.undoAll',
  'progress.get',
  'progress.set',
  'keys.list',
  'keys.create',
  'keys.suggestName',
  'keys.public',
  'keys.recoverPublic',
  'keys.protect',
  'keys.fixPermissions',
  'keys.inspect',
  'agent.status',
  'agent.add',
  'task.cancel',
  'config.plan',
  'config.apply',
  'config.revert',
  'config.status',
  'trust.plan',
  'trust.apply',
  'trust.revert',
  'trust.status',
  'connect.start',
  'task.answer',
  'compute.check',
  'compute.fix',
  'compute.trust',
  'doctor.run',
  'keys.check',
  'doctor.fixPermissions',
] as const satisfies readonly ChannelName[];

// A channel added to the contract but not here fails to compile: Missing is then not never.
type Missing = Exclude<ChannelName, (typeof NAMES)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export const channelNames: readonly ChannelName[] = NAMES;

/** Event streams for long work (progress, prompts). Declared here so both sides agree. */
export const eventNames = ['task.event'] as const;
export type EventName = (typeof eventNames)[number];
