/*
 * The client's default transport (Node's http with keep-alive, transport.ts) against plain
 * servers on 127.0.0.1 that do what Zoho's front ends may do and the sandbox does not: compress
 * replies, use an encoding nobody asked for, cut a reply short, or never answer.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ZohoApiError, ZohoClient } from '../../main/core/zoho';

const organizations = {
  code: 0,
  message: 'success',
  organizations: [{ organization_id: '6100001', name: 'Zylker Ünïcode Ltd', currency_code: 'INR', time_zone: 'Asia/Kolkata' }],
};

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = null;
});

/** A server answering every request with `reply`; resolves with its API root and the requests' headers. */
async function serve(reply: (res: ServerResponse, acceptEncoding: string) => void): Promise<{ apiRoot: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(String(req.headers['accept-encoding'] ?? ''));
    reply(res, String(req.headers['accept-encoding'] ?? ''));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { apiRoot: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/invoice/v3`, seen };
}

const client = (apiRoot: string) => new ZohoClient({ apiRoot, token: 'k'.repeat(32), maxRetries: 0, timeoutMs: 1_000 });

describe('the default transport', () => {
  for (const [encoding, compress] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
    it(`asks for compression and reads a ${encoding} reply`, async () => {
      const { apiRoot, seen } = await serve((res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
        res.end(compress(Buffer.from(JSON.stringify(organizations), 'utf8')));
      });
      const orgs = await client(apiRoot).listOrganizations();
      expect(orgs.map((o) => o.name)).toEqual(['Zylker Ünïcode Ltd']);
      expect(seen[0]).toContain(encoding);
    });
  }

  it('an encoding it cannot read is a clear network error, not garbage', async () => {
    const { apiRoot } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      res.end('not really zstd');
    });
    const error = await client(apiRoot).listOrganizations().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoApiError);
    expect(error).toMatchObject({ kind: 'network', message: expect.stringContaining('content encoding this app cannot read (zstd)') });
  });

  it('a corrupt gzip body is a network error that says so', async () => {
    const { apiRoot } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(Buffer.from('definitely not gzip'));
    });
    const error = await client(apiRoot).listOrganizations().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', message: expect.stringContaining('could not be decompressed') });
  });

  it('a reply cut off before its declared length is a network error', async () => {
    const { apiRoot } = await serve((res) => {
      const body = Buffer.from(JSON.stringify(organizations), 'utf8');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.write(body.subarray(0, 20));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await client(apiRoot).listOrganizations().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
  });

  it('a redirect is reported with its status, not followed (the key would go along)', async () => {
    let requests = 0;
    const { apiRoot } = await serve((res) => {
      requests += 1;
      res.writeHead(301, { location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    });
    const error = await client(apiRoot).listOrganizations().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 301, message: expect.stringContaining('HTTP 301') });
    expect(requests).toBe(1);
  });

  it('a server that never answers is a timeout, and a cancel ends the wait at once', async () => {
    const { apiRoot } = await serve(() => undefined);
    await expect(client(apiRoot).listOrganizations()).rejects.toMatchObject({ kind: 'timeout' });
    const controller = new AbortController();
    const pending = client(apiRoot).listOrganizations(controller.signal).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'cancelled' });
  });

  it('UTF-8 is decoded as Response.text() would: a leading BOM dropped, bad bytes replaced', async () => {
    const { apiRoot } = await serve((res) => {
      const json = Buffer.from(JSON.stringify(organizations).replace('Ünïcode', 'Bad\u0000'), 'utf8');
      const at = json.indexOf(0);
      json[at] = 0xff; // not UTF-8
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]));
    });
    const orgs = await client(apiRoot).listOrganizations();
    expect(orgs[0]!.name).toBe('Zylker Bad\uFFFD Ltd');
  });
});
