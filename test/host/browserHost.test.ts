// The browser host on loopback with a real core (temp data folder, in-memory key store): the
// contract round-trips over a real `ws` client; everything without the token, with a foreign
// Host or Origin, or malformed is refused or answered with a typed error, and the host goes on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../main/common/contract';
import { createCore, type Core } from '../../main/core/createCore';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { startBrowserHost, staticFileFor, type BrowserHost } from '../../main/host/browserHost';
import { cookieName, tokensEqual } from '../../main/host/security';
import { closed, httpGet, openSocket, WireClient } from './hostClient';
import { malformedCases } from './malformed';

let dataDir: string;
let rendererDir: string;
let core: Core;
let host: BrowserHost;
let client: WireClient;

const indexHtml = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body><div id="app"></div></body></html>';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'listsync-host-'));
  rendererDir = mkdtempSync(join(tmpdir(), 'listsync-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), indexHtml);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");\n');
  writeFileSync(join(dataDir, 'secret.txt'), 'outside the renderer folder');
  core = createCore({ dataDir: join(dataDir, 'data'), secrets: new MemorySecretStore(), runtime: 'test' });
  host = await startBrowserHost({ core, rendererDir });
  client = new WireClient(await openSocket(host.port, `?token=${host.token}`));
});

afterAll(async () => {
  client?.close();
  await host?.close();
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('listening', () => {
  it('listens on 127.0.0.1 only, with a fresh 32-byte token in its URL', async () => {
    expect(host.address).toBe('127.0.0.1');
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    const other = await startBrowserHost({ core, rendererDir });
    try {
      expect(other.token).not.toBe(host.token);
      expect(other.port).not.toBe(host.port);
    } finally {
      await other.close();
    }
  });

  it('cannot be reached on a non-loopback address of this machine', async () => {
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // no other interface here
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: external.address, port: host.port });
      socket.once('connect', () => { socket.destroy(); resolve('connected'); });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).not.toBe('connected');
  });

  it('compares tokens in constant time and refuses empty or different ones', () => {
    expect(tokensEqual(host.token, host.token)).toBe(true);
    expect(tokensEqual(`${host.token}x`, host.token)).toBe(false);
    expect(tokensEqual('', host.token)).toBe(false);
    expect(tokensEqual(null, host.token)).toBe(false);
  });
});

