/**
 * The page's one way to follow the events a host streams during a call. Each payload is
 * checked against the contract (checkedListener) before a listener sees it, so listeners get
 * the typed event and no component casts what arrived over IPC or the web socket. A payload
 * that is not what the contract says is dropped, and only its event's name is logged.
 *
 * A module of its own (not client.ts): the checking needs zod, and only the screens that run
 * long work load it, so the first screen stays without it.
 */
import { checkedListener, type EventPayload } from '../../shared/contract/events.js';
import type { EventName } from '../../shared/contract/names.js';
import { getBridge } from './client.js';

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getBridge().on(
    event,
    checkedListener(event, listener, (name) => console.warn(`Mila Onboard: an "${name}" event that does not match the contract was ignored.`)),
  );
}
