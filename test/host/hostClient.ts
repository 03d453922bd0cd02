// Test helpers for the browser host: a raw `ws` client that speaks the wire format, and plain
// HTTP requests with chosen headers.
import { request } from 'node:http';
import WebSocket from 'ws';
import type { Envelope } from '../../main/common/contract';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens /ipc; resolves with the socket, or rejects with the HTTP status the upgrade got. */
export function openSocket(port: number, query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc${query}`, { headers, perMessageDeflate: false, maxPayload: 200 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      res.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

export interface Reply {
  id: unknown;
  reply: Envelope<unknown>;
}

/** Collects replies by id and events in order. */
export class WireClient {
  readonly events: Array<{ event: string; payload: unknown }> = [];
  private readonly waiting = new Map<string, (reply: Reply) => void>();
  private readonly unmatched: Reply[] = [];
  private readonly unmatchedWaiters: Array<(reply: Reply) => void> = [];
  private nextId = 1;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const message = JSON.parse(isBinary ? '' : data.toString()) as Reply & { event?: string; payload?: unknown };
      if (typeof message.event === 'string') {
        this.events.push({ event: message.event, payload: message.payload });
        return;
      }
      const key = JSON.stringify(message.id);
      const waiter = this.waiting.get(key);
      if (waiter && message.id !== null) {
        this.waiting.delete(key);
        waiter(message);
        return;
      }
      const next = this.unmatchedWaiters.shift();
      if (next) next(message);
      else this.unmatched.push(message);
    });
  }

  /** Sends one contract call and waits for its reply. */
  call(channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    const id = `c${this.nextId++}`;
    return this.sendWithId(id, { id, channel, payload }).then((r) => r.reply);
  }

  sendWithId(id: string | number, message: unknown): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting.set(JSON.stringify(id), resolve);
      this.ws.send(JSON.stringify(message));
    });
  }

  /** Sends a raw frame (no usable id, or one nobody waits for) and waits for the next such reply. */
  sendRaw(data: string | Buffer, binary = false): Promise<Reply> {
    const reply = this.nextUnmatched();
    this.ws.send(data, { binary });
    return reply;
  }

  nextUnmatched(): Promise<Reply> {
    const ready = this.unmatched.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.unmatchedWaiters.push(resolve));
  }

  close(): void {
    this.ws.terminate();
  }
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: 1006, reason: '' });
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}
