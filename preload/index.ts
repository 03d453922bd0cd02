// The sandboxed preload: exposes exactly the contract (invoke on the contract's channels, on for
// its events) as `window.listsync`, and nothing of Electron or Node. Bundled into one CommonJS
// file by electron-vite (a sandboxed preload can require only `electron`).
// Validation of requests is main's job (zod in main/core/dispatch.ts); here only the names are
// allow-listed, so nothing reaches main on a channel the contract does not have.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  channelNames, eventNames, type Channel, type ContractErrorShape, type Envelope, type EventName,
  type EventPayload, type ListSyncApi, type Reply, type Request,
} from '../main/common/contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipcNames';

const allowedChannels = new Set<string>(channelNames);
const allowedEvents = new Set<string>(eventNames);

function refusal(message: string): ContractErrorShape {
  return { code: 'invalid-request', message };
}

/** A rejection crosses contextBridge as a plain object only (Error subclasses lose their fields). */
function plainError(shape: ContractErrorShape): ContractErrorShape {
  return {
    code: shape.code,
    message: String(shape.message),
    ...(shape.issues ? { issues: shape.issues.map((i) => ({ path: String(i.path), message: String(i.message) })) } : {}),
    ...(typeof shape.retryAfterMs === 'number' ? { retryAfterMs: shape.retryAfterMs } : {}),
  };
}

// One ipcRenderer listener for all events; renderer listeners are kept here, by event name.
const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !allowedEvents.has(name)) return;
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch {
      // A failing renderer listener must not stop the others.
    }
  }
});

const api = {
  async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>> {
    if (typeof channel !== 'string' || !allowedChannels.has(channel)) {
      throw refusal(`Unknown channel: ${String(channel).slice(0, 100)}`);
    }
    let envelope: Envelope<unknown>;
    try {
      envelope = (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, request)) as Envelope<unknown>;
    } catch (error) {
      // Structured clone failed (a function in the request) or main is gone.
      throw refusal(`The request could not be sent: ${(error as Error)?.message ?? String(error)}`);
    }
    if (envelope && envelope.ok === true) return envelope.value as Reply<C>;
    if (envelope && envelope.ok === false && envelope.error) throw plainError(envelope.error);
    throw { code: 'internal', message: 'ListSync answered with something that is not a reply' } satisfies ContractErrorShape;
  },

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (typeof event !== 'string' || !allowedEvents.has(event)) throw new Error(`Unknown event: ${String(event).slice(0, 100)}`);
    if (typeof listener !== 'function') throw new Error('on(event, listener) needs a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
} satisfies ListSyncApi;

contextBridge.exposeInMainWorld('listsync', api);
