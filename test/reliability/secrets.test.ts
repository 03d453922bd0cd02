// Campaign 6: the ZSC key. After a full workflow — through the real IPC wire (the browser host's
// WebSocket, the same dispatch as Electron IPC) and the CLI — the key is in the OS keychain and
// nowhere else: not in the SQLite files (WAL and SHM included, read while the app is open and
// after), the log, CSV exports, IPC replies and events, CLI output, process arguments or
// environments. A missing or locked keychain gives a clear error that says what to do.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/common/contract';
import { defaultMapping } from '../../main/common/domain/mapping';
import { createCore, type Core } from '../../main/core/createCore';
import { createFileLogger } from '../../main/core/logging';
import type { SecretStore } from '../../main/core/ports';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { KeychainSecretStore } from '../../main/core/secrets/keychainSecretStore';
import { startBrowserHost, type BrowserHost } from '../../main/host/browserHost';
import { fastZoho } from '../support/harness';
import { repoRoot, type CliResult } from '../support/cli';
import { fixture } from '../support/fixtures';
import { openSocket, WireClient } from '../host/hostClient';
import { folderBytes, printCampaign } from './support';

const org = '9500001';
const key = `zsc-RELIABILITY-${randomBytes(12).toString('hex')}`;
const wrongKey = `zsc-MISTYPED-${randomBytes(12).toString('hex')}`;
const contacts = [
  fixture('Asha Rao', 'asha@example.in'),
  fixture('Ravi Kumar', 'ravi@example.in'),
  fixture('Info Desk', 'info@example.in'),
  fixture('Bad Address', 'ted@zylkercom'),
  fixture('Hans Meier', 'hans@example.de'),
];
const counts = { tried: 0, recovered: 0, failedCleanly: 0, lost: 0, places: 0, leaks: 0, keychainFailures: 0 };
const cleanup: Array<() => Promise<void> | void> = [];

/** Every form a key could take in a text or file: as is, URL-encoded, base64, hex, UTF-16. */
function forms(secret: string): Buffer[] {
  return [
    Buffer.from(secret), Buffer.from(encodeURIComponent(secret)), Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('hex')), Buffer.from(secret, 'utf16le'),
  ];
}

const secrets = () => [key, wrongKey, rotated].filter((s) => s !== '');
let rotated = '';

/** Checks one place; returns the secrets found there (none expected). */
function leaksIn(place: string, bytes: Buffer | string): string[] {
  counts.places += 1;
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const found = secrets().filter((s) => forms(s).some((f) => data.includes(f)));
  if (found.length > 0) counts.leaks += 1;
  return found.map((s) => `${s === key ? 'key' : s === wrongKey ? 'mistyped key' : 'new key'} in ${place}`);
}

function scanFolder(dir: string, label: string): string[] {
  return [...folderBytes(dir)].flatMap(([name, bytes]) => leaksIn(`${label}/${name}`, bytes));
}

