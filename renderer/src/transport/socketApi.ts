// The browser bridge: the contract over the browser host's WebSocket (main/host/browserHost.ts).
// Messages: → { id, channel, payload }, ← { id, reply: Envelope }, ← { event, payload }.
import {
  ContractError, eventNames, type Channel, type Envelope, type EventName, type EventPayload, type ListSyncApi,
  type Reply, type Request,
} from '../../../main/common/contract';
import { asContractError } from './contractError';

/** The subset of the DOM WebSocket used here (the `ws` package's client has it too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SocketApiOptions {
  /** ws://host/ipc?token=…; defaults to the page's own host and `?token=` of its address. */
  url?: string;
  /** Defaults to the browser's WebSocket. */
  createSocket?: SocketFactory;
  /** Reconnect delays: first, then doubled up to max (with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** How long a call waits for a connection before it fails (default 15 s). */
  connectTimeoutMs?: number;
}

export interface SocketApi extends ListSyncApi {
  readonly state: ConnectionState;
  /** Follows the connection (e.g. to show "reconnecting…"); returns the unsubscribe. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Closes for good: pending calls fail, no reconnect. */
  close(): void;
}

const OPEN = 1;

/** The WebSocket URL for the page at `location`: same host, /ipc, the page's token. */
export function socketUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Without ?token= (a reload after the address changed) the host's HttpOnly cookie still works.
  return `${scheme}//${location.host}/ipc${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

function lostConnection(): ContractError {
  return new ContractError({
    code: 'internal',
    message: 'The connection to ListSync was lost before it answered. The action may or may not have been done: check, then try again.',
  });
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: ContractError): void;
  /** The frame, kept until it is sent. */
  frame: string | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export function createSocketApi(options: SocketApiOptions = {}): SocketApi {
  const url = options.url ?? (typeof location !== 'undefined' ? socketUrlFor(location) : '');
  const createSocket: SocketFactory = options.createSocket ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const knownEvents = new Set<string>(eventNames);

  let socket: SocketLike | null = null;
  let state: ConnectionState = 'idle';
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const l of stateListeners) {
      try { l(next); } catch { /* a listener's problem */ }
    }
  };

  const flush = () => {
    if (!socket || socket.readyState !== OPEN) return;
    for (const p of pending.values()) {
      if (p.frame === null) continue;
      socket.send(p.frame);
      p.frame = null;
      if (p.timer) clearTimeout(p.timer);
      p.timer = null;
    }
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as { id?: unknown; reply?: Envelope<unknown>; event?: unknown; payload?: unknown };
    if (typeof m.event === 'string') {
      if (!knownEvents.has(m.event)) return;
      for (const l of listeners.get(m.event) ?? []) {
        try { l(m.payload); } catch (error) { console.error('ListSync event listener failed', error); }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p || !m.reply) return;
    pending.delete(m.id);
    if (m.reply.ok === true) p.resolve(m.reply.value);
    else p.reject(asContractError(m.reply.error));
  };

  const scheduleReconnect = () => {
    if (state === 'closed' || reconnectTimer) return;
    const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    attempt++;
    setState('reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const connect = () => {
    if (state === 'closed' || socket) return;
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    let s: SocketLike;
    try {
      s = createSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setState('open');
      flush();
    };
    s.onmessage = (event) => onMessage(event.data);
    s.onerror = () => undefined; // onclose follows
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // Calls already sent may never be answered: fail them. Calls not yet sent wait.
      for (const [id, p] of pending) {
        if (p.frame === null) {
          pending.delete(id);
          p.reject(lostConnection());
        }
      }
      if (state !== 'closed') scheduleReconnect();
    };
  };

  const ensureConnected = () => {
    if (!socket && !reconnectTimer && state !== 'closed') connect();
  };

  const api: SocketApi = {
    get state() {
      return state;
    },

    invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>> {
      return new Promise<Reply<C>>((resolve, reject) => {
        if (state === 'closed') return reject(lostConnection());
        const id = nextId++;
        let frame: string;
        try {
          frame = JSON.stringify({ id, channel, payload: request ?? {} });
        } catch (error) {
          return reject(new ContractError({ code: 'invalid-request', message: `The request cannot be sent: ${(error as Error).message}` }));
        }
        const p: Pending = { resolve: resolve as (v: unknown) => void, reject, frame, timer: null };
        pending.set(id, p);
        if (socket && socket.readyState === OPEN) {
          flush();
          return;
        }
        p.timer = setTimeout(() => {
          if (pending.get(id) === p && p.frame !== null) {
            pending.delete(id);
            reject(new ContractError({ code: 'internal', message: 'ListSync is not reachable: is `listsync ui` still running?' }));
          }
        }, connectTimeoutMs);
        ensureConnected();
      });
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!knownEvents.has(event)) throw new Error(`Unknown event: ${String(event)}`);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      ensureConnected();
      return () => {
        set.delete(l);
      };
    },

    onStateChange(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },

    close() {
      setState('closed');
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const s = socket;
      socket = null;
      for (const p of pending.values()) {
        if (p.timer) clearTimeout(p.timer);
        p.reject(lostConnection());
      }
      pending.clear();
      try { s?.close(1000, 'closed'); } catch { /* already closed */ }
    },
  };
  return api;
}
