import { checkComputeAccess, fixComputeAccess } from '../../engine/compute/access.js';
import { learnComputeHostKeys } from '../../engine/compute/host-keys.js';
import { checkKey } from '../../engine/connect/check.js';
import { connect } from '../../engine/connect/connect.js';
import type { AskPrompt, ConnectAsk } from '../../engine/connect/session.js';
import { fixSshModes } from '../../engine/doctor/ssh-modes.js';
import { doctor } from '../../engine/doctor/doctor.js';
import type { connectChannels } from '../../shared/contract/connect.js';
import { TaskPromptEventSchema, type TaskProgressEvent, type TaskPromptEvent } from '../../shared/contract/events.js';
import { tasks } from '../tasks.js';
import type { HandlerScope, HandlersFor } from './scope.js';

const PROMPT_KINDS: ReadonlySet<string> = new Set(TaskPromptEventSchema.shape.kind.options);
const isPromptKind = (kind: string): kind is TaskPromptEvent['kind'] => PROMPT_KINDS.has(kind);

/**
 * Duo's choices within the contract's bounds (at most 9, keys of at most 4 characters, labels
 * of at most 200). They are the server's text: a longer menu or label would make the page
 * refuse the whole prompt (it checks every event), and the login would wait for an answer
 * nobody can give. A label is only shown, so it is cut; a key is typed as the answer, so one
 * too long is left out rather than changed (a passcode can still be typed).
 */
export function boundedDuoOptions(options: NonNullable<AskPrompt['options']>): NonNullable<TaskPromptEvent['options']> {
  return options
    .filter((o) => o.key.length <= 4)
    .slice(0, 9)
    .map((o) => ({ key: o.key, label: o.label.slice(0, 200), action: o.action }));
}

function progress(scope: HandlerScope, taskId: string) {
  return (phase: TaskProgressEvent['phase']) => scope.emit('task.event', { taskId, type: 'progress', phase });
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
      (promptId) =>
        scope.emit('task.event', {
          taskId,
          type: 'prompt',
          promptId,
          kind: isPromptKind(prompt.kind) ? prompt.kind : 'unknown',
          text: prompt.text,
          secret: prompt.secret,
          retry: prompt.retry,
          ...(prompt.kind === 'duo-menu' && prompt.options ? { options: boundedDuoOptions(prompt.options) } : {}),
        }),
      (promptId, reason) => scope.emit('task.event', { taskId, type: 'prompt-closed', promptId, reason }),
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
