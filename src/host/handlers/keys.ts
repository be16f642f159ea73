import { addKeyToAgent, agentStatus } from '../../engine/keys/agent.js';
import { createKey, type CreatePhase } from '../../engine/keys/create.js';
import { fixPermissions } from '../../engine/keys/fix-permissions.js';
import { inspectKey } from '../../engine/keys/inspect.js';
import { listKeys } from '../../engine/keys/list.js';
import { suggestKeyName } from '../../engine/keys/names.js';
import { protectKey } from '../../engine/keys/protect.js';
import { readPublicKey, recoverPublicKey } from '../../engine/keys/public.js';
import type { keysChannels } from '../../shared/contract/keys.js';
import { tasks } from '../tasks.js';
import type { HandlerScope, HandlersFor } from './scope.js';

function progress(scope: HandlerScope, taskId: string) {
  return (phase: CreatePhase) => scope.emit('task.event', { taskId, type: 'progress', phase });
}

/** Runs cancellable work under its task id, with 'starting' and 'done' progress around it. */
async function asTask<T>(scope: HandlerScope, taskId: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const emit = progress(scope, taskId);
  return tasks.run(taskId, async (signal) => {
    emit('starting');
    const value = await body(signal);
    emit('done');
    return value;
  }, scope.signal);
}

// Programs run on this machine, so the pty-based work uses the real OS; ctx.platform (which
// tests may set to win32 for config output) only shapes reports: listing and permissions.
export const keysHandlers: HandlersFor<typeof keysChannels> = {
  'keys.list': async (_input, { ctx }) => listKeys(ctx.sshDir, ctx.platform),

  'keys.create': async (input, scope) => {
    const { ctx } = scope;
    // Progress comes from the engine's phases (starting, generating, writing, done).
    return tasks.run(input.taskId, (signal) =>
      createKey({
        sshDir: ctx.sshDir,
        type: input.type,
        bits: input.bits,
        name: input.name,
        comment: input.comment,
        passphrase: input.passphrase,
        allowEmptyPassphrase: input.allowEmptyPassphrase,
        defaultName: ctx.profile.keys.defaultName,
        signal,
        onProgress: progress(scope, input.taskId),
      }),
      scope.signal,
    );
  },

  'keys.suggestName': async (input, { ctx }) => ({ name: await suggestKeyName(ctx.sshDir, input.type ?? 'ed25519', ctx.profile.keys.defaultName) }),

  'keys.public': async (input, { ctx }) => readPublicKey(ctx.sshDir, input.file),

  'keys.recoverPublic': async (input, scope) =>
    asTask(scope, input.taskId, (signal) =>
      recoverPublicKey({ sshDir: scope.ctx.sshDir, file: input.file, passphrase: input.passphrase, overwrite: input.overwrite, signal }),
    ),

  'keys.protect': async (input, scope) =>
    asTask(scope, input.taskId, (signal) =>
      protectKey({ sshDir: scope.ctx.sshDir, file: input.file, passphrase: input.passphrase, oldPassphrase: input.oldPassphrase, signal }),
    ),

  'keys.fixPermissions': async (input, { ctx }) => fixPermissions(ctx.sshDir, input.files, ctx.platform),

  'keys.inspect': async (input, { ctx }) => inspectKey(ctx.sshDir, input.file),

  'agent.status': async (_input, { signal }) => agentStatus({ signal }),

  'agent.add': async (input, scope) =>
    asTask(scope, input.taskId, (signal) => addKeyToAgent({ sshDir: scope.ctx.sshDir, file: input.file, passphrase: input.passphrase, signal })),

  'task.cancel': async (input) => ({ cancelled: tasks.cancel(input.taskId) }),
};
