import { toErrorPayload } from '../engine/errors.js';
import { channels, type ChannelName, type Envelope } from '../shared/contract/index.js';
import { resolveCluster } from './clusters.js';
import { handlers, type HandlerScope } from './handlers/index.js';

export function isChannel(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/**
 * The boundary: validates the input against the contract, runs the handler, validates
 * the output (a bug must not leak odd data to a front), and always answers with an envelope.
 */
export async function dispatch(channel: unknown, rawInput: unknown, scope: HandlerScope): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid-input', message: 'Unknown request.', nothingChanged: true } };
  }
  const spec = channels[channel];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Invalid request${issue ? ` (${issue.path.join('.') || 'input'}: ${issue.message})` : ''}.`,
        // What the wizard says: a field it lets through but the contract bounds (a very long name, say).
        reason: { code: 'request-invalid', params: {} },
        nothingChanged: true,
      },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown, scope: HandlerScope) => Promise<unknown>;
    const { input, ctx } = clusterOf(parsed.data, scope);
    const value = await handler(input, { ...scope, ctx });
    return { ok: true, value: spec.output.parse(value) };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}

/**
 * A cluster-specific channel's input may name a cluster (contract/clusters.ts): the call
 * runs against that cluster's context, and the handler gets the input without the id. Only
 * those channels' schemas let `cluster` through, so other inputs are passed as they are.
 */
function clusterOf(data: unknown, scope: HandlerScope): { input: unknown; ctx: HandlerScope['ctx'] } {
  if (data === null || typeof data !== 'object' || !('cluster' in data)) return { input: data, ctx: scope.ctx };
  const { cluster, ...input } = data as { cluster?: string };
  return { input, ctx: resolveCluster(scope.clusters ?? [scope.ctx], cluster) };
}