describe('HTTP', () => {
  it('serves the renderer with the token, a strict CSP and a cookie for the page\'s assets', async () => {
    const page = await httpGet(host.port, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(indexHtml);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`);
    expect(csp).not.toMatch(/https?:\/\//);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain(`${cookieName(host.port)}=${host.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const asset = await httpGet(host.port, '/assets/app.js', { cookie: `${cookieName(host.port)}=${host.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    // An in-app route gets the app; a missing asset does not.
    expect((await httpGet(host.port, `/syncs/42?token=${host.token}`)).body).toBe(indexHtml);
    expect((await httpGet(host.port, `/assets/missing.js?token=${host.token}`)).status).toBe(404);
  });

  it('refuses every path without the right token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/healthz', '/ipc']) {
      expect((await httpGet(host.port, path)).status, path).toBe(403);
      expect((await httpGet(host.port, `${path}?token=wrong`)).status, path).toBe(403);
      expect((await httpGet(host.port, path, { cookie: `${cookieName(host.port)}=wrong` })).status, path).toBe(403);
      expect((await httpGet(host.port, path, { cookie: `${cookieName(host.port + 1)}=${host.token}` })).status, path).toBe(403);
    }
    const refused = await httpGet(host.port, '/');
    expect(refused.body).not.toContain('<div id="app">');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('answers /healthz with the token', async () => {
    const health = await httpGet(host.port, `/healthz?token=${host.token}`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true });
  });

  it('refuses a Host header other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding)', async () => {
    const ok = await httpGet(host.port, `/healthz?token=${host.token}`, { host: `localhost:${host.port}` });
    expect(ok.status).toBe(200);
    for (const badHost of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1', `0.0.0.0:${host.port}`, `[::1]:${host.port}`]) {
      const r = await httpGet(host.port, `/healthz?token=${host.token}`, { host: badHost });
      expect(r.status, badHost).toBe(403);
    }
  });

  it('refuses a cross Origin and cross-site fetches', async () => {
    const same = await httpGet(host.port, `/healthz?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-origin' });
    expect(same.status).toBe(200);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      expect((await httpGet(host.port, `/healthz?token=${host.token}`, { origin })).status, origin).toBe(403);
    }
    for (const site of ['cross-site', 'same-site']) {
      expect((await httpGet(host.port, `/healthz?token=${host.token}`, { 'sec-fetch-site': site })).status, site).toBe(403);
    }
  });

  it('serves nothing outside the renderer folder and only GET/HEAD', async () => {
    const auth = { cookie: `${cookieName(host.port)}=${host.token}` };
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/assets%5c..%5c..%5csecret.txt']) {
      const r = await httpGet(host.port, path, auth);
      expect(r.body, path).not.toContain('outside the renderer folder');
      expect([200, 400, 403, 404], path).toContain(r.status);
    }
    expect(staticFileFor(rendererDir, '/../secret.txt')).toBeNull();
    expect(staticFileFor(rendererDir, '/..%2fsecret.txt')).toBeNull();
    expect(staticFileFor(rendererDir, '/%E0%A4%A')).toBeNull();
    expect((await httpGet(host.port, `/?token=${host.token}`, {}, 'POST')).status).toBe(405);
    expect((await httpGet(host.port, `/?token=${host.token}`, {}, 'HEAD')).status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('refuses the upgrade without the token, with a wrong one, a foreign Host or a foreign Origin', async () => {
    const attempts: Array<[string, Record<string, string>]> = [
      ['', {}],
      ['?token=', {}],
      ['?token=wrong', {}],
      [`?token=${host.token.slice(0, -1)}`, {}],
      [`?token=${host.token}`, { host: 'evil.example' }],
      [`?token=${host.token}`, { host: `127.0.0.1:${host.port + 1}` }],
      [`?token=${host.token}`, { origin: 'http://evil.example' }],
      [`?token=${host.token}`, { origin: `http://localhost:${host.port + 1}` }],
    ];
    for (const [query, headers] of attempts) {
      await expect(openSocket(host.port, query, headers), `${query} ${JSON.stringify(headers)}`).rejects.toMatchObject({ status: 403 });
    }
    // The page's own origin, with the cookie instead of the query, is fine.
    const ws = await openSocket(host.port, '', { origin: `http://localhost:${host.port}`, cookie: `${cookieName(host.port)}=${host.token}` });
    ws.terminate();
  });

  it('round-trips contract calls', async () => {
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { runtime: 'test', keychain: { ok: true } } });
    const created = await client.call('lists.create', { name: 'Customers' });
    expect(created.ok).toBe(true);
    const lists = await client.call('lists.list', {});
    expect(lists.ok && (lists.value as Array<{ name: string }>).map((l) => l.name)).toContain('Customers');
    const missing = await client.call('syncs.get', { syncId: 'no-such-sync' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const invalid = await client.call('lists.create', {});
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(invalid.ok === false && invalid.error.issues?.length).toBeGreaterThan(0);
  });

  it('answers many concurrent calls on one connection, each under its own id', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, () => client.call('lists.list', {})));
    expect(replies.every((r) => r.ok)).toBe(true);
  });

  it('pushes core events to every connected page', async () => {
    const second = new WireClient(await openSocket(host.port, `?token=${host.token}`));
    try {
      core.events.emit('syncs.changed', { syncIds: ['s1'], reason: 'test' });
      await expect.poll(() => second.events.length).toBe(1);
      await expect.poll(() => client.events.some((e) => e.event === 'syncs.changed')).toBe(true);
      expect(second.events[0]).toEqual({ event: 'syncs.changed', payload: { syncIds: ['s1'], reason: 'test' } });
    } finally {
      second.close();
    }
  });

  it('answers malformed frames with typed errors and keeps working', async () => {
    const frames: Array<[string | Buffer, boolean]> = [
      ['not json', false],
      ['{"id": 1, "channel": "app.info"', false],
      ['', false],
      ['null', false],
      ['42', false],
      ['"app.info"', false],
      ['[{"id":1,"channel":"app.info"}]', false],
      ['{"channel":"app.info","payload":{}}', false],
      ['{"id":null,"channel":"app.info"}', false],
      ['{"id":{},"channel":"app.info"}', false],
      ['{"id":"","channel":"app.info"}', false],
      [JSON.stringify({ id: 'x'.repeat(500), channel: 'app.info' }), false],
      ['{"id":true,"channel":"app.info"}', false],
      [Buffer.from([0x7b, 0x00, 0xff]), true],
    ];
    for (const [frame, binary] of frames) {
      const r = await client.sendRaw(frame, binary);
      expect(r.id, String(frame)).toBeNull();
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    // A valid id with a missing channel is answered under that id.
    const noChannel = await client.sendWithId(7, { id: 7, payload: {} });
    expect(noChannel).toMatchObject({ id: 7, reply: { ok: false, error: { code: 'invalid-request' } } });
    expect((await client.call('app.info', {})).ok).toBe(true);
  });

  it(`refuses ${'≥'}500 generated malformed requests across every channel, then still serves`, async () => {
    const cases = malformedCases();
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const allowed = new Set<string>(errorCodes.filter((c) => c !== 'internal'));
    const failures: string[] = [];
    let invalidRequests = 0;
    for (let i = 0; i < cases.length; i += 32) {
      const batch = cases.slice(i, i + 32);
      const replies = await Promise.all(batch.map((c) => client.call(c.channel, c.payload)));
      replies.forEach((reply, j) => {
        const c = batch[j]!;
        if (reply.ok) failures.push(`${c.label}: accepted`);
        else if (!allowed.has(reply.error.code)) failures.push(`${c.label}: ${reply.error.code} ${reply.error.message}`);
        else if (reply.error.code === 'invalid-request') invalidRequests++;
      });
    }
    expect(failures).toEqual([]);
    expect(invalidRequests).toBe(cases.length);
    const info = await client.call('app.info', {});
    expect(info.ok).toBe(true);
    expect((await httpGet(host.port, `/healthz?token=${host.token}`)).status).toBe(200);
  });

  it('closes a connection that sends more than 60 MB, and serves the next one', async () => {
    const ws = await openSocket(host.port, `?token=${host.token}`);
    const done = closed(ws);
    ws.send(JSON.stringify({ id: 1, channel: 'contacts.importSuppression', payload: { csv: 'a'.repeat(61 * 1024 * 1024), as: 'bounced' } }));
    expect((await done).code).toBe(1009);
    const next = new WireClient(await openSocket(host.port, `?token=${host.token}`));
    expect((await next.call('app.info', {})).ok).toBe(true);
    next.close();
  });

  it('closes its connections and stops listening on close()', async () => {
    const other = await startBrowserHost({ core, rendererDir });
    const ws = await openSocket(other.port, `?token=${other.token}`);
    const done = closed(ws);
    await other.close();
    await done;
    await expect(httpGet(other.port, `/healthz?token=${other.token}`)).rejects.toThrow();
    await other.close(); // twice is fine
  });
});
