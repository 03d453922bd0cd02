import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../main/core/sandbox';
import { cli, type CliResult } from '../support/cli';
import { fixture } from '../support/fixtures';

const org = '8000001';
const key = 'zsc-cli-SECRET-7f3a9b1c2d4e5f60';
const contacts = [
  fixture('Asha Rao', 'asha@example.in', { billing_address: { country: 'India' } }),
  fixture('Ravi Kumar', 'RAVI@example.in', { billing_address: { country: 'India' } }),
  fixture('Ravi K', 'ravi@example.in', { billing_address: { country: 'India' } }),
  fixture('Hans Meier', 'hans@example.de', { billing_address: { country: 'Germany' } }),
  fixture('Support', 'support@example.in', { billing_address: { country: 'India' } }),
  fixture('Bad Addr', 'ted@zylkercom', { billing_address: { country: 'India' } }),
];

describe('the listsync CLI against the sandbox', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  const outputs: CliResult[] = [];
  const run = async (args: string[], input?: string) => {
    const r = await cli(dataDir, args, input);
    outputs.push(r);
    return r;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ key, organizations: [{ organization_id: org, name: 'Zylker India', contacts }] });
    dataDir = mkdtempSync(join(tmpdir(), 'listsync-cli-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let syncId = '';
  let rotatedKey = '';

  it('adds an account with the key from stdin, checked against the source', async () => {
    const bad = await run(['account', 'add', 'Wrong', '--base-url', sandbox.apiRoot], 'not-the-right-key');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/rejected/i);
    const r = await run(['account', 'add', 'Zylker', '--base-url', sandbox.apiRoot], `${key}\n`);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ name: 'Zylker', key_last4: key.slice(-4) });
    const orgs = await run(['org', 'list', 'Zylker']);
    expect(orgs.json).toEqual([{ id: org, name: 'Zylker India', isDefault: expect.any(Boolean) }]);
  });

  it('creates a list and a criteria sync, runs it and reports exact counts', async () => {
    expect((await run(['list', 'add', 'India customers'])).code).toBe(0);
    const add = await run([
      'sync', 'add', '--account', 'Zylker', '--org', 'Zylker India', '--list', 'India customers',
      '--where', 'Billing country is India', '--daily', '--at', '02:30', '--tz', 'Europe/Berlin',
    ]);
    expect(add.code, add.stderr).toBe(0);
    syncId = (add.json as { id: string }).id;
    const show = await run(['sync', 'show', syncId]);
    expect(show.json).toMatchObject({ id: syncId, active: true, inactive_reason: null });
    expect(show.json).toHaveProperty('next_run_at');

    const r = await run(['sync', 'run', syncId]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({
      run_id: expect.any(Number), sync_id: syncId, trigger: 'manual', full_read: true,
      status: 'succeeded',
      started_at: expect.any(String), finished_at: expect.any(String),
      counts: {
        total: 5, new: 2, readded: 0, held: 0, duplicate: 0, ignored: 3, deleted: 0, exited: 0, reverted: 0,
        ignored_by_reason: { bounced: 0, do_not_mail: 0, group: 1, file_duplicate: 1, invalid: 1, empty: 0 },
      },
      pages: 1, requests: expect.any(Number), retries: 0, undo_of: null, undone_by: null, error: null,
    });
    const history = await run(['sync', 'history', syncId]);
    expect(history.json).toEqual([expect.objectContaining({ run_id: (r.json as { run_id: number }).run_id, trigger: 'manual', status: 'succeeded', started_at: expect.any(String), finished_at: expect.any(String) })]);
    const invalid = await run(['sync', 'outcomes', String((r.json as { run_id: number }).run_id), '--reason', 'invalid']);
    expect(invalid.json).toMatchObject({ total: 1, outcomes: [{ email: 'ted@zylkercom', detail: 'The address has no dot in the domain' }] });
  });

  it('dry run writes nothing; export and suppression work', async () => {
    // A daily sync's next run reads only what changed: touch the two imported contacts.
    for (const c of contacts.slice(0, 2)) sandbox.updateContact(org, c.contact_id, { last_name: 'Updated' });
    const dry = await run(['sync', 'run', syncId, '--dry-run']);
    expect(dry.json).toMatchObject({ status: 'dry-run', counts: { total: 2, duplicate: 2 } });
    const out = join(dataDir, 'export.csv');
    const exp = await run(['list', 'export', 'India customers', '--out', out]);
    expect(exp.json).toEqual({ file: out, rows: 2 });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^email,first_name,last_name/);
    const suppress = join(dataDir, 'bounces.csv');
    writeFileSync(suppress, 'email\nasha@example.in\nnot-an-address\n');
    const imp = await run(['contact', 'import-suppression', suppress, '--as', 'bounced']);
    expect(imp.json).toMatchObject({ marked: 1, created: 0, rejected: [{ line: 3, value: 'not-an-address' }] });
    const r = await run(['sync', 'run', syncId]);
    expect((r.json as { counts: { ignored_by_reason: { bounced: number } } }).counts.ignored_by_reason.bounced).toBe(1);
  });

  it('a new key deactivates the account\'s syncs until they are activated', async () => {
    const newKey = sandbox.regenerateKey();
    rotatedKey = newKey;
    const r = await run(['account', 'key', 'Zylker'], newKey);
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { deactivated_sync_ids: string[] }).deactivated_sync_ids).toEqual([syncId]);
    const blocked = await run(['sync', 'run', syncId]);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/inactive/);
    expect((await run(['sync', 'activate', syncId])).json).toMatchObject({ active: true });
    expect((await run(['sync', 'run', syncId])).code).toBe(0);
  });

  it('errors are one line and a non-zero exit; --json gives one JSON value', async () => {
    const r = await run(['sync', 'show', 'no-such-sync']);
    expect(r.code).toBe(1);
    expect(r.json).toEqual({ error: { code: 'not-found', message: 'No sync no-such-sync' } });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the ZSC keys appear nowhere: not in the database, WAL, logs, output or argv', () => {
    const secrets = [key, rotatedKey];
    expect(rotatedKey.length).toBeGreaterThan(8);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p); else files.push(p);
      }
    };
    walk(dataDir);
    expect(files.some((f) => f.endsWith('listsync.db'))).toBe(true);
    for (const secret of secrets) {
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
      for (const o of outputs) {
        expect(o.stdout.includes(secret), `stdout of ${o.args.join(' ')}`).toBe(false);
        expect(o.stderr.includes(secret), `stderr of ${o.args.join(' ')}`).toBe(false);
        expect(o.args.join(' ').includes(secret)).toBe(false);
      }
    }
  });
});