describe('secrets campaign', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  let core: Core | null = null;
  let host: BrowserHost | null = null;
  let wire: WireClient;
  const frames: string[] = [];
  const cliRuns: CliResult[] = [];
  const processViews: string[] = [];
  const leaks: string[] = [];
  let syncId = '';
  let accountId = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: 'Secret Keepers', contacts }] });
    dataDir = mkdtempSync(join(tmpdir(), 'listsync-secrets-'));
    const rendererDir = mkdtempSync(join(tmpdir(), 'listsync-secrets-ui-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><body><div id="app"></div></body></html>');
    cleanup.push(() => rmSync(rendererDir, { recursive: true, force: true }));
    core = createCore({ dataDir, secrets: new KeychainSecretStore(), runtime: 'test', zoho: fastZoho, logger: createFileLogger(dataDir, 'debug') });
    host = await startBrowserHost({ core, rendererDir });
    const ws = await openSocket(host.port, `?token=${host.token}`);
    ws.on('message', (data) => frames.push(data.toString()));
    wire = new WireClient(ws);
  });
  afterAll(async () => {
    wire?.close();
    await host?.close();
    await core?.close();
    await sandbox?.close();
    for (const c of cleanup) await c();
    if (accountId) await new KeychainSecretStore().delete(accountId).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    printCampaign('secrets', counts, { frames: frames.length, cliCommands: cliRuns.length });
  });

  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply = (await wire.call(channel, payload)) as Envelope<T>;
    if (!reply.ok) throw new Error(`${channel}: ${JSON.stringify(reply.error)}`);
    return reply.value;
  };

  const finished = (runsBefore: number) =>
    new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (wire.events.filter((e) => e.event === 'run.finished').length > runsBefore) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });

  it('a full workflow over the IPC wire: add (a mistyped key first), sync, run, export, change the key', async () => {
    counts.tried += 1;
    const refused = (await wire.call('accounts.add', { name: 'Zylker', endpoint: { baseUrl: sandbox.apiRoot }, key: wrongKey })) as Envelope<unknown>;
    expect(refused.ok).toBe(false);
    const account = await call<{ id: string; keyLast4: string }>('accounts.add', { name: 'Zylker', endpoint: { baseUrl: sandbox.apiRoot }, key });
    accountId = account.id;
    expect(account.keyLast4).toBe(key.slice(-4));
    await call('accounts.list', {});
    await call('accounts.organizations', { accountId });
    await call('accounts.sourceFields', { accountId, organizationId: org });
    const list = await call<{ id: string }>('lists.create', { name: 'Customers' });
    const draft = {
      name: 'Secret run', accountId, organizationId: org, listId: list.id, importOption: { kind: 'all' }, mapping: defaultMapping(),
      updatePolicy: 'overwrite', updateEmptyValues: false, schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
    };
    await call('syncs.dryRun', { draft });
    syncId = (await call<{ id: string }>('syncs.create', { sync: draft, runNow: false })).id;
    let done = finished(0);
    await call('syncs.runNow', { syncId });
    await done;
    const history = await call<{ runs: Array<{ id: number; status: string }> }>('runs.history', { syncId });
    expect(history.runs[0]?.status).toBe('succeeded');
    const runId = history.runs[0]!.id;
    await call('runs.get', { runId });
    await call('runs.outcomes', { runId });
    await call('runs.exportCsv', { runId });
    await call('lists.members', { listId: list.id });
    await call('lists.exportCsv', { listId: list.id });
    await call('app.info', {});
    await call('app.diagnostics', {});
    await call('syncs.list', {});

    // The key is rotated in Zoho: the next run is refused (auth), then the new key is stored.
    rotated = sandbox.regenerateKey();
    done = finished(1);
    await call('syncs.runNow', { syncId });
    await done;
    const failedRun = (await call<{ runs: Array<{ status: string; error: string | null }> }>('runs.history', { syncId })).runs[0]!;
    expect(failedRun.status).toBe('failed');
    expect(failedRun.error).toMatch(/rejected the ZSC key/);
    const wrongChange = (await wire.call('accounts.changeKey', { accountId, key: wrongKey })) as Envelope<unknown>;
    expect(wrongChange.ok).toBe(false);
    await call('accounts.changeKey', { accountId, key: rotated });
    await call('syncs.activateAll', { accountId });
    done = finished(2);
    await call('syncs.runNow', { syncId });
    await done;
    await call('app.diagnostics', {});

    // Positive control: the keychain does hold the key, and the scan finds a planted copy.
    expect(await new KeychainSecretStore().get(accountId)).toBe(rotated);
    expect(leaksIn('control', `x${Buffer.from(rotated).toString('base64')}y`)).toHaveLength(1);
    counts.leaks -= 1;
    counts.recovered += 1;
  });

  it('while the app is open: not in the database, its WAL and SHM, or the log', () => {
    counts.tried += 1;
    expect(existsSync(join(dataDir, 'listsync.db-wal'))).toBe(true);
    leaks.push(...scanFolder(dataDir, 'data folder (open)'));
    expect(leaks).toEqual([]);
    counts.recovered += 1;
  });

  it('not in any IPC reply or event', () => {
    counts.tried += 1;
    expect(frames.length).toBeGreaterThan(20);
    frames.forEach((f, i) => leaks.push(...leaksIn(`IPC frame ${i}`, f)));
    expect(leaks).toEqual([]);
    counts.recovered += 1;
  });

  it('through the CLI: not in its output, CSV files, arguments or environment', async () => {
    counts.tried += 1;
    wire.close();
    await host?.close();
    host = null;
    await core?.close();
    core = null;
    const run = async (args: string[], input?: string) => {
      const r = await cliWatched(dataDir, args, input, processViews);
      cliRuns.push(r);
      return r;
    };
    expect((await run(['account', 'key', 'Zylker'], `${wrongKey}\n`)).code).not.toBe(0);
    expect((await run(['account', 'key', 'Zylker'], `${rotated}\n`)).code).toBe(0);
    expect((await run(['sync', 'activate', syncId])).code).toBe(0);
    const r = await run(['sync', 'run', syncId]);
    expect(r.code, r.stderr).toBe(0);
    const runId = (r.json as { run_id: number }).run_id;
    expect((await run(['sync', 'outcomes', String(runId), '--csv'])).code).toBe(0);
    expect((await run(['list', 'export', 'Customers', '--out', join(dataDir, 'customers.csv')])).code).toBe(0);
    for (const c of cliRuns) {
      leaks.push(...leaksIn(`stdout of ${c.args.join(' ')}`, c.stdout), ...leaksIn(`stderr of ${c.args.join(' ')}`, c.stderr));
      leaks.push(...leaksIn(`arguments of ${c.args.join(' ')}`, c.args.join('\0')));
    }
    expect(processViews.length).toBeGreaterThan(0);
    processViews.forEach((v, i) => leaks.push(...leaksIn(`/proc view ${i} of a running CLI`, v)));
    leaks.push(...leaksIn('this test process\'s arguments', readFileSync('/proc/self/cmdline')));
    expect(leaks).toEqual([]);
    counts.recovered += 1;
  });

  it('after everything closed: not in any file of the data folder (database, log, exports)', () => {
    counts.tried += 1;
    const files = [...folderBytes(dataDir).keys()];
    expect(files).toEqual(expect.arrayContaining(['listsync.db', join('logs', 'listsync.log'), 'customers.csv']));
    leaks.push(...scanFolder(dataDir, 'data folder (closed)'));
    expect(leaks).toEqual([]);
    counts.recovered += 1;
  });

  describe('a missing or locked keychain', () => {
    /** Rejects like keytar does when the Secret Service is missing, unreachable or locked. */
    class BrokenKeychain implements SecretStore {
      constructor(private readonly message: string, private readonly getReturnsNull = false) {}
      get(): Promise<string | null> { return this.getReturnsNull ? Promise.resolve(null) : Promise.reject(new Error(this.message)); }
      set(): Promise<void> { return Promise.reject(new Error(this.message)); }
      delete(): Promise<void> { return Promise.reject(new Error(this.message)); }
    }
    const keytarErrors = [
      'Could not connect: No such file or directory',
      'Cannot autolaunch D-Bus without X11 $DISPLAY',
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
    ];

    it.each(keytarErrors)('adding an account: "%s" becomes a keychain error that says what to do, and nothing is stored', async (message) => {
      counts.tried += 1;
      const dir = mkdtempSync(join(tmpdir(), 'listsync-nokeychain-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const broken = createCore({ dataDir: dir, secrets: new BrokenKeychain(message), runtime: 'test', zoho: fastZoho });
      try {
        const reply = await broken.call('accounts.add', { name: 'Zylker', endpoint: { baseUrl: sandbox.apiRoot }, key: rotated });
        expect(reply.ok).toBe(false);
        if (!reply.ok) {
          expect(reply.error.code).toBe('keychain');
          expect(reply.error.message).toContain(message);
          expect(reply.error.message).toMatch(/keychain/i);
          expect(reply.error.message).toMatch(/unlock it, then try again/);
          leaks.push(...leaksIn('keychain error reply', JSON.stringify(reply)));
        }
        expect(broken.store.accounts.list()).toEqual([]);
      } finally {
        await broken.close();
      }
      counts.keychainFailures += 1;
      counts.failedCleanly += 1;
    });

    it('a run whose key cannot be read fails with a keychain reason (the sync stays active); a locked collection that answers "no key" says to enter it again', async () => {
      counts.tried += 2;
      const dir = mkdtempSync(join(tmpdir(), 'listsync-nokeychain-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      // The account and sync exist (made with a working store); then the keychain breaks.
      const working = new Map<string, string>();
      let mode: 'ok' | 'throws' | 'null' = 'ok';
      const switchable: SecretStore = {
        get: async (id) => {
          if (mode === 'throws') throw new Error(keytarErrors[0]);
          return mode === 'null' ? null : working.get(id) ?? null;
        },
        set: async (id, secret) => void working.set(id, secret),
        delete: async (id) => void working.delete(id),
      };
      const c = createCore({ dataDir: dir, secrets: switchable, runtime: 'test', zoho: fastZoho });
      try {
        const account = (await c.call('accounts.add', { name: 'Zylker', endpoint: { baseUrl: sandbox.apiRoot }, key: rotated })) as Envelope<{ id: string }>;
        if (!account.ok) throw new Error(JSON.stringify(account.error));
        const list = (await c.call('lists.create', { name: 'L' })) as Envelope<{ id: string }>;
        if (!list.ok) throw new Error('list');
        const sync = (await c.call('syncs.create', {
          runNow: false,
          sync: {
            name: 'S', accountId: account.value.id, organizationId: org, listId: list.value.id, importOption: { kind: 'all' }, mapping: defaultMapping(),
            updatePolicy: 'overwrite', updateEmptyValues: false, schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
          },
        })) as Envelope<{ id: string }>;
        if (!sync.ok) throw new Error('sync');
        mode = 'throws';
        const r = await c.runAndWait(sync.value.id, 'manual');
        expect(r.status).toBe('failed');
        expect(r.error?.kind).toBe('keychain');
        expect(r.error?.message).toContain(keytarErrors[0]);
        expect(r.error?.message).toMatch(/unlock it, then try again/);
        mode = 'null';
        const r2 = await c.runAndWait(sync.value.id, 'manual');
        expect(r2.error).toEqual({ kind: 'keychain', message: 'The ZSC key of "Zylker" is missing from the OS keychain; enter it again in Settings.' });
        expect(c.store.syncs.get(sync.value.id)?.active).toBe(true);
        expect(c.store.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
      } finally {
        await c.close();
      }
      counts.keychainFailures += 2;
      counts.failedCleanly += 2;
    });

    it('the real keytar with DBUS_SESSION_BUS_ADDRESS pointing nowhere (child processes): account add and sync run fail with the keychain reason', async () => {
      if (process.platform !== 'linux') return;
      counts.tried += 2;
      const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/listsync-test-bus' };
      delete env.DISPLAY;
      const dir = mkdtempSync(join(tmpdir(), 'listsync-nobus-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const add = await cliWithEnv(dir, ['account', 'add', 'Zylker', '--base-url', sandbox.apiRoot], env, `${rotated}\n`);
      expect(add.code).toBe(1);
      expect(add.stderr.trim().split('\n')).toHaveLength(1);
      expect(add.stderr).toMatch(/OS keychain is not reachable \(Could not connect: .*\).*unlock it, then try again/);
      expect(add.json).toMatchObject({ error: { code: 'keychain' } });
      // The data folder of the workflow: its sync's key is in a keychain this process cannot reach.
      const run = await cliWithEnv(dataDir, ['sync', 'run', syncId], env);
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ status: 'failed', error: { kind: 'keychain', message: expect.stringMatching(/keychain.*Could not connect/) } });
      for (const r of [add, run]) leaks.push(...leaksIn('no-keychain CLI output', r.stdout + r.stderr));
      expect(leaks).toEqual([]);
      counts.keychainFailures += 2;
      counts.failedCleanly += 2;
    });

    it('the real keytar against a locked GNOME Keyring (a private D-Bus session, child process): a keychain error, no prompt, no hang', async () => {
      const has = (bin: string) => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, bin)));
      if (process.platform !== 'linux' || !has('dbus-run-session') || !has('gnome-keyring-daemon')) return;
      counts.tried += 1;
      const home = mkdtempSync(join(tmpdir(), 'listsync-locked-'));
      cleanup.push(() => rmSync(home, { recursive: true, force: true }));
      mkdirSync(join(home, 'data'));
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home, HOME: home };
      for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'LISTSYNC_KEYRING_READY']) delete env[name];
      // The daemon runs, but its login collection was never created or unlocked.
      const script = 'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$@"';
      const add = await spawnCollect('dbus-run-session', ['--', 'sh', '-c', script, 'sh', process.execPath, join(repoRoot, 'bin', 'listsync.js'),
        '--json', '--data-dir', join(home, 'listsync'), 'account', 'add', 'Zylker', '--base-url', sandbox.apiRoot], env, `${rotated}\n`);
      expect(add.code).toBe(1);
      const error = (JSON.parse(add.stdout.trim().split('\n').pop() ?? '{}') as { error?: { code: string; message: string } }).error;
      expect(error?.code).toBe('keychain');
      expect(error?.message).toMatch(/OS keychain is not reachable .*unlock it, then try again/);
      leaks.push(...leaksIn('locked-keychain CLI output', add.stdout + add.stderr));
      expect(leaks).toEqual([]);
      counts.keychainFailures += 1;
      counts.failedCleanly += 1;
    });
  });
});

/** Runs the CLI like support/cli.ts, and meanwhile reads its /proc arguments and environment. */
async function cliWatched(dataDir: string, args: string[], input: string | undefined, views: string[]): Promise<CliResult> {
  return cliWithEnv(dataDir, args, process.env, input, views);
}

async function cliWithEnv(dataDir: string, args: string[], env: NodeJS.ProcessEnv, input?: string, views?: string[]): Promise<CliResult> {
  const all = ['--json', '--data-dir', dataDir, ...args];
  const r = await spawnCollect(process.execPath, [join(repoRoot, 'bin', 'listsync.js'), ...all], env, input, views);
  let json: unknown = undefined;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // not JSON
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, json, args: all };
}

function spawnCollect(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string, views?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const peek = () => {
      if (!views || child.pid === undefined) return;
      for (const what of ['cmdline', 'environ']) {
        try {
          views.push(readFileSync(`/proc/${child.pid}/${what}`, 'latin1'));
        } catch {
          // gone already
        }
      }
    };
    const timer = views ? setInterval(peek, 25) : null;
    peek();
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
