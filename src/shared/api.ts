import type { ChannelName, Envelope, ErrorPayloadDto, EventName, InputOf, OutputOf } from './contract/index.js';
import { channelNames } from './contract/names.js';

/**
 * The raw transport a front provides (ipcRenderer.invoke, or a web socket). An event's payload
 * is `unknown` here on purpose: it crossed a process or a socket, and the page checks it
 * against the contract (readEvent in contract/events.ts) before any code reads it.
 */
export interface Transport {
  invoke(channel: ChannelName, input: unknown): Promise<Envelope<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/**
 * What crosses the preload bridge: one function per contract channel returning the
 * envelope (errors cross contextBridge badly, envelopes cross intact), plus `on` for the
 * raw event stream (see Transport).
 */
export type Bridge = { [C in ChannelName]: (input: InputOf<C>) => Promise<Envelope<OutputOf<C>>> } & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

/**
 * The API renderer code calls: the bridge's channels with envelopes unwrapped into values or
 * ApiErrors. Events are not here: the page subscribes through onEvent (renderer/api/events.ts),
 * which hands a listener only payloads that match the contract, already typed.
 */
export type MilaApi = { [C in ChannelName]: (input: InputOf<C>) => Promise<OutputOf<C>> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether an answer that crossed a process or a socket has an envelope's shape (the value
 * itself was checked by the host's dispatch against the channel's output schema).
 */
export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!isObject(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isObject(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string' && typeof value.error.nothingChanged === 'boolean';
}

/** What a front answers in place of something that is not an envelope: a bug, said as one. */
export const NOT_AN_ENVELOPE: Envelope<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'internal', message: 'Mila Onboard received an answer it could not read.', hint: 'Try again.', nothingChanged: false }),
}) as Envelope<never>;

export class ApiError extends Error {
  readonly code: ErrorPayloadDto['code'];
  readonly hint: string | undefined;
  readonly reason: ErrorPayloadDto['reason'];
  readonly nothingChanged: boolean;
  constructor(payload: ErrorPayloadDto) {
    super(payload.message);
    this.name = 'ApiError';
    this.code = payload.code;
    this.hint = payload.hint;
    this.reason = payload.reason;
    this.nothingChanged = payload.nothingChanged;
  }
}

/** Builds the bridge from the contract's channel list: exactly the contract's keys, nothing else. */
export function buildBridge(transport: Transport): Bridge {
  const bridge: Record<string, unknown> = {};
  for (const name of channelNames) {
    bridge[name] = (input: unknown) => transport.invoke(name, input ?? {});
  }
  bridge.on = (event: EventName, listener: (payload: unknown) => void) => transport.on(event, listener);
  return Object.freeze(bridge) as Bridge;
}

export function unwrapBridge(bridge: Bridge): MilaApi {
  const api: Record<string, unknown> = {};
  for (const name of channelNames) {
    const call = bridge[name] as (input: unknown) => Promise<Envelope<unknown>>;
    api[name] = async (input: unknown) => {
      const envelope = await call(input ?? {});
      if (!envelope.ok) throw new ApiError(envelope.error);
      return envelope.value;
    };
  }
  return Object.freeze(api) as MilaApi;
}
