/**
 * The contract's channel and event names without its schemas, so the renderer's bundle and
 * the Electron main process (which only forwards calls to the engine host) do not carry zod.
 * The one list of channel names: index.ts re-exports it, and the compiler checks there that
 * it names every channel of the contract and nothing else. This file imports nothing, so the
 * two files no longer import each other.
 */
export const channelNames = [
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
] as const;

/**
 * Event streams for long work (progress, prompts), and what became of the work a page started
 * before it was reloaded (Electron's window; the web host tells its page over the socket).
 * Declared here so both sides agree.
 */
export const eventNames = ['task.event', 'page.interrupted'] as const;
export type EventName = (typeof eventNames)[number];
