import { toErrorPayload } from '../engine/errors.js';
import { channels, type ChannelName, type Envelope } from '../shared/contract/index.js';
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
    const value = await handler(parsed.data, scope);
    return { ok: true, value: spec.output.parse(value) };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}
