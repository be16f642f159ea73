import { checkComputeAccess, fixComputeAccess } from '../../engine/compute/access.js';
import { learnComputeHostKeys } from '../../engine/compute/host-keys.js';
import { checkKey } from '../../engine/connect/check.js';
import { connect } from '../../engine/connect/connect.js';
import type { AskPrompt, ConnectAsk } from '../../engine/connect/session.js';
import { fixSshModes } from '../../engine/doctor/ssh-modes.js';
import { doctor } from '../../engine/doctor/doctor.js';
import type { connectChannels } from '../../shared/contract/connect.js';
import type { TaskEvent, TaskPromptEvent } from '../../shared/contract/keys.js';
import { tasks } from '../tasks.js';
import type { HandlerScope, HandlersFor } from './scope.js';

type Phase = Extract<TaskEvent, { type: 'progress' }>['phase'];
const PROMPT_KINDS = new Set<TaskPromptEvent['kind']>(['passphrase', 'otp', 'password', 'unknown', 'host-key', 'new-passphrase', 'confirm-passphrase', 'overwrite', 'duo-menu']);

function progress(scope: HandlerScope, taskId: string) {
  return (phase: Phase) => {
    const event: TaskEvent = { taskId, type: 'progress', phase };
    scope.emit('task.event', event);
  };
}

/**
 * The engine's `ask` for a task: each prompt becomes a 'task.event' of type 'prompt' and
 * waits in the task registry until 'task.answer' (or cancel, or the end of the task). The
 * answer is handed to the pty and not kept here.
 */
export function askThroughEvents(scope: HandlerScope, taskId: string): ConnectAsk {
  return (prompt: AskPrompt) =>
    tasks.waitForAnswer(
      taskId,
      { kind: prompt.kind, text: prompt.text, secret: prompt.secret },
      (promptId) => {
        const event: TaskEvent = {
          taskId,
          type: 'prompt',
          promptId,
          kind: PROMPT_KINDS.has(prompt.kind as TaskPromptEvent['kind']) ? (prompt.kind as TaskPromptEvent['kind']) : 'unknown',
          text: prompt.text,
          secret: prompt.secret,
          retry: prompt.retry,
          ...(prompt.kind === 'duo-menu' && prompt.options ? { options: prompt.options } : {}),
        };
        scope.emit('task.event', event);
      },
      (promptId, reason) => {
        const event: TaskEvent = { taskId, type: 'prompt-closed', promptId, reason };
        scope.emit('task.event', event);
      },
    );
}

// The connection runs OpenSSH on this machine, in a pty; `ctx.sshDir` picks the config and known_hosts.
export const connectHandlers: HandlersFor<typeof connectChannels> = {
  'connect.start': async (input, scope) =>
    tasks.run(input.taskId, (signal) => connect(scope.ctx, { signal, ask: askThroughEvents(scope, input.taskId), onProgress: progress(scope, input.taskId) }), scope.signal),

  'task.answer': async (input) => ({ accepted: tasks.answer(input.taskId, input.promptId, input.answer) }),

  'compute.check': async (input, scope) =>
    tasks.run(input.taskId, (signal) => checkComputeAccess(scope.ctx, { signal, ask: askThroughEvents(scope, input.taskId), onProgress: progress(scope, input.taskId) }), scope.signal),

  'compute.fix': async (input, scope) =>
    tasks.run(input.taskId, (signal) => fixComputeAccess(scope.ctx, { signal, ask: askThroughEvents(scope, input.taskId), onProgress: progress(scope, input.taskId) }), scope.signal),

  'compute.trust': async (input, scope) =>
    tasks.run(input.taskId, (signal) => learnComputeHostKeys(scope.ctx, { signal, ask: askThroughEvents(scope, input.taskId), onProgress: progress(scope, input.taskId) }), scope.signal),

  'doctor.run': async (_input, { ctx }) => doctor(ctx),

  // No prompt can happen (BatchMode), so no task: a plain request that ends within ConnectTimeout.
  'keys.check': async (_input, { ctx, signal }) => checkKey(ctx, { signal }),
  'doctor.fixPermissions': async (_input, { ctx }) => fixSshModes(ctx.sshDir, ctx.platform),
};
