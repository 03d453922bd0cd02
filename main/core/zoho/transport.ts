import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/*
 * How the client sends a GET and reads the whole reply. The default is Node's own http/https
 * with keep-alive agents: measured against the sandbox, it costs a third of the CPU of the global
 * fetch (undici's WHATWG streams and promise machinery) for the same 170 KB pages, and an import
 * makes hundreds of them. A caller-provided fetch (tests that inject faults) goes through
 * `fetchTransport` instead.
 */

/** A complete reply: status, headers, and the body as bytes (decompressed). */
export interface HttpReply {
  status: number;
  ok: boolean;
  header(name: string): string | null;
  body: Uint8Array;
}

export type Transport = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpReply>;

/** A network failure below HTTP: `code` is Node's (ECONNREFUSED, ECONNRESET …) when it has one. */
export class TransportError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'TransportError';
  }
}

// One keep-alive agent per protocol for the whole process: every client reuses the connections
// (at most the limiter's concurrency are in use per organization).
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

/** Decompresses on libuv's thread pool, off the run's thread (Zoho compresses when asked). */
async function decoded(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzip(body);
    case 'deflate':
      return inflate(body);
    case 'br':
      return brotli(body);
    default:
      throw new TransportError(`The reply has a content encoding this app cannot read (${encoding})`);
  }
}

export const nodeTransport: Transport = (url, headers, signal) =>
  new Promise<HttpReply>((resolve, reject) => {
    const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : null;
    if (!protocol) {
      reject(new TransportError(`Unsupported protocol ${url.protocol}`));
      return;
    }
    if (signal.aborted) {
      reject(new TransportError('The request was aborted'));
      return;
    }
    const request = (protocol === 'https:' ? https : http).request(url, {
      method: 'GET',
      agent: agents[protocol],
      headers: { ...headers, 'Accept-Encoding': 'gzip, deflate, br' },
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      const e = error as { code?: string; message?: string };
      reject(error instanceof TransportError ? error : new TransportError(e?.message ?? String(error), e?.code));
    };
    const onAbort = () => {
      request.destroy();
      fail(new TransportError('The request was aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      // A connection cut mid-body closes the response without an 'end'.
      response.on('close', () => {
        if (!response.complete) fail(new TransportError('The connection closed before the reply was complete', 'ECONNRESET'));
      });
      response.on('end', () => {
        decoded(Buffer.concat(chunks), response.headers['content-encoding']).then((body) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          const status = response.statusCode ?? 0;
          resolve({
            status,
            ok: status >= 200 && status < 300,
            header: (name) => {
              const value = response.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
            body,
          });
        }, (error: unknown) => fail(error instanceof TransportError ? error : new TransportError(`The reply could not be decompressed: ${(error as Error).message}`)));
      });
    });
    request.end();
  });

/** The same over a fetch implementation (one a caller provides). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, headers, signal) => {
    const response = await fetchImpl(url, { method: 'GET', headers, signal });
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, ok: response.ok, header: (name) => response.headers.get(name), body };
  };
}
