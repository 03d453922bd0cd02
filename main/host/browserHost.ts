// The browser host: the built renderer and the contract over a loopback WebSocket, for when the
// Electron runtime is not there (`listsync ui`, CI, the end-to-end tests). Same contract, same
// validation (core.call → dispatch), same events as Electron IPC.
//
// Wire format on /ipc (text frames, JSON):
//   client → host  { id: string | number, channel: string, payload: unknown }
//   host → client  { id, reply: Envelope }            (id: null when the frame had no usable id)
//   host → client  { event: EventName, payload }      (pushed core events)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { ContractErrorShape, Envelope } from '../common/contract';
import type { CoreEvents } from '../core/events';
import { silentLogger, type Logger } from '../core/ports';
import { toContractError } from '../core/dispatch';
import {
  cookieName, hostContentSecurityPolicy, loopback, newToken, readCookie, refusalFor, type Refusal,
} from './security';

export interface HostCore {
  call(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
  readonly events: Pick<CoreEvents, 'onAny'>;
}

export interface BrowserHostOptions {
  core: HostCore;
  /** The built renderer (out/renderer, from `electron-vite build`). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  logger?: Logger;
  /** Largest accepted WebSocket message, in bytes (default 60 MB: a 50 MB suppression CSV fits). */
  maxMessageBytes?: number;
  /** Calls one connection may have in flight before further ones are answered `busy` (default 64). */
  maxInFlight?: number;
}

export interface BrowserHost {
  /** http://127.0.0.1:PORT/?token=… : what the user opens. */
  readonly url: string;
  readonly port: number;
  /** Always 127.0.0.1. */
  readonly address: string;
  readonly token: string;
  close(): Promise<void>;
}

export const ipcPath = '/ipc';
export const healthPath = '/healthz';
const defaultMaxMessageBytes = 60 * 1024 * 1024;
const maxIdLength = 128;
/** Above this much unsent data, progress events for a connection are dropped (a slow tab). */
const progressBackpressureBytes = 8 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

function invalid(message: string): Envelope<never> {
  return { ok: false, error: { code: 'invalid-request', message } };
}

function validId(id: unknown): id is string | number {
  return (typeof id === 'string' && id.length > 0 && id.length <= maxIdLength) || (typeof id === 'number' && Number.isFinite(id));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a URL path to a file inside root, or null (traversal, NUL bytes, bad escapes). */
export function staticFileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // No parent segments at all: a request that tries to climb is refused, not clamped to the root.
  if (decoded.split('/').includes('..')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const file = resolve(root, rel === '' ? 'index.html' : rel);
  const base = resolve(root);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

export function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const logger = options.logger ?? silentLogger;
  const token = newToken();
  const rendererDir = resolve(options.rendererDir);
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const maxInFlight = options.maxInFlight ?? 64;
  let port = 0;
  let csp = '';

  const facts = (req: IncomingMessage, url: URL) => ({
    host: req.headers.host,
    origin: req.headers.origin,
    secFetchSite: typeof req.headers['sec-fetch-site'] === 'string' ? req.headers['sec-fetch-site'] : undefined,
    token: url.searchParams.get('token') ?? readCookie(req.headers.cookie, cookieName(port)),
  });

  const parseUrl = (req: IncomingMessage): URL | null => {
    try {
      return new URL(req.url ?? '/', `http://${loopback}:${port}`);
    } catch {
      return null;
    }
  };

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=()');
    res.setHeader('Cache-Control', 'no-store');
  };

  const plain = (res: ServerResponse, status: number, text: string) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${text}\n`);
  };

  const refuse = (res: ServerResponse, reason: Refusal | 'url', path: string) => {
    logger.log('warn', 'host.refused', { reason, path: path.slice(0, 200) });
    plain(res, 403, 'Forbidden');
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    let file = staticFileFor(rendererDir, url.pathname);
    if (!file) return plain(res, 404, 'Not found');
    let stat = existsSync(file) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (stat?.isDirectory()) {
      file = join(file, 'index.html');
      stat = statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) {
      // In-app routes (no file extension) get the app; missing assets get a 404.
      if (extname(url.pathname) !== '') return plain(res, 404, 'Not found');
      file = join(rendererDir, 'index.html');
      stat = statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) {
        return plain(res, 503, 'The UI is not built: run `npx electron-vite build` (or `npm run build`) first.');
      }
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(stat.size));
    if (req.method === 'HEAD') return res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const server = createServer((req, res) => {
    try {
      securityHeaders(res);
      const url = parseUrl(req);
      if (!url) return refuse(res, 'url', '');
      const refusal = refusalFor(facts(req, url), port, token);
      if (refusal) return refuse(res, refusal, url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return plain(res, 405, 'Method not allowed');
      }
      // The page's own asset requests carry no query: the token rides in an HttpOnly cookie,
      // named for this port, set when the page is opened with ?token=.
      if (url.searchParams.has('token')) {
        res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`);
      }
      if (url.pathname === healthPath) {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        return res.end(JSON.stringify({ ok: true, clients: wss.clients.size }));
      }
      if (url.pathname === ipcPath) return plain(res, 426, 'Upgrade required');
      serveFile(req, res, url);
    } catch (error) {
      logger.log('error', 'host.request-failed', { message: (error as Error).message });
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    }
  });

  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false, clientTracking: true });

  const rejectUpgrade = (socket: Duplex, status: 403 | 404, reason: string, path: string) => {
    logger.log('warn', 'host.refused', { reason, path: path.slice(0, 200), upgrade: true });
    const text = status === 403 ? 'Forbidden' : 'Not Found';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
    socket.destroy();
  };

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req);
    if (!url) return rejectUpgrade(socket, 403, 'url', '');
    const refusal = refusalFor(facts(req, url), port, token);
    if (refusal) return rejectUpgrade(socket, 403, refusal, url.pathname);
    if (url.pathname !== ipcPath) return rejectUpgrade(socket, 404, 'path', url.pathname);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, message: unknown) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      const id = isRecord(message) ? (message.id ?? null) : null;
      const shape: ContractErrorShape = { code: 'internal', message: `The reply could not be encoded: ${(error as Error).message}` };
      text = JSON.stringify({ id, reply: { ok: false, error: shape } });
    }
    ws.send(text, (error) => {
      if (error) logger.log('debug', 'host.send-failed', { message: error.message });
    });
  };

  wss.on('connection', (ws: WebSocket) => {
    let inFlight = 0;
    let alive = true;
    ws.on('pong', () => { alive = true; });
    (ws as WebSocket & { listsyncAlive?: () => boolean }).listsyncAlive = () => {
      const was = alive;
      alive = false;
      return was;
    };
    ws.on('error', (error) => {
      // e.g. a message over maxPayload: ws closes the connection with 1009 after this.
      logger.log('warn', 'host.ws-error', { message: error.message });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return send(ws, { id: null, reply: invalid('Binary frames are not part of the contract: send JSON text') });
      let message: unknown;
      try {
        const text = Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
        message = JSON.parse(text);
      } catch {
        return send(ws, { id: null, reply: invalid('The message is not JSON: send {"id", "channel", "payload"}') });
      }
      if (!isRecord(message)) return send(ws, { id: null, reply: invalid('The message must be an object {"id", "channel", "payload"}') });
      const { id, channel, payload } = message;
      if (!validId(id)) {
        return send(ws, { id: null, reply: invalid('The message needs an "id": a non-empty string (up to 128 characters) or a number') });
      }
      if (inFlight >= maxInFlight) {
        return send(ws, { id, reply: { ok: false, error: { code: 'busy', message: `Too many calls in flight (${maxInFlight}): wait for replies` } } });
      }
      inFlight++;
      let reply: Promise<Envelope<unknown>>;
      try {
        reply = options.core.call(channel, payload);
      } catch (error) {
        reply = Promise.resolve({ ok: false, error: toContractError(error) });
      }
      reply
        .catch((error: unknown): Envelope<unknown> => ({ ok: false, error: toContractError(error) }))
        .then((envelope) => send(ws, { id, reply: envelope }))
        .finally(() => { inFlight--; });
    });
  });

  const offEvents = options.core.events.onAny((event, payload) => {
    if (wss.clients.size === 0) return;
    let text: string;
    try {
      text = JSON.stringify({ event, payload });
    } catch {
      return;
    }
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (event === 'run.progress' && ws.bufferedAmount > progressBackpressureBytes) continue;
      ws.send(text, () => undefined);
    }
  });

  // Drop connections whose tab went away without a close (sleep, crashed browser).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      const check = (ws as WebSocket & { listsyncAlive?: () => boolean }).listsyncAlive;
      if (check && !check()) {
        ws.terminate();
        continue;
      }
      try { ws.ping(); } catch { /* closing */ }
    }
  }, 30_000);
  heartbeat.unref();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((done) => {
      offEvents();
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.close(() => done());
      server.closeAllConnections();
    });
    return closing;
  };

  return new Promise<BrowserHost>((resolveStart, rejectStart) => {
    const onError = (error: Error) => {
      offEvents();
      clearInterval(heartbeat);
      wss.close();
      rejectStart(error);
    };
    server.once('error', onError);
    server.listen({ host: loopback, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', (error) => logger.log('error', 'host.server-error', { message: error.message }));
      const address = server.address();
      if (!address || typeof address === 'string') {
        void close();
        rejectStart(new Error('The browser host did not get a TCP port'));
        return;
      }
      port = address.port;
      csp = hostContentSecurityPolicy(port);
      logger.log('info', 'host.started', { port });
      resolveStart({
        url: `http://${loopback}:${port}/?token=${token}`,
        port,
        address: address.address,
        token,
        close,
      });
    });
  });
}
